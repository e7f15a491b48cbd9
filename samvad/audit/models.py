from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext

from samvad.audit import labels
from samvad.org.models import District


class AuditEventQuerySet(models.QuerySet):
    # Append-only: the log cannot be changed or deleted through the ORM.
    def update(self, **kwargs):
        raise TypeError("The audit log is append-only.")

    def delete(self):
        raise TypeError("The audit log is append-only.")


class AuditEvent(models.Model):
    at = models.DateTimeField(default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    action = models.CharField(max_length=40)
    object_type = models.CharField(max_length=100)
    object_id = models.CharField(max_length=64)
    object_repr = models.CharField(max_length=200, blank=True)
    district = models.ForeignKey(District, on_delete=models.PROTECT, null=True, related_name="+")
    before = models.JSONField(default=dict)
    after = models.JSONField(default=dict)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        db_table = (
            "content_auditevent"  # the table it had in the content app, kept so no data moves
        )
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["object_type", "object_id"])]

    def __str__(self) -> str:
        return f"{self.action} {self.object_type}:{self.object_id}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise TypeError("The audit log is append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise TypeError("The audit log is append-only.")

    @property
    def action_label(self) -> str:
        return labels.action_label(self.action)

    @property
    def outcome(self) -> str:
        """The state or status the action left the object in, as its label; "" when none."""
        for field in ("state", "status"):
            if value := self.after.get(field):
                return labels.state_label(self.object_type, field, value)
        return ""

    @property
    def actor_name(self) -> str:
        return self.actor.get_username() if self.actor else gettext("system")
