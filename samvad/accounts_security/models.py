"""What account security keeps: the security-event log (who logged in, failed, was paused, changed
their second step, got a token or a role), read by district admins and exported for audits."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from samvad.org.models import District


class SecurityEvent(models.Model):
    class Kind(models.TextChoices):
        LOGIN = "login", _("Logged in")
        LOGIN_FAILED = "login_failed", _("Wrong password")
        LOCKOUT = "lockout", _("Logins paused")
        PASSWORD_CHANGED = "password_changed", _("Password changed")
        MFA_ON = "mfa_on", _("Two-step verification set up")
        MFA_OFF = "mfa_off", _("Two-step verification turned off")
        RECOVERY_CODES = "recovery_codes", _("New recovery codes")
        TOKEN_CREATED = "token_created", _("API token created")
        TOKEN_REVOKED = "token_revoked", _("API token revoked")
        ROLE_GRANTED = "role_granted", _("Role given")
        ROLE_REMOVED = "role_removed", _("Role removed")
        INVITATION_SENT = "invitation_sent", _("Invitation sent")
        INVITATION_ACCEPTED = "invitation_accepted", _("Invitation accepted")
        TASK_LINK_REVOKED = "task_link_revoked", _("Task link revoked")

    at = models.DateTimeField(_("time"), default=timezone.now, db_index=True)
    kind = models.CharField(_("event"), max_length=32, choices=Kind.choices)
    # The account the event is about, and who caused it when that is someone else.
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                             blank=True, related_name="+")
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                              blank=True, related_name="+")
    username = models.CharField(_("username"), max_length=150, blank=True)  # as typed
    ip_address = models.GenericIPAddressField(_("address"), null=True, blank=True)
    # Whose admins see it: the district the account (or the invitation) belongs to.
    district = models.ForeignKey(District, on_delete=models.CASCADE, null=True, blank=True,
                                 related_name="+")
    detail = models.CharField(_("detail"), max_length=200, blank=True)

    class Meta:
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.kind} {self.username}"
