from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from samvad.audit import export
from samvad.audit.models import AuditEvent
from samvad.org import access
from samvad.org.access import Role
from samvad.org.pages import page_of


def _district_events(user):
    return AuditEvent.objects.filter(district__in=access.admin_districts(user)).select_related(
        "actor"
    )


@access.allow(Role.DISTRICT_ADMIN)
def log(request):
    # A page at a time: a district's log grows by every submission, post and ticket, and a
    # district admin opens it often; the downloads below hold all of it.
    events = page_of(request, _district_events(request.user))
    return render(request, "audit/log.html", {"events": events})


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
