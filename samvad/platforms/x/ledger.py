"""What each call to X costs under pay-per-use, the ledger row that records it, and the district's
monthly budget that stops calls once it is spent."""

from datetime import UTC
from decimal import Decimal

from django.conf import settings
from django.utils import timezone

from samvad.platforms.x.errors import BudgetExceeded
from samvad.platforms.x.models import BilledResource, DistrictBudget, LedgerEntry
from samvad.platforms.x.text import has_link


def price(name: str) -> Decimal:
    return Decimal(str(settings.SAMVAD_X_PRICES[name]))


def post_price(text: str, *, replying_to_mention: bool = False) -> Decimal:
    """A post with a link costs far more than one without; a reply to a mention costs less."""
    if has_link(text or ""):
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


def check_budget(district_id: int) -> None:
    budget = DistrictBudget.objects.filter(district_id=district_id).first()
    if budget is not None and month_spend(district_id) >= budget.monthly_usd:
        raise BudgetExceeded()
