"""Campaign figures in the REST API (/api/v1/campaigns...): read-only, scoped like the pages."""

from datetime import date

from django.shortcuts import get_object_or_404
from ninja import Query, Router, Schema

from samvad.api.paging import Page, PageParams, page, whole
from samvad.campaigns import scoreboard as board
from samvad.campaigns.access import department_scope, visible_campaigns
from samvad.org import access
from samvad.org.access import ORG_READERS, Role, api_access
from samvad.org.models import District

router = Router(tags=["campaigns"])


class CampaignOut(Schema):
    id: int
    name: str
    district_id: int
    starts_on: date
    ends_on: date
    target_followers: int
    target_posts: int
    target_reposts: int
    target_submissions: int
    baseline_followers: int | None


class ForecastOut(Schema):
    expected: float
    low: float
    high: float


class TargetOut(Schema):
    metric: str
    target: int
    actual: float
    percent: int | None
    forecast: ForecastOut | None
    forecast_day5: ForecastOut | None


class DayOut(Schema):
    day: date
    followers: int | None
    followers_gained: int
    posts: int
    reposts: int
    submissions: int
    spend: float


class DepartmentOut(Schema):
    department_id: int
    name_hi: str
    name_en: str
    submissions: int
    posts: int
    reposts: int
    staff: int
    following: int
    following_rate: int | None
    target_submissions: int


class TopPostOut(Schema):
    x_post_id: str
    text: str
    likes: int
    reposts: int
    replies: int
    impressions: int


class FiguresOut(Schema):
    campaign: CampaignOut
    day_number: int
    followers_now: int | None
    following_rate: int | None
    spend: float | None
    targets: list[TargetOut]
    days: list[DayOut]
    departments: list[DepartmentOut]
    top_posts: list[TopPostOut]


class StateRowOut(Schema):
    district_id: int
    name_hi: str
    name_en: str
    campaign_id: int | None
    followers: int | None
    gained: int
    target_followers: int
    posts: int
    reposts: int
    submissions: int
    following_rate: int | None
    spend: float


def _forecast(f) -> dict | None:
    return {"expected": f.expected, "low": f.low, "high": f.high} if f else None


def figures_json(b: board.Scoreboard, *, whole: bool = True) -> dict:
    return {
        "campaign": b.campaign,
        "day_number": b.day_number,
        "followers_now": b.followers_now if whole else None,
        "following_rate": b.following_rate if whole else None,
        "spend": float(b.spend) if whole and b.spend is not None else None,
        "targets": [
            {
                "metric": t.metric,
                "target": t.target,
                "actual": t.actual,
                "percent": t.percent,
                "forecast": _forecast(t.forecast),
                "forecast_day5": _forecast(t.day5),
            }
            for t in b.targets
        ]
        if whole
        else [],
        "days": [
            {
                **{
                    f: getattr(d, f)
                    for f in (
                        "day",
                        "followers",
                        "followers_gained",
                        "posts",
                        "reposts",
                        "submissions",
                    )
                },
                "spend": float(d.spend),
            }
            for d in b.days
        ]
        if whole
        else [],
        "departments": [{**vars(d), "following_rate": d.following_rate} for d in b.departments],
        "top_posts": [
            {
                "x_post_id": p.x_post_id,
                "text": p.text,
                "likes": p.likes,
                "reposts": p.reposts,
                "replies": p.replies,
                "impressions": p.impressions,
            }
            for p in b.top_posts
        ],
    }


@router.get("/campaigns", response=Page(CampaignOut))
@api_access(*ORG_READERS)
def campaigns(request, paging: Query[PageParams]):
    return page(request, visible_campaigns(request.user), paging)


@router.get("/campaigns/state", response=Page(StateRowOut))
@api_access(Role.STATE_OBSERVER)
def state(request, sort: str = "district"):
    districts = District.objects.filter(state__in=access.observed_states(request.user))
    return whole(
        [
            {
                "district_id": r.district.pk,
                "name_hi": r.district.name_hi,
                "name_en": r.district.name_en,
                "campaign_id": r.campaign.pk if r.campaign else None,
                "followers": r.followers,
                "gained": r.gained,
                "target_followers": r.target_followers,
                "posts": r.posts,
                "reposts": r.reposts,
                "submissions": r.submissions,
                "following_rate": r.following_rate,
                "spend": float(r.spend),
            }
            for r in board.state_rows(districts, sort=sort)
        ]
    )


@router.get("/campaigns/{campaign_id}", response=FiguresOut)
@api_access(*ORG_READERS)
def figures(request, campaign_id: int):
    campaign = get_object_or_404(visible_campaigns(request.user), pk=campaign_id)
    scope = department_scope(request.user, campaign)
    b = board.scoreboard(campaign, departments=scope, charts=False)
    return figures_json(b, whole=scope is None)
