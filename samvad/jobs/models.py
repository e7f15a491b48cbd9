"""The job queue lives in the database: a worker claims a row with a conditional UPDATE, holds it
for a lease, and every later write is fenced by the attempt id it got when it claimed."""

import logging
from datetime import timedelta

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

logger = logging.getLogger(__name__)


class JobQuerySet(models.QuerySet):
    def claimable(self, now):
        """Due queued jobs, and running jobs whose lease ran out because their worker died."""
        return self.filter(
            Q(status=Job.Status.QUEUED, run_after__lte=now)
            | Q(status=Job.Status.RUNNING, lease_until__lt=now)
        )


class Job(models.Model):
    class Status(models.TextChoices):
        QUEUED = "queued", _("queued")
        RUNNING = "running", _("running")
        DONE = "done", _("done")
        FAILED = "failed", _("failed")

    name = models.CharField(max_length=200)
    args = models.JSONField(default=dict, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    run_after = models.DateTimeField(default=timezone.now)
    attempts = models.PositiveIntegerField(default=0)
    max_attempts = models.PositiveIntegerField(default=5)
    lease_until = models.DateTimeField(null=True, blank=True)
    claimed_by = models.CharField(max_length=200, blank=True)
    attempt_id = models.UUIDField(null=True, blank=True)
    last_error = models.TextField(blank=True)
    created = models.DateTimeField(default=timezone.now)
    finished = models.DateTimeField(null=True, blank=True)
    # Periodic slots and de-duplicated one-off jobs. NULLs are distinct in a unique index on both
    # SQLite and PostgreSQL, so jobs without a key never collide.
    key = models.CharField(max_length=200, null=True, blank=True, unique=True)

    objects = JobQuerySet.as_manager()

    class Meta:
        # Partial indexes for the two halves of the claim query; done jobs (most rows) stay out.
        indexes = [
            models.Index(fields=["run_after"], condition=Q(status="queued"), name="job_due"),
            models.Index(fields=["lease_until"], condition=Q(status="running"), name="job_leased"),
        ]

    def __str__(self) -> str:
        return f"{self.name} #{self.pk} ({self.status})"

    def _finish(self, **fields) -> bool:
        # Fenced by attempt_id: once another worker has recovered the job, this attempt's word no
        # longer counts, whatever it has to say.
        updated = Job.objects.filter(pk=self.pk, attempt_id=self.attempt_id).update(
            lease_until=None, **fields
        )
        if not updated:
            logger.warning(
                "Job %s: attempt %s was superseded, its result is dropped", self, self.attempt_id
            )
        return bool(updated)

    def mark_done(self) -> bool:
        return self._finish(status=Job.Status.DONE, finished=timezone.now(), last_error="")

    def mark_failed(self, error: str) -> bool:
        return self._finish(status=Job.Status.FAILED, finished=timezone.now(), last_error=error)

    def retry_later(self, error: str, *, delay: timedelta) -> bool:
        return self._finish(
            status=Job.Status.QUEUED, run_after=timezone.now() + delay, last_error=error
        )


class Heartbeat(models.Model):
    """One row per heartbeat slot, written by whichever worker ran it: shows the workers are alive.
    No unique constraint on purpose, so that a slot run twice can be seen."""

    slot = models.DateTimeField(db_index=True)
    worker = models.CharField(max_length=200)
    created = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"{self.slot:%Y-%m-%d %H:%M:%S} {self.worker}"
