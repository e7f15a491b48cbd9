"""The worker's own periodic jobs."""

from datetime import datetime, timedelta

from django.conf import settings
from django.utils import timezone

from samvad.jobs.models import Heartbeat, Job
from samvad.jobs.registry import periodic
from samvad.jobs.worker import worker_id

KEEP = timedelta(days=7)


@periodic(every=lambda: settings.SAMVAD_HEARTBEAT_SECONDS, name="heartbeat")
def heartbeat(*, slot: str) -> None:
    Heartbeat.objects.create(slot=datetime.fromisoformat(slot), worker=worker_id())


@periodic(every=timedelta(days=1), name="housekeeping")
def housekeeping(*, slot: str) -> None:
    cutoff = timezone.now() - KEEP
    Job.objects.filter(status=Job.Status.DONE, finished__lt=cutoff).delete()
    Heartbeat.objects.filter(created__lt=cutoff).delete()
