"""The daily report goes out at 18:00 India time (SAMVAD_DAILY_REPORT_TIME), once per campaign and
day, however many workers there are."""

from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.utils import timezone

from samvad.campaigns.models import Campaign
from samvad.jobs.registry import enqueue, job, periodic
from samvad.reports.send import report_send


def report_time() -> time:
    return time.fromisoformat(settings.SAMVAD_DAILY_REPORT_TIME)


def due_reports(now: datetime | None = None) -> list[tuple[Campaign, date]]:
    """The campaigns whose report for today is due: running today, after the report time."""
    local = timezone.localtime(now or timezone.now())
    if local.time() < report_time():
        return []
    day = local.date()
    return [(c, day) for c in Campaign.objects.running_on(day).select_related("district")]


@periodic(every=timedelta(minutes=15), name="reports.daily")
def daily(*, slot: str) -> None:
    for campaign, day in due_reports():
        # The key makes the day's report one job however many slots see it as due.
        enqueue(
            send_daily,
            key=f"reports.daily:{campaign.pk}:{day.isoformat()}",
            campaign_id=campaign.pk,
            day=day.isoformat(),
        )


@job(name="reports.send_daily", max_attempts=3)
def send_daily(*, campaign_id: int, day: str, scheduled: bool = True) -> None:
    campaign = Campaign.objects.select_related("district").get(pk=campaign_id)
    report_send(campaign, day=date.fromisoformat(day), scheduled=scheduled)
