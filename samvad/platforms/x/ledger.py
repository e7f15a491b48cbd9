"""What each call to X costs under pay-per-use, the ledger row that records it, and the district's
budgets: a monthly one in dollars when the admin sets it, and a daily one that every district has
(in rupees on screen, in dollars here). At the daily budget reads stop, while publishing goes on
into a reserve above it; the admins are told at 80 % and at 100 %."""

from datetime import UTC, datetime, timedelta
from decimal import Decimal

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from twitter_text import extract_urls_with_indices

from samvad.jobs.registry import enqueue
from samvad.platforms.x.errors import BudgetExceeded
from samvad.platforms.x.models import BilledResource, DistrictBudget, LedgerEntry
from samvad.platforms.x.text import normalize

DAILY_SPENT = _("Today's X budget for the district is spent: reading from X stops until "
                "tomorrow (UTC), publishing goes on. The district admin can raise it in the X "
                "settings.")
DAILY_RESERVE_SPENT = _("Today's X budget for the district and its reserve for publishing are "
                        "spent. The district admin can raise the budget in the X settings.")


def price(name: str) -> Decimal:
    return Decimal(str(settings.SAMVAD_X_PRICES[name]))


def post_price(text: str, *, replying_to_mention: bool = False) -> Decimal:
    """A post with a link costs far more than one without; a reply to a mention costs less."""
    if extract_urls_with_indices(normalize(text or "")):
        return price("post_with_url")
    return price("reply_to_mention" if replying_to_mention else "post_create")


def not_billed_today(kind: str, ids: list[str]) -> int:
    """How many of these resources X bills now: the same resource is billed once per UTC day."""
    ids = {str(i) for i in ids}
    if not ids:
        return 0
    day = timezone.now().astimezone(UTC).date()
    seen = set(BilledResource.objects.filter(kind=kind, day=day, resource_id__in=ids)
               .values_list("resource_id", flat=True))
    new = ids - seen
    BilledResource.objects.bulk_create(
        [BilledResource(kind=kind, resource_id=i, day=day) for i in new], ignore_conflicts=True
    )
    return len(new)


def read_cost(kind: str, body: dict, *, owner_of: str = "", owned: bool = False) -> Decimal:
    """The cost of a read answer. `kind` is what the endpoint returns: posts, users, follows
    (entries of `owner_of`'s follower or following list) or likes (of the post `owner_of`)."""
    data = body.get("data") or []
    data = [data] if isinstance(data, dict) else data
    ids = [item["id"] for item in data if "id" in item]
    users = [u["id"] for u in (body.get("includes") or {}).get("users", [])]
    if kind == "posts":
        return (price("post_read") * not_billed_today("post", ids)
                + price("user_read") * not_billed_today("user", users))
    if kind == "users":
        return price("user_read") * not_billed_today("user", ids)
    if kind == "follows":
        entries = [f"{owner_of}:{i}" for i in ids]
        return price("owned_read" if owned else "follow_read") * not_billed_today("follow",
                                                                               entries)
    if kind == "likes":
        return price("like_read") * not_billed_today("like", [f"{owner_of}:{i}" for i in ids])
    return Decimal(0)


def resources_in(body: dict | None) -> int:
    data = (body or {}).get("data")
    if isinstance(data, list):
        return len(data)
    return 1 if data else 0


def record(account, *, endpoint: str, method: str, status: int | None, resources: int = 0,
           cost: Decimal = Decimal(0)) -> LedgerEntry:
    return LedgerEntry.objects.create(
        account=account, district_id=account.district_id, endpoint=endpoint, method=method,
        status=status, resources=resources, cost=cost,
    )


def month_spend(district_id: int) -> Decimal:
    return LedgerEntry.objects.filter(district_id=district_id).in_month_of(timezone.now()).spend()


def day_spend(district_id: int) -> Decimal:
    """Spent today, a UTC day as X bills."""
    start = datetime.combine(timezone.now().astimezone(UTC).date(), datetime.min.time(), UTC)
    return LedgerEntry.objects.filter(district_id=district_id, at__gte=start,
                                      at__lt=start + timedelta(days=1)).spend()


def inr_to_usd(rupees) -> Decimal:
    return (Decimal(rupees) / settings.SAMVAD_INR_PER_USD).quantize(Decimal("0.0001"))


def usd_to_inr(dollars) -> int:
    return round(Decimal(dollars) * settings.SAMVAD_INR_PER_USD)


def daily_budget_usd(district_id: int, budget: DistrictBudget | None = None) -> Decimal:
    daily = budget.daily_inr if budget and budget.daily_inr is not None else None
    return inr_to_usd(settings.SAMVAD_X_DAILY_BUDGET_INR if daily is None else daily)


def check_budget(district_id: int, *, write: bool = False) -> None:
    """Refuse a call the budgets do not allow. A read stops at the daily budget; a write (a
    post, a reply) only once the publishing reserve above it is spent too."""
    budget = DistrictBudget.objects.filter(district_id=district_id).first()
    if budget is not None and budget.monthly_usd is not None and (
            month_spend(district_id) >= budget.monthly_usd):
        raise BudgetExceeded()
    daily = daily_budget_usd(district_id, budget)
    if write:
        daily *= 1 + settings.SAMVAD_X_PUBLISH_RESERVE
    if day_spend(district_id) >= daily:
        raise BudgetExceeded(DAILY_SPENT if not write else DAILY_RESERVE_SPENT)


ALERT_AT = (80, 100)  # percent of the daily budget


def alert_if_crossed(district_id: int) -> None:
    """After a billed call: tell the admins once a day when 80 % and 100 % are reached."""
    daily = daily_budget_usd(district_id, DistrictBudget.objects.filter(
        district_id=district_id).first())
    spent = day_spend(district_id)
    day = timezone.now().astimezone(UTC).date().isoformat()
    for percent in ALERT_AT:
        if daily and spent * 100 >= daily * percent:
            enqueue("x.budget_alert", key=f"x.budget_alert:{district_id}:{day}:{percent}",
                    district_id=district_id, percent=percent, spent=str(spent),
                    budget=str(daily))
