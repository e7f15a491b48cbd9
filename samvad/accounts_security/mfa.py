"""Two-step verification: an authenticator app (TOTP) and ten single-use recovery codes, kept in
django-otp's own devices. Required for the roles in SAMVAD_MFA_REQUIRED_ROLES, optional for
others."""

from base64 import b32encode

import django_otp
import qrcode
import qrcode.image.svg
from django.conf import settings
from django.db import transaction
from django.utils.safestring import SafeString, mark_safe
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from samvad.org import access

RECOVERY_CODES = 10
APP_DEVICE = "app"
RECOVERY_DEVICE = "recovery"


def mfa_required(user) -> bool:
    return bool(access.roles(user) & set(settings.SAMVAD_MFA_REQUIRED_ROLES))


def has_mfa(user) -> bool:
    return django_otp.user_has_device(user, confirmed=True)


def new_app_device(user) -> TOTPDevice:
    """A fresh, unconfirmed authenticator for the enrolment page; an earlier unconfirmed one is
    dropped, so a secret is shown only for the device that is being set up now."""
    TOTPDevice.objects.filter(user=user, confirmed=False).delete()
    return TOTPDevice.objects.create(user=user, name=APP_DEVICE, confirmed=False)


def pending_app_device(user) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=False).first()


def secret(device: TOTPDevice) -> str:
    """The key as authenticator apps expect it to be typed: base32, in groups of four."""
    key = b32encode(device.bin_key).decode()
    return " ".join(key[i : i + 4] for i in range(0, len(key), 4))


def qr_svg(device: TOTPDevice) -> SafeString:
    """The otpauth:// link as an inline SVG QR code, drawn here: the secret goes to no service."""
    image = qrcode.make(device.config_url, image_factory=qrcode.image.svg.SvgPathFillImage)
    return mark_safe(image.to_string(encoding="unicode"))  # noqa: S308  (our own SVG, no input)


@transaction.atomic
def confirm_app_device(user, device: TOTPDevice) -> list[str]:
    """The code from the app was right: this device replaces any earlier one, and a new set of
    recovery codes is issued. Returns the codes, to be shown once."""
    TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    return new_recovery_codes(user)


@transaction.atomic
def new_recovery_codes(user) -> list[str]:
    """Ten new single-use codes; the old ones stop working."""
    device, _ = StaticDevice.objects.get_or_create(user=user, name=RECOVERY_DEVICE)
    device.token_set.all().delete()
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODES)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


def recovery_codes_left(user) -> int:
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


def verify(user, code: str):
    """The device that accepts the code (a recovery code is used up), or None. Each device
    throttles its own failures (django-otp's ThrottlingMixin)."""
    code = "".join(code.split()).lower()
    return django_otp.match_token(user, code) if code else None


@transaction.atomic
def turn_off(user) -> None:
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()
