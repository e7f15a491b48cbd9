"""How long each post's daily metric rows are kept: SAMVAD_METRIC_DAYS days (7 by default); after
that, one final row per post remains, its latest figures. At state scale the daily history was
three quarters of all rows (docs/performance.md); a campaign's scoreboard keeps the engagement of
older days in its own rows (rollup.py), so nothing a page shows is lost.

The periodic job walks the table in primary-key order, a batch at a time, so that no statement
holds locks for long and each row is looked at once a night."""

from datetime import date, timedelta

from django.conf import settings
from django.db.models import Exists, OuterRef

from samvad.campaigns.models import PostMetricDay

BATCH = 10_000


def pruned_before(today: date) -> date:
    """Daily rows before this day are pruned (except each post's final one)."""
    return today - timedelta(days=settings.SAMVAD_METRIC_DAYS)


def prune_metric_days(*, today: date, batch: int = BATCH) -> int:
    """Delete every daily row older than the retention that a later row of the same post
    supersedes; returns how many were deleted."""
    later = PostMetricDay.objects.filter(x_post_id=OuterRef("x_post_id"), day__gt=OuterRef("day"))
    cutoff, last, deleted = pruned_before(today), 0, 0
    while True:
        ids = list(
            PostMetricDay.objects.filter(pk__gt=last)
            .order_by("pk")
            .values_list("pk", flat=True)[batch - 1 : batch]
        )
        upto = ids[0] if ids else None
        span = PostMetricDay.objects.filter(pk__gt=last)
        if upto is not None:
            span = span.filter(pk__lte=upto)
        deleted += span.filter(day__lt=cutoff).filter(Exists(later)).delete()[0]
        if upto is None:
            return deleted
        last = upto
