"""A district's publishing rules: paused or not, four eyes, and blackout periods."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from samvad import audit
from samvad.org.models import District


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
