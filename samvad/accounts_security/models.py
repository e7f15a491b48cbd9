"""What account security keeps: the two-step devices, with their secrets sealed or hashed, and the
security-event log (who logged in, failed, was paused, changed their second step, got a token or
a role), read by district admins and exported for audits."""

import hashlib
from binascii import unhexlify

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_otp.models import Device, ThrottlingMixin, TimestampMixin
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp.util import random_hex

from samvad.org.models import District
from samvad.platforms.x.models import seal, unseal


def new_sealed_key() -> str:
    return seal(random_hex(20))  # 20 random bytes, hex, as django-otp makes them


class AuthenticatorApp(TimestampMixin, ThrottlingMixin, Device):
    """django-otp's TOTPDevice with its seed sealed like X's tokens (SAMVAD_TOKEN_KEYS), so a
    copy of the database alone cannot make codes. The fields are TOTPDevice's, so its checking of
    a code (drift, no reuse, throttling) and its otpauth:// link are used as they are."""

    key_sealed = models.TextField(default=new_sealed_key)
    step = models.PositiveSmallIntegerField(default=30)
    t0 = models.BigIntegerField(default=0)
    digits = models.PositiveSmallIntegerField(default=6)
    tolerance = models.PositiveSmallIntegerField(default=1)
    drift = models.SmallIntegerField(default=0)
    last_t = models.BigIntegerField(default=-1)

    verify_token = TOTPDevice.verify_token
    get_throttle_factor = TOTPDevice.get_throttle_factor
    config_url = TOTPDevice.config_url
    _read_str_from_settings = TOTPDevice._read_str_from_settings

    class Meta(Device.Meta):
        verbose_name = _("authenticator app")

    @property
    def bin_key(self) -> bytes:
        return unhexlify(unseal(self.key_sealed))


def code_hash(code: str) -> str:
    """Codes are 80 random bits, so a plain SHA-256 cannot be reversed by trying them all."""
    return hashlib.sha256("".join(code.split()).replace("-", "").lower().encode()).hexdigest()


class RecoveryCodes(TimestampMixin, ThrottlingMixin, Device):
    """Single-use recovery codes (django-otp's StaticDevice), kept only as hashes."""

    class Meta(Device.Meta):
        verbose_name = _("recovery codes")

    def get_throttle_factor(self):
        return getattr(settings, "OTP_STATIC_THROTTLE_FACTOR", 1)

    def verify_token(self, token) -> bool:
        allowed, _reason = self.verify_is_allowed()
        if not allowed:
            return False
        match = self.codes.filter(code_hash=code_hash(token)).first()
        if match is None:
            self.throttle_increment()
            return False
        match.delete()
        self.throttle_reset(commit=False)
        self.set_last_used_timestamp(commit=False)
        self.save()
        return True


class RecoveryCode(models.Model):
    device = models.ForeignKey(RecoveryCodes, on_delete=models.CASCADE, related_name="codes")
    code_hash = models.CharField(max_length=64, db_index=True)

    def __str__(self) -> str:
        return f"{self.device_id}: {self.code_hash[:8]}…"


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
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    username = models.CharField(_("username"), max_length=150, blank=True)  # as typed
    ip_address = models.GenericIPAddressField(_("address"), null=True, blank=True)
    # Whose admins see it: the district the account (or the invitation) belongs to.
    district = models.ForeignKey(
        District, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    detail = models.CharField(_("detail"), max_length=200, blank=True)

    class Meta:
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.kind} {self.username}"
