"""The measurements: every 15 minutes each running campaign's accounts and posts are measured on X
and its scoreboard rows are rolled up."""

import logging
from datetime import timedelta

from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from samvad.advocacy import jobs as advocacy_jobs
from samvad.campaigns import measure, retention, rollup
from samvad.campaigns.models import Campaign
from samvad.jobs.registry import enqueue, job, periodic
from samvad.platforms.x.errors import RateLimited, XError

logger = logging.getLogger(__name__)


def _every() -> float:
    return 60 * getattr(settings, "SAMVAD_CAMPAIGN_MEASURE_MINUTES", 15)


def measure_campaign(campaign: Campaign, *, accounts: bool = True) -> None:
    """Measure on X what can be measured, then roll up whatever is known. When X's rate window
    is empty the measurement comes back once it resets; the scoreboard is rolled up regardless,
    since posts, submissions and reposts are counted here, not on X."""
    try:
        if accounts:
            measure.snapshot_accounts(campaign.accounts.all())
        measure.take_baseline(campaign)
        measure.sync_post_metrics(campaign)
    except RateLimited as exc:
        key = f"campaigns.measure_again:{campaign.pk}@{int(exc.reset_at.timestamp())}"
        enqueue(measure_again, key=key, run_after=exc.reset_at, campaign_id=campaign.pk)
    except XError as exc:
        logger.warning("Measuring campaign %s on X stopped: %s", campaign.pk, exc.message)
    rollup.rollup(campaign)


@job(name="campaigns.measure_again", max_attempts=3)
def measure_again(*, campaign_id: int) -> None:
    measure_campaign(Campaign.objects.select_related("district").get(pk=campaign_id))


@periodic(every=_every, name="campaigns.measure")
def measure_all(*, slot: str) -> None:
    today = timezone.localdate()
    campaigns = list(Campaign.objects.measured_on(today).select_related("district"))
    # An account in two campaigns is measured once.
    accounts = {a.pk: a for c in campaigns for a in c.accounts.all()}
    try:
        measure.snapshot_accounts(accounts.values())
    except XError as exc:
        logger.warning("Measuring official accounts stopped: %s", exc.message)
    for campaign in campaigns:
        measure_campaign(campaign, accounts=False)


@job(name="campaigns.refresh", max_attempts=3)
def refresh(*, campaign_id: int) -> None:
    """Measure one campaign now: queued when a campaign is created or its targets change."""
    measure_campaign(Campaign.objects.select_related("district").get(pk=campaign_id))


@periodic(every=timedelta(days=1), name="campaigns.prune_metric_days")
def prune_metric_days(*, slot: str) -> None:
    """Nightly: each post keeps SAMVAD_METRIC_DAYS days of daily figures, then its final row."""
    deleted = retention.prune_metric_days(today=timezone.localdate())
    logger.info("Pruned %s daily metric rows", deleted)


@periodic(every=timedelta(days=1), name="campaigns.full_follower_pass")
def full_follower_pass(*, slot: str) -> None:
    """On a campaign's first and last day advocacy reads every follower once, which marks where
    the campaign's following figures begin and end."""
    today = timezone.localdate()
    campaigns = Campaign.objects.filter(Q(starts_on=today) | Q(ends_on=today))
    for campaign in campaigns.select_related("district"):
        advocacy_jobs.request_full_pass(campaign.district)
