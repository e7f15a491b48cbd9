from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from samvad.audit import export
from samvad.audit.models import AuditEvent
from samvad.org import access
from samvad.org.access import Role


def _district_events(user):
    return AuditEvent.objects.filter(district__in=access.admin_districts(user)).select_related(
        "actor"
    )


@access.allow(Role.DISTRICT_ADMIN)
def log(request):
    return render(request, "audit/log.html", {"events": _district_events(request.user)[:200]})


@access.allow(Role.DISTRICT_ADMIN)
def download(request, fmt: str):
    events = _district_events(request.user).order_by("at", "id")
    stamp = timezone.localdate().isoformat()
    if fmt == "csv":
        body, content_type = export.export_csv(events), "text/csv; charset=utf-8"
    elif fmt == "xlsx":
        body = export.export_xlsx(events)
        content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    else:
        raise Http404
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="samvad-audit-{stamp}.{fmt}"'
    return response
