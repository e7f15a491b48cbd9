"""Two-step verification: an authenticator app (TOTP) and ten single-use recovery codes, django-otp
devices whose secrets are sealed or hashed (models.py). Required for the roles in
SAMVAD_MFA_REQUIRED_ROLES, optional for others."""

import secrets
from base64 import b32encode

import django_otp
import qrcode
import qrcode.image.svg
from django.conf import settings
from django.db import transaction
from django.utils.safestring import SafeString, mark_safe

from samvad.accounts_security.models import AuthenticatorApp, RecoveryCode, RecoveryCodes, code_hash
from samvad.org import access

RECOVERY_CODES = 10
APP_DEVICE = "app"
RECOVERY_DEVICE = "recovery"


def mfa_required(user) -> bool:
    return bool(access.roles(user) & set(settings.SAMVAD_MFA_REQUIRED_ROLES))


def has_mfa(user) -> bool:
    # Samvad's own two devices only: migration 0003 moved every older django-otp device into them,
    # and asking each installed device model (django_otp.user_has_device) costs a query apiece on
    # every page.
    return (
        AuthenticatorApp.objects.filter(user=user, confirmed=True).exists()
        or RecoveryCodes.objects.filter(user=user, confirmed=True).exists()
    )


def new_app_device(user) -> AuthenticatorApp:
    """A fresh, unconfirmed authenticator for the enrolment page; an earlier unconfirmed one is
    dropped, so a secret is shown only for the device that is being set up now."""
    AuthenticatorApp.objects.filter(user=user, confirmed=False).delete()
    return AuthenticatorApp.objects.create(user=user, name=APP_DEVICE, confirmed=False)


def pending_app_device(user) -> AuthenticatorApp | None:
    return AuthenticatorApp.objects.filter(user=user, confirmed=False).first()


def secret(device: AuthenticatorApp) -> str:
    """The key as authenticator apps expect it to be typed: base32, in groups of four."""
    key = b32encode(device.bin_key).decode()
    return " ".join(key[i : i + 4] for i in range(0, len(key), 4))


def qr_svg(device: AuthenticatorApp) -> SafeString:
    """The otpauth:// link as an inline SVG QR code, drawn here: the secret goes to no service."""
    image = qrcode.make(device.config_url, image_factory=qrcode.image.svg.SvgPathFillImage)
    return mark_safe(image.to_string(encoding="unicode"))  # noqa: S308  (our own SVG, no input)


@transaction.atomic
def confirm_app_device(user, device: AuthenticatorApp) -> list[str]:
    """The code from the app was right: this device replaces any earlier one, and a new set of
    recovery codes is issued. Returns the codes, to be shown once."""
    AuthenticatorApp.objects.filter(user=user).exclude(pk=device.pk).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    return new_recovery_codes(user)


def _new_code() -> str:
    """80 random bits as four groups of four letters and digits: abcd-efgh-2345-wxyz."""
    text = b32encode(secrets.token_bytes(10)).decode().lower()
    return "-".join(text[i : i + 4] for i in range(0, 16, 4))


@transaction.atomic
def new_recovery_codes(user) -> list[str]:
    """Ten new single-use codes, returned to be shown once; only their hashes are kept. The old
    ones stop working."""
    device, _ = RecoveryCodes.objects.get_or_create(user=user, name=RECOVERY_DEVICE)
    device.codes.all().delete()
    codes = [_new_code() for _ in range(RECOVERY_CODES)]
    RecoveryCode.objects.bulk_create(
        RecoveryCode(device=device, code_hash=code_hash(c)) for c in codes
    )
    return codes


def recovery_codes_left(user) -> int:
    return RecoveryCode.objects.filter(device__user=user, device__confirmed=True).count()


def verify(user, code: str):
    """The device that accepts the code (a recovery code is used up), or None. Each device
    throttles its own failures (django-otp's ThrottlingMixin)."""
    code = "".join(code.split()).replace("-", "").lower()
    return django_otp.match_token(user, code) if code else None


@transaction.atomic
def turn_off(user) -> None:
    AuthenticatorApp.objects.filter(user=user).delete()
    RecoveryCodes.objects.filter(user=user).delete()
