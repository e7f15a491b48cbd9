"""Issue 16, finding 9: recovery codes and authenticator seeds were stored in plaintext. Now the
codes are kept as hashes and the seed sealed like X's tokens; a copy of the database alone
gives neither."""

import importlib
from binascii import hexlify

import pytest
from django.apps import apps as django_apps
from django.db import connection
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from samvad.accounts_security import mfa
from samvad.accounts_security.tests.conftest import code_for, enrolled

pytestmark = pytest.mark.usefixtures("clock")


def database_text() -> str:
    """Every text column of the two-step tables, as a thief with a database copy reads them."""
    found = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            if "otp" in table or "accounts_security" in table:
                cursor.execute(f'SELECT * FROM "{table}"')  # noqa: S608  (our own table names)
                found += [str(value) for row in cursor.fetchall() for value in row]
    return " ".join(found)


def test_neither_the_codes_nor_the_seed_are_in_the_database(world):
    device, codes = enrolled(world.editor)
    stored = database_text()

    assert not any(code.replace("-", "") in stored.replace("-", "") for code in codes)
    assert hexlify(device.bin_key).decode() not in stored


def test_the_codes_and_the_app_still_work(world):
    device, codes = enrolled(world.editor)

    assert mfa.verify(world.editor, code_for(device)) is not None
    assert mfa.verify(world.editor, codes[3]) is not None
    assert mfa.verify(world.editor, codes[3]) is None  # used once


def test_existing_plain_secrets_are_sealed_by_the_migration(world):
    totp = TOTPDevice.objects.create(user=world.admin, name="app", confirmed=True)
    static = StaticDevice.objects.create(user=world.admin, name="recovery", confirmed=True)
    StaticToken.objects.create(device=static, token="abcdefgh")
    key = totp.bin_key
    migration = importlib.import_module(
        "samvad.accounts_security.migrations.0003_seal_existing_two_step_secrets"
    )

    migration.seal_existing(django_apps, None)

    assert not TOTPDevice.objects.exists() and not StaticToken.objects.exists()
    [app] = mfa.AuthenticatorApp.objects.filter(user=world.admin)
    assert app.bin_key == key and app.confirmed
    assert hexlify(key).decode() not in database_text()
    assert mfa.verify(world.admin, "abcdefgh") is not None
