"""Each post keeps SAMVAD_METRIC_DAYS days (7) of daily figures; after that its final row remains.
The nightly job prunes in batches."""

from datetime import UTC, date, datetime, timedelta

import time_machine

from samvad.campaigns import retention
from samvad.campaigns.jobs import prune_metric_days
from samvad.campaigns.models import PostMetricDay
from samvad.org.models import OfficialAccount

TODAY = date(2026, 3, 20)


def measured_daily(account, x_post_id: str, first: date, days: int) -> None:
    PostMetricDay.objects.bulk_create(
        PostMetricDay(
            account=account,
            x_post_id=x_post_id,
            day=first + timedelta(days=k),
            likes=10 * (k + 1),
            impressions=100 * (k + 1),
        )
        for k in range(days)
    )


def days_of(x_post_id: str) -> list[date]:
    return list(
        PostMetricDay.objects.filter(x_post_id=x_post_id)
        .order_by("day")
        .values_list("day", flat=True)
    )


def test_a_post_older_than_the_retention_keeps_one_final_row_and_a_newer_one_all(world):
    account = OfficialAccount.objects.get(handle="DmDausa")
    measured_daily(account, "1", TODAY - timedelta(days=40), 10)  # long past
    measured_daily(account, "2", TODAY - timedelta(days=10), 8)  # its last days are recent
    measured_daily(account, "3", TODAY - timedelta(days=4), 5)  # measured up to today
    total = PostMetricDay.objects.count()
    assert retention.prune_metric_days(today=TODAY, batch=3) == total - 1 - 5 - 5
    [final] = PostMetricDay.objects.filter(x_post_id="1")
    assert (final.day, final.likes, final.impressions) == (TODAY - timedelta(days=31), 100, 1000)
    assert days_of("2") == [TODAY - timedelta(days=d) for d in (7, 6, 5, 4, 3)]
    assert days_of("3") == [TODAY - timedelta(days=d) for d in (4, 3, 2, 1, 0)]
    assert retention.prune_metric_days(today=TODAY) == 0  # nothing left to prune


def test_the_retention_is_configurable(world, settings):
    settings.SAMVAD_METRIC_DAYS = 30
    account = OfficialAccount.objects.get(handle="DmDausa")
    measured_daily(account, "1", TODAY - timedelta(days=20), 10)
    with time_machine.travel(datetime(2026, 3, 20, 3, tzinfo=UTC)):
        prune_metric_days(slot="2026-03-20T00:00:00+00:00")
    assert len(days_of("1")) == 10
