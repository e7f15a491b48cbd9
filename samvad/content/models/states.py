"""A post's states, the sets of them the rules use, the errors of its state machine, and the
questions asked of many posts by their state: which are due, whose lease ran out, best hours."""

from zoneinfo import ZoneInfo

from django.db import models
from django.db.models import Avg, Count, F, Q
from django.db.models.functions import Coalesce, ExtractHour
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from .district import Blackout, DistrictSettings

IST = ZoneInfo("Asia/Kolkata")


class PostState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    CHANGES_REQUESTED = "changes_requested", _("Returned for changes")
    APPROVED = "approved", _("Approved")
    PUBLISHING = "publishing", _("Publishing")
    PUBLISHED = "published", _("Published")
    RETRY_WAIT = "retry_wait", _("Waiting to retry")
    UNCERTAIN = "uncertain", _("Uncertain")
    FAILED = "failed", _("Failed")
    REJECTED = "rejected", _("Rejected")


# Content can be edited in these states; an edit of approved content sends it back to review.
EDITABLE = {
    PostState.DRAFT,
    PostState.SUBMITTED,
    PostState.CHANGES_REQUESTED,
    PostState.APPROVED,
    PostState.RETRY_WAIT,
    PostState.FAILED,
}
# Once a post may have reached X, only the publisher and the reconciler may touch it.
ON_X_OR_MAYBE = {PostState.PUBLISHING, PostState.PUBLISHED, PostState.UNCERTAIN}


# Stored untranslated in last_error, translated where it is shown (like the publisher's own).
LEASE_EXPIRED = gettext_noop("The worker stopped before X answered; Samvad looks for it on X.")


class FourEyesError(Exception):
    """The approver wrote or last edited the post, and the district requires a second person."""


class TransitionError(Exception):
    """A transition that the state machine does not allow from the post's current state."""


class PostQuerySet(models.QuerySet):
    def in_thread_order(self):
        """Each thread together, in order, threads by age: a root has no root_id of its own,
        and NULLs sort first on SQLite but last on PostgreSQL."""
        return self.order_by(Coalesce("root_id", "id"), "thread_position")

    def due(self, now=None):
        """Posts the publisher may claim now (DESIGN.md invariants 2 and 3)."""
        now = now or timezone.now()
        paused = DistrictSettings.objects.filter(publishing_paused=True).values("district")
        blacked_out = Blackout.objects.filter(starts_at__lte=now, ends_at__gt=now).values(
            "district"
        )
        return (
            self.filter(
                Q(state=PostState.APPROVED, scheduled_at__lte=now)
                | Q(state=PostState.RETRY_WAIT, retry_at__lte=now, scheduled_at__lte=now),
                content_hash=F("approved_hash"),
                account__isnull=False,
            )
            .exclude(approved_hash="")
            .exclude(district__in=paused)
            .exclude(district__in=blacked_out)
            .filter(Q(reply_to__isnull=True) | Q(reply_to__state=PostState.PUBLISHED))
        )

    def lease_expired(self, now=None):
        """Claimed posts whose worker vanished: X may or may not have the post (→ uncertain)."""
        return self.filter(state=PostState.PUBLISHING, lease_until__lt=now or timezone.now())

    def best_hours(self, district):
        """Average engagement of published posts by hour of day (IST), best first."""
        return (
            self.filter(district=district, state=PostState.PUBLISHED, published_at__isnull=False)
            .annotate(hour=ExtractHour("published_at", tzinfo=IST))
            .values("hour")
            .annotate(engagement=Avg("engagement"), posts=Count("id"))
            .order_by("-engagement", "hour")
        )
