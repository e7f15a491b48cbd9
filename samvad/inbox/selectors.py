"""The inbox's reads: what each person may see, and the figures other apps ask for.

First response is the time from a ticket's arrival to the first draft of its answer; resolution is
the time to its answer on X (or to being closed, or marked as needing no action).
"""

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from statistics import median

from django.db.models import F, Q
from django.utils import timezone

from samvad.content.models import Post
from samvad.inbox.models import FactCheck, MentionCursor, Ticket
from samvad.org import access
from samvad.org.access import DISTRICT_STAFF
from samvad.org.models import Role

FIGURES_WINDOW = timedelta(days=30)

# Who works the inbox: DIPR's staff for the whole district, an officer for their department.
INBOX_USERS = (*DISTRICT_STAFF, Role.OFFICER)


def visible_tickets(user):
    """An editor's or admin's whole district; an officer's own department's tickets."""
    return Ticket.objects.filter(
        Q(district__in=access.editor_districts(user))
        | Q(department__in=access.officer_departments(user))
    ).select_related("mention", "department", "reply")


def staff_tickets(user):
    """The tickets DIPR's staff act on (approve, return, assign, close): their whole district's."""
    return Ticket.objects.filter(district__in=access.editor_districts(user))


def visible_fact_checks(user):
    return FactCheck.objects.filter(
        Q(district__in=access.editor_districts(user))
        | Q(department__in=access.officer_departments(user))
    ).select_related("department", "clarification", "mention")


def staff_fact_checks(user):
    """The cases DIPR's staff act on (publish, dismiss): their whole district's."""
    return FactCheck.objects.filter(district__in=access.editor_districts(user))


def may_draft(user, ticket: Ticket) -> bool:
    """The owning department's officer, or DIPR (for triage or to help out)."""
    return ticket.district_id in access.editor_districts(
        user
    ) or ticket.department_id in access.officer_departments(user)


def gaps(district):
    """Accounts whose last fetches may have missed mentions (X reaches only the newest 800)."""
    return MentionCursor.objects.filter(
        account__district=district,
        gap_to__isnull=False,
        gap_to__gte=timezone.now() - FIGURES_WINDOW,
    ).select_related("account")


# Figures ----------------------------------------------------------------------------------------


def answered_on_time(district, *, start: datetime, end: datetime) -> tuple[int, int]:
    """(answered on time, asked): tickets that arrived in the period, not counting those marked
    as needing no action, and of them those whose reply was on X by the deadline."""
    asked = Ticket.objects.filter(district=district, created__gte=start, created__lt=end).exclude(
        status=Ticket.Status.NO_ACTION
    )
    on_time = asked.filter(
        reply__state=Post.State.PUBLISHED, reply__published_at__lte=F("deadline")
    )
    return on_time.count(), asked.count()


def _hours(spans: list[timedelta]) -> float | None:
    return round(median(spans).total_seconds() / 3600, 1) if spans else None


@dataclass
class DepartmentFigures:
    department: object  # None: DIPR triage
    tickets: int = 0
    open: int = 0
    overdue: int = 0
    on_time: int = 0
    first_response: list[timedelta] = field(default_factory=list)
    resolution: list[timedelta] = field(default_factory=list)

    @property
    def first_response_hours(self) -> float | None:
        return _hours(self.first_response)

    @property
    def resolution_hours(self) -> float | None:
        return _hours(self.resolution)


def response_times(
    district, *, start: datetime | None = None, end: datetime | None = None
) -> list[DepartmentFigures]:
    """Per department (and triage): tickets, open, overdue, answered on time, and the median
    hours to first response and to resolution, for tickets that arrived in the period (the last
    30 days by default)."""
    now = timezone.now()
    end = end or now
    start = start or end - FIGURES_WINDOW
    tickets = Ticket.objects.filter(
        district=district, created__gte=start, created__lt=end
    ).select_related("department", "reply")
    rows: dict[int | None, DepartmentFigures] = {}
    for t in tickets:
        row = rows.setdefault(t.department_id, DepartmentFigures(t.department))
        row.tickets += 1
        row.open += t.is_open
        row.overdue += t.is_open and t.deadline <= now
        row.on_time += bool(
            t.reply and t.reply.state == Post.State.PUBLISHED and t.reply.published_at <= t.deadline
        )
        if t.first_response_at:
            row.first_response.append(t.first_response_at - t.created)
        if t.resolved_at:
            row.resolution.append(t.resolved_at - t.created)
    return sorted(
        rows.values(),
        key=lambda r: (r.department is None, r.department.name if r.department else ""),
    )


def tickets_open(*, districts=(), departments=()):
    """Open tickets of whole districts (DIPR) or of departments (their officers)."""
    return Ticket.objects.open().filter(Q(district__in=districts) | Q(department__in=departments))
