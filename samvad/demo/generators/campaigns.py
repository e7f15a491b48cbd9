"""Measurements and campaigns for `samvad generate` (the contract: samvad/demo/generate.py).

Runs after content (the posts) and advocacy (the followers, handles and reposts) and writes what
the measurement job would have written over the period:
- a daily snapshot of every official account (AccountSnapshot and its AccountDay): a district
  account's followers on each day are counted from advocacy's follower rows, so that the history
  ends at the followers the compliance pages count; department accounts grow on their own;
  the posts figure counts the account's published posts;
- each published post's latest figures (PostMetrics, matching the post's engagement) and its
  figures at the end of each of its first SAMVAD_METRIC_DAYS days (PostMetricDay), as the
  retention keeps them: all of a recent post's days, one final row of an older one;
- a campaign per district on its district account, most of them running today, a few over and a
  few about to begin, with department targets for a handful of departments;
- then, for every campaign that has begun, the rows the pages read, computed by the rollup's own
  functions from the rows above: CampaignDay for each day so far, DepartmentDay for each day, and
  the projection made on each day.
"""

from collections import defaultdict
from collections.abc import Iterator
from datetime import date, datetime, timedelta

from django.conf import settings
from django.db import connection
from django.db.models import Count
from django.db.models.functions import TruncDate

from samvad.campaigns import figures, retention, rollup
from samvad.campaigns.models import (
    DEFAULT_DAYS,
    AccountDay,
    AccountSnapshot,
    Campaign,
    CampaignDay,
    DepartmentDay,
    DepartmentTarget,
    PostMetricDay,
    PostMetrics,
    Projection,
)
from samvad.demo import generate as synthetic
from samvad.org.models import Department, OfficialAccount

# Posts measured after this many days before today are written with all their daily rows, so
# that the campaigns' rollup counts them; the rollup's pruning then leaves what retention keeps.
FULL_HISTORY_DAYS = DEFAULT_DAYS + 1
NAME = "15 दिवसीय ट्विटर अभियान"
MEASURED_AT = 23  # the hour of the day's last measurement (IST)
PLANNED_SHARE = 0.1  # campaigns that begin in the next few days
ENDED_SHARE = 0.05  # campaigns that ended in the last weeks
TARGET_DEPARTMENTS = 4  # departments with targets of their own
OLDER_POSTS = 1_500  # an account's posts before the period (X's tweet count includes them)


def _posts_per_day_total(scale: synthetic.Scale) -> list[int]:
    from samvad.demo.generators.content import posts_per_day

    return [sum(day) for day in zip(*posts_per_day(scale), strict=True)]


def metric_days() -> int:
    return settings.SAMVAD_METRIC_DAYS


def metric_day_rows(scale: synthetic.Scale) -> int:
    """What retention keeps: a post measured until the last retained days keeps those days'
    rows, an older one its final row."""
    daily = _posts_per_day_total(scale)
    keep, rows = metric_days(), 0
    for i, n in enumerate(daily):
        measured = min(keep, scale.days - i)  # days i .. i + measured - 1
        recent = i + measured - (scale.days - 1 - keep)  # of those, not older than `keep` days
        rows += n * max(1, min(measured, recent))
    return rows


def estimate(scale: synthetic.Scale) -> dict[str, int]:
    accounts = scale.districts * (1 + scale.department_accounts)
    campaign_days = scale.districts * DEFAULT_DAYS  # at most; a campaign not begun has none
    return {
        "campaigns.AccountSnapshot": accounts * scale.days,
        "campaigns.AccountDay": accounts * scale.days,
        "campaigns.PostMetrics": scale.posts,
        "campaigns.PostMetricDay": metric_day_rows(scale),
        "campaigns.Campaign": scale.districts,
        "campaigns.CampaignDay": campaign_days,
        "campaigns.DepartmentDay": scale.departments * DEFAULT_DAYS,
    }


def generate(ctx: synthetic.Context) -> None:
    now = ctx.moment(ctx.today, MEASURED_AT)
    history = _follower_history(ctx)
    posts_by_account = _posts_by_account_and_day(ctx)
    _accounts(ctx, history, posts_by_account)
    _post_metrics(ctx)
    if connection.vendor == "postgresql":
        # The rollup below reads the tables just filled: let the planner know their size.
        tables = [m._meta.db_table for m in (AccountDay, PostMetricDay, PostMetrics)]
        with connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {', '.join(tables)}")
    campaigns = _campaigns(ctx, history)
    for campaign_id in campaigns:
        _rollup(ctx, Campaign.objects.select_related("district").get(pk=campaign_id), now)
    retention.prune_metric_days(today=ctx.today)


# Accounts -----------------------------------------------------------------------------------------


def _day(ctx, index: int) -> date:
    return ctx.start + timedelta(days=index)


def _follower_history(ctx) -> dict[int, list[int]]:
    """Each account's followers at the end of each day of the period."""
    rng, days = ctx.random, ctx.scale.days
    counted = _counted_followers(ctx)
    finals = synthetic.split(ctx.scale.followers, ctx.scale.districts)
    history = {}
    for index, district_id in enumerate(ctx.district_ids):
        account_id = ctx.district_accounts[district_id]
        history[account_id] = counted.get(account_id) or _grown(rng, finals[index], days)
        for department_id in ctx.departments[district_id]:
            if own := ctx.department_accounts.get(department_id):
                final = int(finals[index] * rng.uniform(0.03, 0.2))
                history[own] = _grown(rng, final, days)
    return history


def _grown(rng, final: int, days: int) -> list[int]:
    """A year that starts at 60% of `final` and ends at it, a little noisy, never negative."""
    out = [max(0, round(final * (0.6 + 0.4 * (i / max(days - 1, 1)) ** 1.1))
               + rng.randint(-3, 3)) for i in range(days)]  # fmt: skip
    out[-1] = final
    return out


def _counted_followers(ctx) -> dict[int, list[int]]:
    """Followers at each day's end as advocacy's follower rows say (empty without them)."""
    from samvad.advocacy.models import Follower

    accounts = list(ctx.district_accounts.values())
    rows = (Follower.objects.filter(account__in=accounts)
            .annotate(since_day=TruncDate("since", tzinfo=synthetic.TIME_ZONE),
                      until_day=TruncDate("until", tzinfo=synthetic.TIME_ZONE))
            .values("since_day", "until_day", "account").annotate(n=Count("pk")).order_by()
            .values_list("since_day", "until_day", "account", "n"))  # fmt: skip
    days = ctx.scale.days
    steps = defaultdict(lambda: [0] * (days + 1))
    for since, until, account_id, n in rows:
        steps[account_id][max(0, (since - ctx.start).days)] += n if since <= ctx.today else 0
        if until is not None and (until - ctx.start).days < days:
            steps[account_id][max(0, (until - ctx.start).days)] -= n
    history = {}
    for account_id, deltas in steps.items():
        running, out = 0, []
        for i in range(days):
            running += deltas[i]
            out.append(running)
        history[account_id] = out
    return history


def _posts_by_account_and_day(ctx) -> dict[int, dict[date, int]]:
    from samvad.content.models import Post

    rows = (Post.objects.filter(district__in=ctx.district_ids, state=Post.State.PUBLISHED)
            .annotate(day=TruncDate("published_at", tzinfo=synthetic.TIME_ZONE))
            .values("account", "day").annotate(n=Count("pk")).order_by()
            .values_list("account", "day", "n"))  # fmt: skip
    out = defaultdict(dict)
    for account_id, day, n in rows:
        out[account_id][day] = n
    return out


def _accounts(ctx, history: dict[int, list[int]], posts: dict[int, dict[date, int]]) -> None:
    """A snapshot a day of every account, streamed twice (AccountSnapshot, then AccountDay)."""
    rng = ctx.random
    district_of = dict(OfficialAccount.objects.filter(pk__in=list(history))
                       .values_list("pk", "district_id"))  # fmt: skip
    following = {account_id: rng.randint(40, 400) for account_id in history}

    def measured():
        for account_id, followers in history.items():
            total, own = OLDER_POSTS, posts.get(account_id, {})
            for index, count in enumerate(followers):
                day = _day(ctx, index)
                total += own.get(day, 0)
                yield account_id, day, count, following[account_id], total

    ctx.copy_rows(AccountSnapshot,
                  ["account_id", "at", "followers", "following", "posts", "listed"],
                  ((a, ctx.moment(day, MEASURED_AT), n, f, p, n // 400)
                   for a, day, n, f, p in measured()))  # fmt: skip
    ctx.copy_rows(
        AccountDay,
        ["account_id", "district_id", "day", "followers", "following", "posts"],
        ((a, district_of[a], day, n, f, p) for a, day, n, f, p in measured()),
    )


# Posts ----------------------------------------------------------------------------------------


POSTS_PAGE = 50_000


def _post_metrics(ctx) -> None:
    """Page by page: COPY holds the connection, so the posts are read between the COPYs."""
    from samvad.content.models import Post

    posts = (Post.objects.filter(district__in=ctx.district_ids, state=Post.State.PUBLISHED)
             .order_by("pk"))  # fmt: skip
    fields = ("pk", "x_post_id", "account_id", "department_id", "published_at", "text",
              "engagement")  # fmt: skip
    salt, last = ctx.random.randrange(4000), 0
    while page := list(posts.filter(pk__gt=last).values_list(*fields)[:POSTS_PAGE]):
        last = page[-1][0]
        ctx.copy_rows(PostMetrics, LATEST_FIELDS, _latest(ctx, page, salt))
        ctx.copy_rows(PostMetricDay, DAILY_FIELDS, _daily(ctx, page, salt))


LATEST_FIELDS = [
    "x_post_id", "account_id", "department_id", "published_at", "text", "likes", "reposts",
    "replies", "quotes", "bookmarks", "impressions", "engagement", "link_clicks",
    "profile_clicks", "measured_at",
]  # fmt: skip
DAILY_FIELDS = ["account_id", "day", "x_post_id", "likes", "reposts", "replies", "quotes",
                "bookmarks", "impressions"]  # fmt: skip


def split_engagement(engagement: int, reach: float) -> tuple[int, int, int, int, int, int]:
    """(likes, reposts, replies, quotes, bookmarks, impressions) adding up to `engagement`."""
    likes, reposts, replies = engagement * 72 // 100, engagement * 12 // 100, engagement // 10
    quotes = engagement - likes - reposts - replies
    return likes, reposts, replies, quotes, engagement // 20, int(engagement * reach) + 40


def _measured_days(ctx, published_at: datetime) -> int:
    published = published_at.astimezone(synthetic.TIME_ZONE).date()
    return max(1, min(metric_days(), (ctx.today - published).days + 1))


def _reach(x_post_id: str, salt: int) -> float:
    """Impressions per engagement: 20 to 60, fixed for a post."""
    return 20 + ((int(x_post_id) * 2_654_435_761 + salt) % 4000) / 100


def _latest(ctx, page: list[tuple], salt: int) -> Iterator[tuple]:
    for _, x_id, account_id, department_id, published_at, text, engagement in page:
        days = _measured_days(ctx, published_at)
        last_day = published_at.astimezone(synthetic.TIME_ZONE).date() + timedelta(days - 1)
        values = split_engagement(engagement, _reach(x_id, salt))
        yield (x_id, account_id, department_id, published_at, text[:300], *values, engagement,
               engagement // 8, engagement // 10, ctx.moment(last_day, MEASURED_AT))  # fmt: skip


GROWTH = [1 - 0.6 ** (k + 1) for k in range(400)]


def _daily(ctx, page: list[tuple], salt: int) -> Iterator[tuple]:
    """Each post's figures at the end of each day it was measured: most engagement comes on the
    first days, and the last day's figures are the latest ones."""
    for _, x_id, account_id, _, published_at, _, engagement in page:
        first = published_at.astimezone(synthetic.TIME_ZONE).date()
        days = _measured_days(ctx, published_at)
        reach = _reach(x_id, salt)
        full = (ctx.today - first).days < days + FULL_HISTORY_DAYS
        for k in range(days) if full else [days - 1]:  # an old post: its final row only
            values = split_engagement(int(engagement * GROWTH[k] / GROWTH[days - 1]), reach)
            yield (account_id, first + timedelta(days=k), x_id, *values)


# Campaigns ------------------------------------------------------------------------------------


def _campaigns(ctx, history: dict[int, list[int]]) -> list[int]:
    """A campaign per district; returns the ids of those that have begun."""
    rng, scale = ctx.random, ctx.scale
    places = synthetic.districts(scale)
    next_id = ctx.next_id(Campaign)
    daily = _district_daily_posts(scale)
    rows, links, targets, begun = [], [], [], []
    for index, (district_id, place) in enumerate(zip(ctx.district_ids, places, strict=True)):
        kind = rng.random()
        if kind < PLANNED_SHARE:
            starts = ctx.today + timedelta(days=rng.randint(1, 5))
        elif kind < PLANNED_SHARE + ENDED_SHARE:
            starts = ctx.today - timedelta(days=DEFAULT_DAYS + rng.randint(0, 20))
        else:
            starts = ctx.today - timedelta(days=rng.randint(1, DEFAULT_DAYS - 2))
        starts = max(starts, ctx.start + timedelta(days=1))
        ends = starts + timedelta(days=DEFAULT_DAYS - 1)
        account_id = ctx.district_accounts[district_id]
        baseline, baseline_at = _baseline(ctx, history[account_id], starts)
        expected_posts = sum(daily[index][-DEFAULT_DAYS:]) * 0.7  # most go out on the account
        admin = ctx.user_ids[f"{synthetic.GENERATED_USER_PREFIX}{place.code}-admin"]
        rows.append((
            next_id, district_id, NAME, starts, ends,
            int(round(max(baseline, 1000) * rng.uniform(0.04, 0.1), -2)),
            int(round(expected_posts * rng.uniform(0.9, 1.3), -1)),
            int(round(expected_posts * rng.uniform(4, 8), -2)), rng.randint(3, 5),
            baseline if starts <= ctx.today else None,
            baseline_at if starts <= ctx.today else None, admin,
            ctx.moment(starts - timedelta(days=rng.randint(2, 10)), 11),
        ))  # fmt: skip
        links.append((next_id, account_id))
        for department_id in ctx.departments[district_id][:TARGET_DEPARTMENTS]:
            targets.append((next_id, department_id, rng.randint(6, 10), None, None))
        if starts <= ctx.today:
            begun.append(next_id)
        next_id += 1
    ctx.copy_rows(Campaign, [
        "id", "district_id", "name", "starts_on", "ends_on", "target_followers", "target_posts",
        "target_reposts", "target_submissions", "baseline_followers", "baseline_at",
        "created_by_id", "created",
    ], rows)  # fmt: skip
    ctx.copy_rows(Campaign.accounts.through, ["campaign_id", "officialaccount_id"], links)
    ctx.copy_rows(
        DepartmentTarget,
        ["campaign_id", "department_id", "submissions", "posts", "reposts"],
        targets,
    )
    return begun


def _district_daily_posts(scale) -> list[list[int]]:
    from samvad.demo.generators.content import posts_per_day

    return posts_per_day(scale)


def _baseline(ctx, followers: list[int], starts: date) -> tuple[int, datetime]:
    """The last snapshot before the start (the day before's), as take_baseline finds it."""
    index = max(0, min((starts - ctx.start).days - 1, len(followers) - 1))
    return followers[index], ctx.moment(_day(ctx, index), MEASURED_AT)


def _rollup(ctx, campaign: Campaign, now: datetime) -> None:
    """The rows the pages read, as the measurement job leaves them after today's last round."""
    today = min(ctx.today, campaign.ends_on + timedelta(days=1))
    departments = Department.objects.filter(district=campaign.district)
    staff = figures.staff_following(departments, today)
    totals = (sum(s for s, _ in staff.values()), sum(f for _, f in staff.values()))
    rows = rollup.campaign_days(campaign, today=today, now=now, staff=totals)
    ctx.copy_rows(CampaignDay, [
        "campaign_id", "day", "followers", "followers_gained", "posts", "reposts", "submissions",
        "engagement", "impressions", "staff", "following", "spend", "updated",
    ], ((campaign.pk, r.day, r.followers, r.followers_gained, r.posts, r.reposts, r.submissions,
         r.engagement, r.impressions, r.staff, r.following, r.spend, r.updated)
        for r in rows))  # fmt: skip
    department_rows = []
    for row in rows:
        end_of_day = min(now, ctx.moment(row.day + timedelta(days=1), 0))
        department_rows += rollup.department_days(campaign, day=row.day, now=end_of_day)
    ctx.copy_rows(DepartmentDay, [
        "campaign_id", "department_id", "day", "submissions", "posts", "reposts",
    ], ((campaign.pk, r.department_id, r.day, r.submissions, r.posts, r.reposts)
        for r in department_rows))  # fmt: skip
    projections = []
    for number in range(1, len(rows) + 1):
        made_on = rows[number - 1].day
        if made_on > campaign.ends_on:
            break
        made = rollup.forecasts(campaign, rows[:number], today=made_on)
        for metric, forecast in made.items():
            if forecast is not None:
                projections.append(
                    (
                        campaign.pk,
                        metric,
                        number,
                        forecast.expected,
                        forecast.low,
                        forecast.high,
                        ctx.moment(made_on, MEASURED_AT),
                    )
                )
    ctx.copy_rows(Projection, ["campaign_id", "metric", "made_on_day", "expected", "low", "high",
                               "created"], projections)  # fmt: skip
