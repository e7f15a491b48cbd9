"""What the dashboard, the state view, the reports and the API show, read from the rolled-up rows
in a fixed number of queries however many departments or districts there are."""

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db.models import Count, OuterRef, Subquery, Sum
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from samvad.campaigns import figures, svg
from samvad.campaigns.measure import period
from samvad.campaigns.models import (
    PROJECTION_DAY,
    AccountDay,
    Campaign,
    CampaignDay,
    DepartmentDay,
    DepartmentTarget,
    PostMetrics,
    Projection,
)
from samvad.campaigns.projection import Forecast, why_none
from samvad.campaigns.rollup import TARGETS, forecasts
from samvad.org.figures import following_rate
from samvad.org.models import District, OfficialAccount

LABELS = {
    "followers": _("Followers gained"),
    "posts": _("Posts"),
    "reposts": _("Staff reposts"),
    "submissions": _("Submissions"),
}
TOP_POSTS = 5


@dataclass
class TargetRow:
    metric: str
    label: str
    target: int
    actual: float
    forecast: Forecast | None
    day5: Projection | None
    available: bool = True
    no_forecast: str = ""  # why there is none (projection.FEW_DAYS or NO_SPREAD)
    measured_days: int = 0

    @property
    def percent(self) -> int | None:
        return round(100 * self.actual / self.target) if self.target else None

    @property
    def on_track(self) -> bool | None:
        if not self.target or self.forecast is None:
            return None
        return self.forecast.expected >= self.target


@dataclass
class DepartmentRow:
    department_id: int
    name_hi: str
    name_en: str
    submissions: int = 0
    posts: int = 0
    reposts: int = 0
    staff: int = 0
    following: int = 0
    target_submissions: int = 0
    target_posts: int | None = None
    target_reposts: int | None = None

    @property
    def name(self) -> str:
        return self.name_en if translation.get_language() == "en" else self.name_hi

    @property
    def following_rate(self) -> int | None:
        return following_rate(self.following, self.staff)


@dataclass
class Scoreboard:
    campaign: Campaign
    today: date
    day_number: int
    days: list[CampaignDay]
    targets: list[TargetRow]
    departments: list[DepartmentRow]
    top_posts: list[PostMetrics]
    followers_now: int | None
    spend: Decimal | None
    staff: int
    following: int
    updated: object
    charts: dict = field(default_factory=dict)
    available: dict = field(default_factory=dict)

    @property
    def following_rate(self) -> int | None:
        return following_rate(self.following, self.staff)

    @property
    def ended(self) -> bool:
        return self.today > self.campaign.ends_on


def scoreboard(
    campaign: Campaign, *, departments=None, today: date | None = None, charts: bool = True
) -> Scoreboard:
    """The campaign's figures. With `departments` (ids), only those departments' rows."""
    today = today or timezone.localdate()
    days = list(CampaignDay.objects.filter(campaign=campaign, day__lte=today))
    departments_rows = _departments(campaign, days[-1].day if days else None, departments)
    targets = _targets(campaign, days, departments_rows, today)
    start, end = period(campaign)
    top = PostMetrics.objects.filter(
        account__in=campaign.accounts.all(), published_at__gte=start, published_at__lt=end
    )
    if departments is not None:
        top = top.filter(department__in=departments)
    last = days[-1] if days else None
    board = Scoreboard(
        campaign=campaign,
        today=today,
        day_number=campaign.day_number(today),
        days=days,
        targets=targets,
        departments=departments_rows,
        top_posts=list(top.order_by("-engagement", "-published_at")[:TOP_POSTS]),
        followers_now=next((d.followers for d in reversed(days) if d.followers is not None), None),
        spend=sum((d.spend for d in days), Decimal(0)) if figures.available("spend") else None,
        staff=last.staff if last else 0,
        following=last.following if last else 0,
        updated=max((d.updated for d in days), default=None),
        available={k: figures.available(k) for k in figures.SOURCES},
    )
    if charts:
        board.charts = _charts(board)
    return board


def _departments(campaign, day, only) -> list[DepartmentRow]:
    targets = {t.department_id: t for t in DepartmentTarget.objects.filter(campaign=campaign)}
    rows = DepartmentDay.objects.filter(campaign=campaign, day=day).select_related("department")
    if only is not None:
        rows = rows.filter(department__in=only)
    rows = list(rows)
    staff = figures.staff_following([r.department_id for r in rows], day) if rows else {}
    out = []
    for row in rows:
        own = targets.get(row.department_id)
        out.append(
            DepartmentRow(
                row.department_id,
                row.department.name_hi,
                row.department.name_en,
                row.submissions,
                row.posts,
                row.reposts,
                *staff.get(row.department_id, (0, 0)),
                target_submissions=own.submissions
                if own and own.submissions is not None
                else campaign.target_submissions,
                target_posts=own.posts if own else None,
                target_reposts=own.reposts if own else None,
            )
        )
    out.sort(key=lambda r: (-r.posts, -r.submissions, -r.reposts, r.name_en))
    return out


def _targets(campaign, days, departments, today) -> list[TargetRow]:
    made = forecasts(campaign, days, today=today) if days else {}
    day5 = {
        p.metric: p
        for p in Projection.objects.filter(campaign=campaign, made_on_day=PROJECTION_DAY)
    }
    complete = [d for d in days if d.day < today]
    rows = []
    for metric, (series, target_field, _can_fall) in TARGETS.items():
        target = (
            sum(d.target_submissions for d in departments)
            if metric == "submissions"
            else getattr(campaign, target_field)
        )
        source = {
            "followers": None,
            "posts": "posts",
            "reposts": "reposts",
            "submissions": "submissions",
        }[metric]
        rows.append(
            TargetRow(
                metric=metric,
                label=str(LABELS[metric]),
                target=target,
                actual=sum(getattr(d, series) for d in days),
                forecast=made.get(metric),
                day5=day5.get(metric),
                available=source is None or figures.available(source),
                measured_days=len(complete),
            )
        )
        if rows[-1].forecast is None and days:
            rows[-1].no_forecast = why_none([getattr(d, series) for d in complete])
    return rows


def _charts(board: Scoreboard) -> dict:
    labels = [f"{d.day:%d.%m}" for d in board.days]
    followers = next(t for t in board.targets if t.metric == "followers")
    running, total = [], 0
    for d in board.days:
        total += d.followers_gained
        running.append(total)
    cone = followers.forecast
    return {
        "followers": svg.line_chart(
            running,
            labels,
            title=str(_("Followers gained so far, with the forecast")),
            total_days=board.campaign.days,
            target=followers.target or None,
            forecast=(cone.expected, cone.low, cone.high) if cone and not board.ended else None,
        ),
        "gain": svg.bar_chart(
            [d.followers_gained for d in board.days],
            labels,
            title=str(_("Followers gained each day")),
        ),
        "posts": svg.bar_chart(
            [d.posts for d in board.days], labels, title=str(_("Posts each day"))
        ),
        "reposts": svg.bar_chart(
            [d.reposts for d in board.days], labels, title=str(_("Staff reposts each day"))
        ),
    }


# The state view -----------------------------------------------------------------------------


@dataclass
class DistrictRow:
    district: District
    campaign: Campaign | None = None
    followers: int | None = None
    gained: int = 0
    target_followers: int = 0
    posts: int = 0
    target_posts: int = 0
    reposts: int = 0
    target_reposts: int = 0
    submissions: int = 0
    staff: int = 0
    following: int = 0
    spend: Decimal = Decimal(0)
    day_number: int = 0

    @property
    def name(self) -> str:
        return self.district.name

    @property
    def following_rate(self) -> int | None:
        return following_rate(self.following, self.staff)

    @property
    def progress(self) -> int | None:
        t = self.target_followers
        return round(100 * self.gained / t) if t else None


SORTS = {
    "district": lambda r: r.district.name_en,
    "followers": lambda r: r.followers or 0,
    "gained": lambda r: r.gained,
    "progress": lambda r: r.progress or 0,
    "posts": lambda r: r.posts,
    "reposts": lambda r: r.reposts,
    "submissions": lambda r: r.submissions,
    "following": lambda r: r.following_rate or 0,
    "spend": lambda r: r.spend,
}


def state_rows(districts, *, today: date | None = None, sort: str = "district") -> list:
    """Every district side by side: its current campaign's figures, else its followers today.
    Five queries, whatever the number of districts."""
    today = today or timezone.localdate()
    rows = campaign_rows(districts, today=today)
    current = {r.campaign.pk: r for r in rows.values() if r.campaign}
    last_day = (
        CampaignDay.objects.filter(campaign=OuterRef("campaign"), day__lte=today)
        .order_by("-day")
        .values("day")[:1]
    )
    latest = CampaignDay.objects.filter(campaign__in=list(current), day=Subquery(last_day))
    for d in latest.values("campaign", "followers", "staff", "following"):
        row = current[d["campaign"]]
        row.followers, row.staff, row.following = d["followers"], d["staff"], d["following"]
    _followers_without_campaign(rows, today)
    key = SORTS.get(sort.lstrip("-"), SORTS["district"])
    return sorted(rows.values(), key=key, reverse=sort.startswith("-"))


def campaign_rows(districts, *, today: date | None = None) -> dict[int, DistrictRow]:
    """Each district's current campaign with its totals so far, by district id, without the
    followers, staff and following (state_rows adds them): what a district admin's home shows,
    in two queries rather than five."""
    today = today or timezone.localdate()
    rows = {d.pk: DistrictRow(d) for d in districts}
    campaigns = Campaign.objects.filter(district__in=list(rows), starts_on__lte=today)
    for campaign in campaigns.order_by("district", "-starts_on", "-id"):
        row = rows[campaign.district_id]
        if row.campaign is None:
            row.campaign, row.day_number = campaign, campaign.day_number(today)
            row.target_followers = campaign.target_followers
            row.target_posts, row.target_reposts = campaign.target_posts, campaign.target_reposts
    current = {r.campaign.pk: r for r in rows.values() if r.campaign}
    if not current:
        return rows  # nothing to add up: the query would be built only to find that out
    totals = (
        CampaignDay.objects.filter(campaign__in=list(current), day__lte=today)
        .values("campaign")
        .annotate(
            gained=Sum("followers_gained"),
            posts=Sum("posts"),
            reposts=Sum("reposts"),
            submissions=Sum("submissions"),
            spend=Sum("spend"),
            n=Count("pk"),
        )
    )
    for t in totals:
        row = current[t["campaign"]]
        row.gained, row.posts, row.reposts = t["gained"], t["posts"], t["reposts"]
        row.submissions, row.spend = t["submissions"], t["spend"] or Decimal(0)
    return rows


def _followers_without_campaign(rows: dict, today: date) -> None:
    """Districts not (yet) in a campaign still show their accounts' followers: each district
    account's last measurement, found through the (account, day) index, one per account."""
    waiting = [pk for pk, r in rows.items() if r.followers is None]
    if not waiting:
        return
    last = (
        AccountDay.objects.filter(account=OuterRef("pk"), day__lte=today)
        .order_by("-day")
        .values("followers")[:1]
    )
    accounts = (
        OfficialAccount.objects.filter(district__in=waiting, department__isnull=True)
        .annotate(last_followers=Subquery(last))
        .values_list("district", "last_followers")
    )
    for district, followers in accounts:
        if followers is not None:
            rows[district].followers = (rows[district].followers or 0) + followers
