"""The ledger of X calls for `samvad generate` (the contract is at the top of
samvad/demo/generate.py): what the worker would have called over the period, at X's prices.

For every account and day: one POST /2/tweets per post published (the generated posts carry no
link), the day's metric reads of the posts of its last SAMVAD_METRIC_DAYS days (100 a call, each
post billed once a UTC day), and for a district account the hourly incremental follower sync,
whose pages bill only the followers new since the last one.
"""

from collections import defaultdict
from collections.abc import Iterator
from datetime import timedelta
from decimal import Decimal

from django.conf import settings
from django.db.models import Count
from django.db.models.functions import TruncDate

from samvad.demo import generate as synthetic
from samvad.platforms.x.ledger import price
from samvad.platforms.x.models import LedgerEntry

METRICS_PER_CALL = 100
FOLLOWER_SYNCS_A_DAY = 24
FIELDS = ["account_id", "district_id", "at", "endpoint", "method", "status", "resources", "cost"]


def estimate(scale: synthetic.Scale) -> dict[str, int]:
    accounts = scale.districts * (1 + scale.department_accounts)
    metric_calls = accounts * scale.days  # at least one a day for an account that posts
    syncs = scale.districts * FOLLOWER_SYNCS_A_DAY * scale.days
    return {"x.LedgerEntry": scale.posts + metric_calls + syncs}


def generate(ctx: synthetic.Context) -> None:
    posts = _posts_by_account_and_day(ctx)
    if not posts:
        return
    ctx.copy_rows(LedgerEntry, FIELDS, _entries(ctx, posts))


def _posts_by_account_and_day(ctx) -> dict[int, dict]:
    from samvad.content.models import Post

    rows = (
        Post.objects.filter(district__in=ctx.district_ids, state=Post.State.PUBLISHED)
        .annotate(day=TruncDate("published_at", tzinfo=synthetic.TIME_ZONE))
        .values_list("account_id", "district_id", "day")
        .annotate(n=Count("pk"))
    )
    out = defaultdict(dict)
    for account_id, district_id, day, n in rows:
        out[(account_id, district_id)][day] = n
    return out


def _entries(ctx, posts: dict) -> Iterator[tuple]:
    rng, keep = ctx.random, settings.SAMVAD_METRIC_DAYS
    post_price, read_price = price("post_create"), price("post_read")
    district_accounts = set(ctx.district_accounts.values())
    follower_price = price("follow_read")
    for (account_id, district_id), by_day in posts.items():
        for index in range(ctx.scale.days):
            day = ctx.start + timedelta(days=index)
            for n in range(by_day.get(day, 0)):
                at = ctx.moment(day, 8 + n % 13, rng.randrange(60))
                yield account_id, district_id, at, "POST /2/tweets", "POST", 201, 1, post_price
            measured = sum(by_day.get(day - timedelta(days=k), 0) for k in range(keep))
            for start in range(0, measured, METRICS_PER_CALL):
                count = min(METRICS_PER_CALL, measured - start)
                yield (
                    account_id,
                    district_id,
                    ctx.moment(day, 23, 5),
                    "GET /2/tweets",
                    "GET",
                    200,
                    count,
                    read_price * count,
                )
            if account_id in district_accounts:
                for hour in range(FOLLOWER_SYNCS_A_DAY):
                    new = rng.randint(0, 6)
                    yield (
                        account_id,
                        district_id,
                        ctx.moment(day, hour, 30),
                        "GET /2/users/:id/followers",
                        "GET",
                        200,
                        new,
                        follower_price * new if new else Decimal(0),
                    )
