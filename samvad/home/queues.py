"""Each role's home is its work queue: what is waiting for this person, as counts with links, in
the order it should be done. Every count of a home is read in one query (`counted`), so that a
home renders in a fixed, small number of queries however much work is waiting."""

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import IntegerField, OuterRef, QuerySet, Subquery, Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from samvad.advocacy.selectors import TASK_WINDOW, repost_tasks_waiting
from samvad.campaigns.scoreboard import campaign_rows, state_rows
from samvad.content import selectors as content
from samvad.inbox.selectors import tickets_open
from samvad.notifications.selectors import unread
from samvad.org import access
from samvad.org.models import Department, District, Invitation, Person, Role
from samvad.platforms.x.models import Connection, DistrictBudget, LedgerEntry
from samvad.platforms.x.templatetags.x_money import inr, usd
from samvad.reports.models import Recipient
from samvad.training.checklist import checklist_for
from samvad.training.models import Session

# A budget is "near its cap" once this share of the month's budget is spent.
BUDGET_WARNING = Decimal("0.8")


class SubqueryCount(Subquery):
    """The number of rows of a queryset, as one column of another query."""

    template = "(SELECT COUNT(*) FROM (%(subquery)s) _counted)"
    output_field = IntegerField()


def counted(row_queryset, **parts):
    """The one row of `row_queryset`, with each queryset in `parts` counted and each expression
    in `parts` computed as its columns: a page's figures in a single query."""
    annotations = {
        name: SubqueryCount(part.order_by().values("pk")) if isinstance(part, QuerySet) else part
        for name, part in parts.items()
    }
    return row_queryset.annotate(**annotations).get()


@dataclass
class Item:
    """One line of a work queue: how many, of what, and where to do it."""

    count: int
    label: str
    url: str
    detail: str = ""
    urgent: bool = False


def _trainer_sessions(user):
    return Session.objects.filter(trainer__user=user, starts_at__gte=timezone.now())


def home_context(user, role: str) -> dict:
    build = {
        Role.DISTRICT_ADMIN: _district_admin,
        Role.EDITOR: _editor,
        Role.OFFICER: _officer,
        Role.STATE_OBSERVER: _state_observer,
        Role.EMPLOYEE: _employee,
    }[role]
    return build(user)


def _editor(user) -> dict:
    districts = access.editor_districts(user)
    today = timezone.localdate()
    waiting = content.submissions_waiting(districts)
    row = counted(
        District.objects.filter(id__in=districts).order_by("id")[:1],
        waiting=waiting,
        oldest=Subquery(waiting.order_by("created").values("created")[:1]),
        replies=content.replies_waiting(districts),
        trouble=content.posts_in_trouble(districts),
        trouble_day=Subquery(
            content.posts_in_trouble(districts).order_by("scheduled_at").values("scheduled_at")[:1]
        ),
        scheduled=content.scheduled_on(districts, today),
        unread=unread(user),
        training=_trainer_sessions(user),
    )
    calendar = reverse("content:calendar")
    trouble_day = timezone.localdate(row.trouble_day) if row.trouble_day else today
    items = [
        Item(
            row.waiting,
            _("submissions waiting for review"),
            reverse("content:review_queue"),
            urgent=bool(row.waiting),
        ),
        Item(
            row.replies,
            _("replies to citizens waiting for approval"),
            reverse("inbox:inbox") + "?show=approval",
            urgent=bool(row.replies),
        ),
        Item(
            row.trouble,
            _("posts failed or uncertain"),
            f"{calendar}?date={trouble_day.isoformat()}",
            urgent=bool(row.trouble),
        ),
        Item(row.scheduled, _("posts scheduled for today"), f"{calendar}?date={today.isoformat()}"),
    ]
    return {
        "district": row,
        "items": items,
        "oldest_waiting": row.oldest,
        "unread_notifications": row.unread,
        "training_count": row.training,
    }


def _officer(user) -> dict:
    departments = access.officer_departments(user)
    now = timezone.now()
    returned = content.submissions_returned(departments)
    tickets = tickets_open(departments=departments)
    people = Person.objects.filter(department__in=departments)
    row = counted(
        Department.objects.filter(id__in=departments).order_by("id")[:1],
        returned=returned,
        tickets=tickets,
        overdue=tickets.filter(deadline__lte=now),
        unverified=people.exclude(x_handle__status="verified"),
        not_following=people.exclude(
            x_handle__following_since__isnull=False, x_handle__stopped_following_at__isnull=True
        ),
        unread=unread(user),
        training=_trainer_sessions(user),
    )
    staff = reverse("advocacy:department", args=[row.pk])
    items = [
        Item(
            row.returned,
            _("submissions returned to you for changes"),
            reverse("content:submission_list") + "?state=changes_requested",
            urgent=bool(row.returned),
        ),
        Item(
            row.tickets,
            _("citizens' tickets open"),
            reverse("inbox:inbox"),
            detail=_("%(n)s past the deadline") % {"n": row.overdue} if row.overdue else "",
            urgent=bool(row.overdue),
        ),
        Item(row.unverified, _("staff without a verified X handle"), staff),
        Item(row.not_following, _("staff not yet following the official account"), staff),
    ]
    return {
        "department": row,
        "items": items,
        # The lists are read only when the counts say there is something to list.
        "returned": list(returned.order_by("-updated")[:5]) if row.returned else [],
        "tickets": (
            list(tickets.select_related("mention").order_by("deadline")[:5]) if row.tickets else []
        ),
        "unread_notifications": row.unread,
        "training_count": row.training,
        "now": now,
    }


def _district_admin(user) -> dict:
    district_id = min(access.admin_districts(user))
    month = LedgerEntry.objects.filter(district=OuterRef("pk")).in_month_of(timezone.now())
    row = counted(
        District.objects.filter(pk=district_id),
        broken=Connection.objects.alerting().filter(account__district=district_id),
        budget=Subquery(
            DistrictBudget.objects.filter(district=OuterRef("pk")).values("monthly_usd")[:1]
        ),
        spent=Subquery(month.values("district").annotate(total=Sum("cost")).values("total")[:1]),
        overdue=tickets_open(districts=[district_id]).filter(deadline__lte=timezone.now()),
        recipients=Recipient.objects.filter(district=district_id),
        invitations=Invitation.objects.open().filter(district=district_id),
        unread=unread(user),
        training=_trainer_sessions(user),
    )
    [campaign] = campaign_rows([row]).values()  # the home shows no followers
    near_cap = row.budget is not None and (row.spent or 0) >= BUDGET_WARNING * row.budget
    alerts = [
        Item(
            row.broken,
            _("official accounts need connecting to X again"),
            reverse("x:settings"),
            urgent=True,
        ),
        Item(
            1 if near_cap else 0,
            _("X budget near its cap"),
            reverse("x:ledger"),
            detail=_(
                "₹%(spent_inr)s ($%(spent)s) of ₹%(budget_inr)s ($%(budget)s) spent this month"
            )
            % {
                "spent": usd(row.spent or 0),
                "spent_inr": inr(row.spent or 0),
                "budget": usd(row.budget),
                "budget_inr": inr(row.budget),
            }
            if near_cap
            else "",
            urgent=True,
        ),
        Item(
            row.overdue,
            _("tickets past their deadline"),
            reverse("inbox:inbox") + "?show=overdue",
            urgent=True,
        ),
        Item(
            1 if not row.recipients else 0,
            _("the daily report has no recipients"),
            reverse("reports:recipients"),
            urgent=True,
        ),
        Item(row.invitations, _("invitations not yet accepted"), reverse("invite")),
    ]
    return {
        "district": row,
        "campaign": campaign,
        "alerts": [a for a in alerts if a.count],
        "unread_notifications": row.unread,
        "training_count": row.training,
    }


def _state_observer(user) -> dict:
    districts = list(
        access.visible_districts(user).annotate(unread=SubqueryCount(unread(user).values("pk")))
    )
    rows = state_rows(districts)
    # Districts behind target first: the lowest progress on top, those without a campaign last.
    rows.sort(key=lambda r: (r.progress is None, r.progress or 0, r.name))
    return {"rows": rows, "unread_notifications": districts[0].unread if districts else 0}


def _employee(user) -> dict:
    person = Person.objects.filter(user=user).select_related("department", "district").first()
    if person is None:
        return {"person": None}
    row = counted(
        Person.objects.filter(pk=person.pk),
        reposts=repost_tasks_waiting(person, since=timezone.now() - TASK_WINDOW),
        unread=unread(user),
        training=_trainer_sessions(user),
    )
    return {
        "person": person,
        "checklist": checklist_for(person),
        "reposts_waiting": row.reposts,
        "unread_notifications": row.unread,
        "training_count": row.training,
    }
