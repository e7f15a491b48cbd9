"""Background work of the X platform: the budget alerts."""

from samvad.jobs.registry import job
from samvad.platforms.x import notify


@job(name="x.budget_alert", max_attempts=3)
def budget_alert(*, district_id: int, percent: int, spent: str, budget: str) -> None:
    notify.budget_alert(district_id, percent=percent, spent=spent, budget=budget)
