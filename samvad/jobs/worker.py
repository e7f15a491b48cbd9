"""The worker's steps: put the current periodic slots in the queue, claim one due job, run it.
The loop around them is the `samvad worker` command."""

import logging
import os
import random
import socket
import threading
import traceback
import uuid
from datetime import UTC, datetime, timedelta

from django.conf import settings
from django.db import DatabaseError, close_old_connections, connection, transaction
from django.db.models import F
from django.utils import timezone

from samvad.jobs import registry
from samvad.jobs.models import Job

logger = logging.getLogger(__name__)


def worker_id() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


def slot_start(now: datetime, period: float) -> datetime:
    return datetime.fromtimestamp(now.timestamp() // period * period, tz=UTC)


def schedule(now: datetime | None = None) -> None:
    """Queue the current slot of every periodic job. The slot is in the key, and the key is
    unique, so a slot is queued once however many workers on however many hosts try. Slots missed
    while no worker ran are not made up."""
    now = now or timezone.now()
    slots = []
    for spec in registry.periodic_specs():
        slot = slot_start(now, spec.period())
        slots.append(
            Job(
                name=spec.name,
                key=f"{spec.name}@{slot.isoformat()}",
                args={"slot": slot.isoformat()},
                run_after=slot,
                max_attempts=spec.max_attempts,
            )
        )
    Job.objects.bulk_create(slots, ignore_conflicts=True)


def claim(worker: str, now: datetime | None = None) -> Job | None:
    """Take one due job: mark it running under a fresh attempt id and a lease. Committed before
    the job runs, so that no other worker takes it while the lease holds."""
    now = now or timezone.now()
    with transaction.atomic():
        candidates = Job.objects.claimable(now).order_by("run_after")
        # PostgreSQL: workers skip each other's rows instead of queueing behind them. SQLite: the
        # IMMEDIATE transaction already holds the one write lock, so nobody else is in here.
        if connection.features.has_select_for_update_skip_locked:
            candidates = candidates.select_for_update(skip_locked=True)
        pk = candidates.values_list("pk", flat=True).first()
        if pk is None:
            return None
        claimed = (
            Job.objects.claimable(now)
            .filter(pk=pk)
            .update(
                status=Job.Status.RUNNING,
                attempt_id=uuid.uuid4(),
                lease_until=now + timedelta(seconds=settings.SAMVAD_JOB_LEASE_SECONDS),
                attempts=F("attempts") + 1,
                claimed_by=worker,
            )
        )
        return Job.objects.get(pk=pk) if claimed else None


def backoff(attempts: int) -> timedelta:
    """5 s × 2^attempts, at most an hour, shortened by up to a quarter at random so that jobs that
    failed together do not all come back together."""
    return timedelta(seconds=min(5 * 2**attempts, 3600) * random.uniform(0.75, 1.0))


def run(job: Job) -> None:
    spec = registry.registry.get(job.name)
    try:
        if spec is None:
            # Say, a worker of the previous release during a rolling deploy: another may know it.
            raise LookupError(f"No job is registered as {job.name!r}.")
        if job.attempts > job.max_attempts:
            # Its workers kept dying (the lease ran out every time): give up on it.
            raise RuntimeError(f"Gave up after {job.max_attempts} attempts.")
        spec.func(**job.args)
    except Exception as exc:
        logger.exception("Job %s failed on attempt %s", job, job.attempts)
        error = "".join(traceback.format_exception_only(exc)).strip()
        if (spec is None or spec.retry) and job.attempts < job.max_attempts:
            job.retry_later(error, delay=backoff(job.attempts))
        else:
            job.mark_failed(error)
    else:
        job.mark_done()


def tick(worker: str) -> bool:
    """One round of the loop; says whether a job was run."""
    schedule()
    job = claim(worker)
    if job:
        run(job)
    return job is not None


def loop(*, stop: threading.Event, poll: float = 1.0, once: bool = False) -> None:
    """Run jobs until `stop` is set (the current job is finished first). With `once`, stop as
    soon as no job is due."""
    worker = worker_id()
    logger.info("Worker %s started", worker)
    while not stop.is_set():
        try:
            found = tick(worker)
        except DatabaseError:
            # A locked or lost database is waited out; a claimed job's lease will bring it back.
            logger.exception("Worker %s could not reach the database", worker)
            found = False
        close_old_connections()
        if once and not found:
            break
        stop.wait(0 if found else poll)
    logger.info("Worker %s stopped", worker)
