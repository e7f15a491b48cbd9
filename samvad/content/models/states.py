"""A post's states and the rules of when it may go out.

Its states, the sets of them the rules use and the errors of its state machine; a district's rules
(publishing paused, four eyes, blackout periods); and the questions asked of many posts by their
state, which are due (those rules decide), whose lease ran out, best hours."""

from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import Avg, Count, F, Q
from django.db.models.functions import Coalesce, ExtractHour
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from samvad import audit
from samvad.org.models import District

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
# Approved and not yet on X: what the publisher takes once its time (or retry time) comes.
WAITING = [PostState.APPROVED, PostState.RETRY_WAIT]
# Once a post may have reached X, only the publisher and the reconciler may touch it.
ON_X_OR_MAYBE = {PostState.PUBLISHING, PostState.PUBLISHED, PostState.UNCERTAIN}


# Stored untranslated in last_error, translated where it is shown (like the publisher's own).
LEASE_EXPIRED = gettext_noop("The worker stopped before X answered; Samvad looks for it on X.")


class FourEyesError(Exception):
    """The approver wrote or last edited the post, and the district requires a second person."""


class TransitionError(Exception):
    """A transition that the state machine does not allow from the post's current state."""


# A district's rules: whether its posts may go out now (paused, a blackout) is what due() below
# asks of every post, and four eyes decides who may approve one.


def _four_eyes_default() -> bool:
    return settings.SAMVAD_FOUR_EYES


class DistrictSettings(models.Model):
    district = models.OneToOneField(
        District, on_delete=models.CASCADE, related_name="content_settings"
    )
    publishing_paused = models.BooleanField(default=False)
    # Four eyes: whoever wrote or last edited a post may not approve it (on in production).
    four_eyes = models.BooleanField(_("four eyes"), default=_four_eyes_default)
    changed = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return str(self.district)

    @classmethod
    def of(cls, district) -> "DistrictSettings":
        return cls.objects.get_or_create(district=district)[0]

    @classmethod
    def four_eyes_in(cls, district_id: int) -> bool:
        row = cls.objects.filter(district_id=district_id).first()
        return row.four_eyes if row else _four_eyes_default()

    def set_four_eyes(self, on: bool, *, by) -> None:
        before = {"four_eyes": self.four_eyes}
        self.four_eyes, self.changed = on, timezone.now()
        self.save()
        audit.record(
            actor=by, action="settings.four_eyes", obj=self, before=before, after={"four_eyes": on}
        )

    def set_paused(self, paused: bool, *, by) -> None:
        before = {"publishing_paused": self.publishing_paused}
        self.publishing_paused, self.changed = paused, timezone.now()
        self.save()
        action = "publishing.pause" if paused else "publishing.resume"
        audit.record(
            actor=by, action=action, obj=self, before=before, after={"publishing_paused": paused}
        )


class Blackout(models.Model):
    """A period in which nothing may be scheduled or published, e.g. the model code of conduct."""

    district = models.ForeignKey(District, on_delete=models.CASCADE, related_name="+")
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    reason = models.CharField(_("reason"), max_length=200)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["starts_at"]

    def __str__(self) -> str:
        return self.reason

    def clean(self):
        if self.starts_at and self.ends_at and self.ends_at <= self.starts_at:
            raise ValidationError(_("The end must be after the start."))

    def add(self, *, by) -> None:
        """Save this new period, with its audit row."""
        with transaction.atomic():
            self.save()
            audit.record(actor=by, action="blackout.create", obj=self, after=self._snapshot())

    def remove(self, *, by) -> None:
        with transaction.atomic():
            audit.record(actor=by, action="blackout.delete", obj=self, before=self._snapshot())
            self.delete()

    def _snapshot(self) -> dict:
        return {"starts_at": self.starts_at, "ends_at": self.ends_at, "reason": self.reason}


def blackout_at(district, when):
    return Blackout.objects.filter(district=district, starts_at__lte=when, ends_at__gt=when).first()


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
