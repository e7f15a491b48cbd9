from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.dates import MONTHS_3
from django.utils.translation import gettext

from samvad.audit import export
from samvad.audit.models import AuditEvent, action_label
from samvad.org import access
from samvad.org.access import Role
from samvad.org.pages import page_of


def _district_events(user):
    return AuditEvent.objects.filter(district__in=access.admin_districts(user)).select_related(
        "actor"
    )


# The log page's columns, in the order its rows unpack them.
LOGGED = ("at", "actor__username", "action", "object_type", "object_repr", "after")


@access.allow(Role.DISTRICT_ADMIN)
def log(request):
    # A page at a time: a district's log grows by every submission, post and ticket, and a
    # district admin opens it often; the downloads below hold all of it.
    events = AuditEvent.objects.filter(district__in=access.admin_districts(request.user))
    page = page_of(request, events.values_list(*LOGGED))
    # Each row as the strings it shows: fifty events with their actors and both JSON fields
    # read, Django's date format and a label looked up per row cost the page about 6 ms.
    months = {number: str(name).title() for number, name in MONTHS_3.items()}  # what "M" shows
    outcomes = {}
    system = gettext("system")
    rows = []
    for at, username, action, object_type, object_repr, after in page.object_list:
        at = timezone.localtime(at)
        key = (object_type, after.get("state"), after.get("status"))
        if (outcome := outcomes.get(key)) is None:
            outcome = outcomes[key] = AuditEvent(object_type=object_type, after=after).outcome
        rows.append((
            f"{at.day} {months[at.month]} {at.year}, {at:%H:%M:%S}",  # |date:"j M Y, H:i:s"
            system if username is None else username,
            action_label(action),
            outcome,
            object_repr,
        ))  # fmt: skip
    page.object_list = rows
    return render(request, "audit/log.html", {"events": page})


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
