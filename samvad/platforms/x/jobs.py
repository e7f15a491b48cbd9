"""Background work of the X platform: the budget alerts, and forgetting past billing days."""

from datetime import timedelta

from samvad.jobs.registry import job, periodic
from samvad.platforms.x import ledger, notify
from samvad.platforms.x.models import BilledResource


@job(name="x.budget_alert", max_attempts=3)
def budget_alert(*, district_id: int, percent: int, spent: str, budget: str) -> None:
    notify.budget_alert(district_id, percent=percent, spent=spent, budget=budget)


@periodic(every=timedelta(hours=6), name="x.forget_past_billing_days")
def forget_past_billing_days(*, slot: str) -> None:
    """X bills a resource once a UTC day: only today's billed resources (and the answers kept
    with them) are ever read, so earlier days' rows, a million a day for a state, are dropped."""
    BilledResource.objects.filter(day__lt=ledger.billing_day()).delete()
