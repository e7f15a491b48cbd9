"""Existing authenticator seeds and recovery codes move into the sealed and hashed devices, and the
plaintext rows are deleted (issue 16, finding 9). Everyone's app and unused codes keep working;
a session's "verified" mark refers to the old device, so the next page asks for a code again."""

import hashlib

from cryptography.fernet import Fernet, MultiFernet
from django.conf import settings
from django.db import migrations

THROTTLE_AND_TIMES = ["throttling_failure_timestamp", "throttling_failure_count", "created_at",
                      "last_used_at"]


def _hash(code: str) -> str:  # as models.code_hash, frozen here
    return hashlib.sha256("".join(code.split()).replace("-", "").lower().encode()).hexdigest()


def seal(plain: str) -> str:  # as platforms.x.models.seal, frozen here
    ring = MultiFernet([Fernet(key) for key in settings.SAMVAD_TOKEN_KEYS])
    return ring.encrypt(plain.encode()).decode() if plain else ""


def seal_existing(apps, schema_editor):
    TOTPDevice = apps.get_model("otp_totp", "TOTPDevice")
    StaticDevice = apps.get_model("otp_static", "StaticDevice")
    AuthenticatorApp = apps.get_model("accounts_security", "AuthenticatorApp")
    RecoveryCodes = apps.get_model("accounts_security", "RecoveryCodes")
    RecoveryCode = apps.get_model("accounts_security", "RecoveryCode")
    for old in TOTPDevice.objects.all():
        AuthenticatorApp.objects.create(
            user_id=old.user_id, name=old.name, confirmed=old.confirmed,
            key_sealed=seal(old.key), step=old.step, t0=old.t0, digits=old.digits,
            tolerance=old.tolerance, drift=old.drift, last_t=old.last_t,
            **{field: getattr(old, field) for field in THROTTLE_AND_TIMES})
        old.delete()
    for old in StaticDevice.objects.all():
        new = RecoveryCodes.objects.create(
            user_id=old.user_id, name=old.name, confirmed=old.confirmed,
            **{field: getattr(old, field) for field in THROTTLE_AND_TIMES})
        RecoveryCode.objects.bulk_create(RecoveryCode(device=new, code_hash=_hash(token.token))
                                         for token in old.token_set.all())
        old.delete()


class Migration(migrations.Migration):
    dependencies = [
        ("accounts_security", "0002_sealed_two_step_devices"),
        ("otp_totp", "0003_add_timestamps"),
        ("otp_static", "0003_add_timestamps"),
    ]

    operations = [migrations.RunPython(seal_existing, migrations.RunPython.noop, elidable=True)]
