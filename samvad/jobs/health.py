"""Whether the workers are alive, read from the heartbeat rows they write (see jobs.py)."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.utils import timezone

from samvad.jobs.models import Heartbeat

# A busy worker runs the heartbeat job late, so one missed period says little; five say that no
# worker is running jobs.
STALE_AFTER_PERIODS = 5


@dataclass(frozen=True)
class WorkerHeartbeat:
    last: datetime | None  # None: no worker has ever written one
    stale: bool


def worker_heartbeat(now: datetime | None = None) -> WorkerHeartbeat:
    now = now or timezone.now()
    last = Heartbeat.objects.order_by("-created").values_list("created", flat=True).first()
    limit = timedelta(seconds=STALE_AFTER_PERIODS * settings.SAMVAD_HEARTBEAT_SECONDS)
    return WorkerHeartbeat(last=last, stale=last is None or now - last > limit)
