"""The pre-aggregated rows the pages read: CampaignDay for every day so far, DepartmentDay for
today, and today's projection of each target.

Recomputed in full from the campaign's start at every measurement: a handful of grouped queries
scoped to one district, so late data (a repost seen hours after it happened) is never lost.
"""

from datetime import date, datetime
from decimal import Decimal

from django.db.models import F, Sum
from django.utils import timezone

from samvad.campaigns import figures, retention
from samvad.campaigns.measure import period
from samvad.campaigns.models import (
    AccountDay,
    Campaign,
    CampaignDay,
    DepartmentDay,
    PostMetricDay,
    Projection,
)
from samvad.campaigns.projection import forecast
from samvad.org.models import Department

# The targets with a daily series, the CampaignDay field each is counted in, and whether the total
# can fall (followers can unfollow; posts made stay made).
TARGETS = {
    "followers": ("followers_gained", "target_followers", True),
    "posts": ("posts", "target_posts", False),
    "reposts": ("reposts", "target_reposts", False),
    "submissions": ("submissions", None, False),
}


def rollup(campaign: Campaign, *, today: date | None = None, now: datetime | None = None) -> None:
    today = today or timezone.localdate()
    if today < campaign.starts_on:
        return
    now = now or timezone.now()
    figures.record_staff(campaign.district, day=today)
    rows = campaign_days(campaign, today=today, now=now)
    fields = [
        "followers",
        "followers_gained",
        "posts",
        "reposts",
        "submissions",
        "engagement",
        "impressions",
        "staff",
        "following",
        "spend",
        "updated",
    ]
    CampaignDay.objects.bulk_create(
        rows, update_conflicts=True, unique_fields=["campaign", "day"], update_fields=fields
    )
    rollup_departments(campaign, day=min(today, campaign.ends_on), now=now)
    if today <= campaign.ends_on:
        store_projections(campaign, rows, today=today)


def campaign_days(
    campaign: Campaign, *, today: date, now: datetime, staff: tuple[int, int] | None = None
) -> list[CampaignDay]:
    """Every day of the campaign up to `today`, counted afresh (unsaved rows). `staff`: the
    district's (staff, following) when the caller has counted them already."""
    start, end = period(campaign)
    upto = min(end, now)
    days = campaign.dates(until=today)
    accounts = list(campaign.accounts.values_list("pk", flat=True))
    district = campaign.district
    posts = figures.posts_by_day(accounts, start, end)
    submissions = figures.submissions_by_day(district, start, end)
    reposts = figures.staff_reposts_by_day(district, start, end)
    spend = figures.x_spend_by_day(district, start, upto)
    followers = _followers_by_day(accounts, days)
    engagement = _engagement_by_day(accounts, days)
    staff = staff or _staff_totals(district, today)
    existing = {row.day: row for row in CampaignDay.objects.filter(campaign=campaign)}
    pruned_before = retention.pruned_before(today)
    rows, previous = [], campaign.baseline_followers
    for day in days:
        count = followers.get(day)
        gained = count - previous if count is not None and previous is not None else 0
        previous = count if count is not None else previous
        kept = existing.get(day)
        # Staff figures are a standing count: only today's can be measured now.
        staff_now = staff if day == today or kept is None else (kept.staff, kept.following)
        # Posts' daily figures older than the retention are pruned to each post's final row
        # (retention.py): those days keep the engagement they were counted with.
        day_engagement = (
            (kept.engagement, kept.impressions)
            if kept and day < pruned_before
            else engagement.get(day, (0, 0))
        )
        rows.append(
            CampaignDay(
                campaign=campaign,
                day=day,
                followers=count,
                followers_gained=gained,
                posts=posts.get(day, 0),
                reposts=reposts.get(day, 0),
                submissions=submissions.get(day, 0),
                engagement=day_engagement[0],
                impressions=day_engagement[1],
                staff=staff_now[0],
                following=staff_now[1],
                spend=spend.get(day) or Decimal(0),
                updated=now,
            )
        )
    return rows


def _followers_by_day(account_ids, days) -> dict[date, int]:
    """The accounts' followers at each day's end; a day without a measurement carries the last
    one forward (and counts only once every account has been measured)."""
    rows = AccountDay.objects.filter(account_id__in=account_ids, day__lte=days[-1]).order_by("day")
    last, by_day = {}, {}
    pending = list(rows.values_list("day", "account_id", "followers"))
    for day in days:
        while pending and pending[0][0] <= day:
            _, account, count = pending.pop(0)
            last[account] = count
        if len(last) == len(account_ids) and last:
            by_day[day] = sum(last.values())
    return by_day


def _engagement_by_day(account_ids, days) -> dict[date, tuple[int, int]]:
    rows = (
        PostMetricDay.objects.filter(
            account_id__in=account_ids, day__gte=days[0], day__lte=days[-1]
        )
        .values("day")
        .annotate(
            e=Sum(F("likes") + F("reposts") + F("replies") + F("quotes")), i=Sum("impressions")
        )
        .values_list("day", "e", "i")
    )
    found, out, last = {d: (e or 0, i or 0) for d, e, i in rows}, {}, (0, 0)
    for day in days:
        last = found.get(day, last)
        out[day] = last
    return out


def _staff_totals(district, day: date) -> tuple[int, int]:
    departments = Department.objects.filter(district=district)
    per_department = figures.staff_following(departments, day).values()
    return sum(s for s, _ in per_department), sum(f for _, f in per_department)


def rollup_departments(campaign: Campaign, *, day: date, now: datetime | None = None) -> None:
    DepartmentDay.objects.bulk_create(
        department_days(campaign, day=day, now=now or timezone.now()),
        update_conflicts=True,
        unique_fields=["campaign", "day", "department"],
        update_fields=["submissions", "posts", "reposts"],
    )


def department_days(campaign: Campaign, *, day: date, now: datetime) -> list[DepartmentDay]:
    """Every department of the district, from the start to `now` (unsaved rows for `day`)."""
    start, end = period(campaign)
    upto = min(end, now)
    district = campaign.district
    accounts = list(campaign.accounts.values_list("pk", flat=True))
    posts = figures.posts_by_department(accounts, start, upto)
    submissions = figures.submissions_by_department(district, start, upto)
    reposts = figures.staff_reposts_by_department(district, start, upto)
    return [
        DepartmentDay(
            campaign=campaign,
            department_id=pk,
            day=day,
            submissions=submissions.get(pk, 0),
            posts=posts.get(pk, 0),
            reposts=reposts.get(pk, 0),
        )
        for pk in Department.objects.filter(district=district).values_list("pk", flat=True)
    ]


def forecasts(campaign: Campaign, rows, *, today: date) -> dict:
    """Each target's forecast from the complete days before `today`."""
    complete = [r for r in rows if r.day < today]
    out = {}
    for metric, (field, _, can_fall) in TARGETS.items():
        so_far = sum(getattr(r, field) for r in rows)
        out[metric] = forecast(
            [getattr(r, field) for r in complete],
            total_days=campaign.days,
            so_far=so_far,
            can_fall=can_fall,
        )
    return out


def store_projections(campaign: Campaign, rows, *, today: date) -> None:
    """Keep the forecast as made today; the one made on day 5 is shown at the campaign's end."""
    day_number = campaign.day_number(today)
    for metric, made in forecasts(campaign, rows, today=today).items():
        if made is None:
            continue
        Projection.objects.update_or_create(
            campaign=campaign,
            metric=metric,
            made_on_day=day_number,
            defaults={"expected": made.expected, "low": made.low, "high": made.high},
        )
