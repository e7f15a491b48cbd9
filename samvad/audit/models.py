"""The audit log's one table, what a person reads for each row, and the reads pages make of it.

The action codes (`post.approve`) are for machines and stay as they are in the log; the pages and
the RTI export show the labels in ACTIONS. A new `audit.record(action=...)` needs its label there
(a test finds the codes in the product's code and asks for each one)."""

from django.apps import apps
from django.conf import settings
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from samvad.org.models import District

ACTIONS = {
    "submission.create": _("Submission sent"),
    "submission.edit": _("Submission corrected"),
    "submission.resubmit": _("Submission sent again"),
    "submission.return": _("Submission returned for changes"),
    "submission.reject": _("Submission rejected"),
    "submission.accept": _("Submission accepted"),
    "post.create": _("Post created"),
    "post.edit": _("Post edited"),
    "post.submit": _("Post submitted for review"),
    "post.approve": _("Post approved"),
    "post.return": _("Post returned for changes"),
    "post.reject": _("Post rejected"),
    "post.schedule": _("Post scheduled"),
    "post.retry": _("Post sent to be tried again"),
    "post.claim": _("The worker took the post to publish it"),
    "post.published": _("Post published on X"),
    "post.uncertain": _("X's answer was unclear: Samvad looks for the post on X"),
    "post.retry_wait": _("Publishing did not succeed: it will be tried again"),
    "post.failed": _("Publishing failed"),
    "post.lease_expired": _("The worker stopped before X answered"),
    "ticket.open": _("Ticket opened"),
    "ticket.assign": _("Ticket assigned"),
    "ticket.reply": _("Reply attached to the ticket"),
    "ticket.draft": _("Reply drafted"),
    "ticket.approve_reply": _("Reply approved"),
    "ticket.return_reply": _("Reply returned for changes"),
    "ticket.answered": _("Ticket answered on X"),
    "ticket.close": _("Ticket closed"),
    "ticket.no_action": _("Ticket marked as needing no action"),
    "ticket.reopen": _("Ticket reopened"),
    "ticket.escalate": _("Ticket escalated"),
    "ticket.rumour": _("Ticket marked as a rumour"),
    "factcheck.open": _("Fact-check case opened"),
    "factcheck.evidence": _("Evidence added"),
    "factcheck.send": _("Clarification sent for publishing"),
    "factcheck.published": _("Clarification published on X"),
    "factcheck.dismiss": _("Fact-check case dismissed"),
    "routing_rule.save": _("Routing rule saved"),
    "routing_rule.delete": _("Routing rule deleted"),
    "inbox.settings": _("Inbox settings changed"),
    "blackout.create": _("Blackout period added"),
    "blackout.delete": _("Blackout period removed"),
    "publishing.pause": _("All publishing paused"),
    "publishing.resume": _("Publishing resumed"),
    "settings.four_eyes": _("Four eyes turned on or off"),
    "advocacy.staff_export": _("Staff data exported"),
    "staff_import.receive": _("Staff list uploaded"),
    "report.recipients": _("Recipients of the daily report changed"),
    "xapp.enter": _("X app entered"),
    "budget.set": _("X budget set"),
}


def action_label(code: str) -> str:
    """The action's name in the active language; an unknown code (an old row) shows as stored."""
    return str(ACTIONS.get(code, code))


def state_label(object_type: str, field: str, value: str) -> str:
    """The label of a state or status code, from the recorded model's own choices."""
    try:
        choices = apps.get_model(object_type)._meta.get_field(field).flatchoices
    except (LookupError, ValueError, FieldDoesNotExist):
        return value
    return str(dict(choices).get(value, value))


class AuditEventQuerySet(models.QuerySet):
    def history(self, *objects):
        """The audit trail of these objects (a ticket and its reply, say), oldest first; None is
        skipped."""
        wanted = Q(pk__in=[])
        for obj in objects:
            if obj is not None:
                wanted |= Q(object_type=obj._meta.label_lower, object_id=str(obj.pk))
        return self.filter(wanted).select_related("actor").order_by("at", "id")

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
        return action_label(self.action)

    @property
    def outcome(self) -> str:
        """The state or status the action left the object in, as its label; "" when none."""
        for field in ("state", "status"):
            if value := self.after.get(field):
                return state_label(self.object_type, field, value)
        return ""

    @property
    def actor_name(self) -> str:
        return self.actor.get_username() if self.actor else gettext("system")
