"""One row per try at putting a post on X: the reconciler needs to know when a try began and
whether X called it a duplicate, and the media ids it uploaded are kept with it."""

from django.db import models

from samvad.content.models import Post


class Attempt(models.Model):
    class Outcome(models.TextChoices):
        PUBLISHED = "published"
        RETRY = "retry"
        UNCERTAIN = "uncertain"
        DUPLICATE = "duplicate"  # X refused the text as a duplicate: it may be there already
        FAILED = "failed"

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="+")
    attempt_id = models.UUIDField(unique=True)
    started = models.DateTimeField()
    lease_until = models.DateTimeField()
    # host:pid of the worker that claimed. The database default lets the previous release, which
    # does not know the column, still record its attempts during an upgrade.
    worker = models.CharField(max_length=200, blank=True, default="", db_default="")
    media_ids = models.JSONField(default=list)
    outcome = models.CharField(max_length=10, choices=Outcome.choices, blank=True)
    finished = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["started"]

    def __str__(self) -> str:
        return f"{self.post_id} {self.attempt_id} {self.outcome}"
