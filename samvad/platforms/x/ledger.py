"""What each call to X costs under pay-per-use, the ledger row that records it, and the district's
budgets: a monthly one in dollars when the admin sets it, and a daily one that every district has
(in rupees on screen, in dollars here). At the daily budget reads stop, while publishing goes on
into a reserve above it; the admins are told at 80 % and at 100 %. And the client's books for a
run of calls (`Books`, at the end), which keep all of these."""

from collections import Counter
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

from django.conf import settings
from django.db import connection
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from samvad.jobs.registry import enqueue
from samvad.platforms.x.errors import BudgetExceeded, CreditsExhausted, NeedsReconnect, RateLimited
from samvad.platforms.x.models import (
    BilledResource,
    Connection,
    DistrictBudget,
    LedgerEntry,
    RateWindow,
)
from samvad.platforms.x.text import has_link

DAILY_SPENT = _(
    "Today's X budget for the district is spent: reading from X stops until "
    "tomorrow (UTC), publishing goes on. The district admin can raise it in the X "
    "settings."
)
DAILY_RESERVE_SPENT = _(
    "Today's X budget for the district and its reserve for publishing are "
    "spent. The district admin can raise the budget in the X settings."
)


def price(name: str) -> Decimal:
    return Decimal(str(settings.SAMVAD_X_PRICES[name]))


def post_price(text: str, *, replying_to_mention: bool = False) -> Decimal:
    """A post with a link costs far more than one without; a reply to a mention costs less."""
    if has_link(text or ""):
        return price("post_with_url")
    return price("reply_to_mention" if replying_to_mention else "post_create")


def billing_day() -> date:
    """The day X bills by, a UTC day: a resource read again within it is not billed again."""
    return timezone.now().astimezone(UTC).date()


def not_billed_today(resources: dict[str, list[str]]) -> Counter:
    """How many resources of each kind X bills now: the same resource is billed once per UTC day.
    One statement remembers today's new ones and answers which they were."""
    rows = sorted({(kind, str(i)) for kind, ids in resources.items() for i in ids})
    if not rows:
        return Counter()
    day = billing_day()
    table = connection.ops.quote_name(BilledResource._meta.db_table)
    if connection.vendor == "postgresql":
        # Two arrays, not three parameters a row: a page of 1,000 followers stays a short
        # statement for psycopg and PostgreSQL to parse.
        new = (
            "SELECT kind, resource_id, %s"
            " FROM unnest(%s::text[], %s::text[]) AS r (kind, resource_id)"
        )
        params = [day, [kind for kind, _ in rows], [resource for _, resource in rows]]
    else:
        new = "VALUES " + ", ".join(["(%s, %s, %s)"] * len(rows))
        params = [v for kind, resource in rows for v in (kind, resource, day)]
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (kind, resource_id, day) {new} "  # noqa: S608
            "ON CONFLICT (kind, resource_id, day) DO NOTHING RETURNING kind",
            params,
        )
        return Counter(kind for (kind,) in cursor.fetchall())


def read_cost(kind: str, body: dict, *, owner_of: str = "", owned: bool = False) -> Decimal:
    """The cost of a read answer: every resource it returns, each once per UTC day, the posts and
    users X expanded into `includes` too. `kind` is what the endpoint's `data` are: posts, users,
    follows (entries of `owner_of`'s follower or following list) or likes (of the post
    `owner_of`)."""
    ids = [item["id"] for item in _data(body) if "id" in item]
    includes = body.get("includes") or {}
    entries = [f"{owner_of}:{i}" for i in ids]
    new = not_billed_today(
        {
            "post": [t["id"] for t in includes.get("tweets", [])]
            + (ids if kind == "posts" else []),
            "user": [u["id"] for u in includes.get("users", [])] + (ids if kind == "users" else []),
            "follow": entries if kind == "follows" else [],
            "like": entries if kind == "likes" else [],
        }
    )
    follow_price = price("owned_read" if owned else "follow_read")
    return (
        price("post_read") * new["post"]
        + price("user_read") * new["user"]
        + follow_price * new["follow"]
        + price("like_read") * new["like"]
    )


def kept_today(kind: str, ids: list[str], asked: str) -> dict[str, dict]:
    """What X answered today for these resources, by id, where the same question (`asked`: who
    read them, with which fields) kept it."""
    rows = BilledResource.objects.filter(
        kind=kind, resource_id__in=ids, day=billing_day(), answer__isnull=False
    ).values_list("resource_id", "answer")
    return {i: answer["data"] for i, answer in rows if answer.get("asked") == asked}


def keep_today(kind: str, asked: str, items: list[dict]) -> None:
    """Keep what X answered for these resources today (a UTC day, as X bills), so that a lookup
    that reads once a day answers from it until the day ends."""
    BilledResource.objects.bulk_create(
        [
            BilledResource(
                kind=kind,
                resource_id=item["id"],
                day=billing_day(),
                answer={"asked": asked, "data": item},
            )
            for item in items
        ],
        update_conflicts=True,
        unique_fields=["kind", "resource_id", "day"],
        update_fields=["answer"],
    )


def _data(body: dict | None) -> list[dict]:
    data = (body or {}).get("data") or []
    return [data] if isinstance(data, dict) else data


def resources_in(body: dict | None) -> int:
    """Every resource in the answer: its data and what X expanded into `includes`."""
    includes = (body or {}).get("includes") or {}
    return len(_data(body)) + len(includes.get("tweets", [])) + len(includes.get("users", []))


def month_spend(district_id: int) -> Decimal:
    return LedgerEntry.objects.filter(district_id=district_id).in_month_of(timezone.now()).spend()


def day_spend(district_id: int) -> Decimal:
    """Spent today, a UTC day as X bills."""
    start = datetime.combine(billing_day(), datetime.min.time(), UTC)
    return LedgerEntry.objects.filter(
        district_id=district_id, at__gte=start, at__lt=start + timedelta(days=1)
    ).spend()


def inr_to_usd(rupees) -> Decimal:
    return (Decimal(rupees) / settings.SAMVAD_INR_PER_USD).quantize(Decimal("0.0001"))


def usd_to_inr(dollars) -> int:
    return round(Decimal(dollars) * settings.SAMVAD_INR_PER_USD)


def daily_budget_usd(district_id: int, budget: DistrictBudget | None = None) -> Decimal:
    daily = budget.daily_inr if budget and budget.daily_inr is not None else None
    return inr_to_usd(settings.SAMVAD_X_DAILY_BUDGET_INR if daily is None else daily)


ALERT_AT = (80, 100)  # percent of the daily budget


class Spend:
    """A district's budgets and what it has spent, read once for a run of calls (the pages of one
    fetch) and kept up to date by the run's own costs: a read still stops at the daily budget
    within the run. Another worker's spend meanwhile counts from the next run on."""

    def __init__(self, district_id: int):
        budget = DistrictBudget.objects.filter(district_id=district_id).first()
        self.district_id = district_id
        self.monthly = budget.monthly_usd if budget else None
        self.month = month_spend(district_id) if self.monthly is not None else Decimal(0)
        self.daily = daily_budget_usd(district_id, budget)
        self.today = day_spend(district_id)
        self.added = Decimal(0)

    def check(self, *, write: bool = False) -> None:
        """Refuse a call the budgets do not allow. A read stops at the daily budget; a write (a
        post, a reply) only once the publishing reserve above it is spent too."""
        if self.monthly is not None and self.month >= self.monthly:
            raise BudgetExceeded()
        daily = self.daily * (1 + settings.SAMVAD_X_PUBLISH_RESERVE) if write else self.daily
        if self.today >= daily:
            raise BudgetExceeded(DAILY_SPENT if not write else DAILY_RESERVE_SPENT)

    def add(self, cost: Decimal) -> None:
        self.today += cost
        self.month += cost
        self.added += cost

    def alert_if_crossed(self) -> None:
        """After a run that cost something: tell the admins once a day when 80 % and 100 % of
        the daily budget are reached."""
        if not (self.added and self.daily):
            return
        day = billing_day().isoformat()
        for percent in ALERT_AT:
            if self.today * 100 >= self.daily * percent:
                enqueue(
                    "x.budget_alert",
                    key=f"x.budget_alert:{self.district_id}:{day}:{percent}",
                    district_id=self.district_id,
                    percent=percent,
                    spent=str(self.today),
                    budget=str(self.daily),
                )


# -- the books of a run of calls -------------------------------------------------------------------
# The client's bookkeeping around calls to X, read once and written once for a run of calls.
#
# A fetch reads up to eight pages of mentions in a few seconds. Each page must still stop at the
# daily budget and at an empty rate window, and be billed exactly, but the connection, the budgets
# and the empty windows need not be read again for each page, nor the ledger and the windows
# written once a page. `XClient.batch()` keeps one `Books` open for the calls made inside it; a call
# outside a batch opens its own, so that it reads afresh and has written everything when it returns.
#
# Only billing stays per call (`read_cost` above, one statement): X bills a resource once per UTC
# day whoever read it first, so the database, not the run, knows what is new. The run's ledger rows
# are written when it closes, even when a call raised; a worker killed in the middle of a run loses
# them, while the resources it read stay marked as billed.

USABLE = (Connection.Status.CONNECTED, Connection.Status.CONNECTING)


class Books:
    def __init__(self, account):
        self.account = account
        self.connection = Connection.objects.filter(account=account).first()
        self.usable_connection()  # nothing more is read for an account that cannot call X
        self.spend = Spend(account.district_id)
        empty = RateWindow.objects.filter(account=account, remaining=0, reset_at__gt=timezone.now())
        self.windows = {(w.endpoint, w.window): w for w in empty}
        self.changed: set[tuple[str, str]] = set()
        self.entries: list[LedgerEntry] = []

    def usable_connection(self) -> Connection:
        # The connection's own marks (a 401, the usage cap) refresh it, so a run stops at them.
        if self.connection is None or self.connection.status not in USABLE:
            raise NeedsReconnect()
        if self.connection.usage_capped_at is not None:
            raise CreditsExhausted()
        return self.connection

    def check_windows(self, endpoint: str) -> None:
        """Refuse a call to an endpoint whose window X said is empty, until it resets."""
        now = timezone.now()
        resets = [
            w.reset_at
            for (name, _), w in self.windows.items()
            if name == endpoint and w.remaining == 0 and w.reset_at > now
        ]
        if resets:
            raise RateLimited(max(resets))

    def remember_windows(self, endpoint: str, windows: dict[str, dict]) -> None:
        """X's counts from an answer's headers: {window: {limit, remaining, reset_at}}."""
        for window, counts in windows.items():
            self.windows[endpoint, window] = RateWindow(
                account=self.account, endpoint=endpoint, window=window, **counts
            )
            self.changed.add((endpoint, window))

    def empty_window(self, endpoint: str) -> datetime:
        """When a 429 lifts: X's reset header (already remembered), else a full window from now."""
        try:
            self.check_windows(endpoint)
        except RateLimited as refused:
            return refused.reset_at
        reset_at = timezone.now() + timedelta(minutes=15)
        window = {"limit": 0, "remaining": 0, "reset_at": reset_at}
        self.remember_windows(endpoint, {RateWindow.Window.MINUTES_15: window})
        return reset_at

    def record(self, endpoint, method, status, resources=0, cost=Decimal(0)) -> None:
        self.entries.append(
            LedgerEntry(
                account=self.account,
                district_id=self.account.district_id,
                endpoint=endpoint,
                method=method,
                status=status,
                resources=resources,
                cost=cost,
            )
        )
        self.spend.add(cost)

    def close(self) -> None:
        """Write the run's ledger rows and the windows X reported, one statement each."""
        LedgerEntry.objects.bulk_create(self.entries)
        if self.changed:
            RateWindow.objects.bulk_create(
                [self.windows[key] for key in sorted(self.changed)],
                update_conflicts=True,
                unique_fields=["account", "endpoint", "window"],
                update_fields=["limit", "remaining", "reset_at", "updated"],
            )
        self.spend.alert_if_crossed()
