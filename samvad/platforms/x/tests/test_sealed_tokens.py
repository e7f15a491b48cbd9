"""Tokens are sealed with SAMVAD_TOKEN_KEYS, never stored in the clear, re-sealed on rotation."""

import pytest
from cryptography.fernet import Fernet, InvalidToken
from django.core.management import call_command
from django.db import connection as db

from samvad.platforms.x.models import Connection, seal, unseal


@pytest.fixture
def keys(settings):
    settings.SAMVAD_TOKEN_KEYS = [Fernet.generate_key().decode()]
    return settings


@pytest.fixture
def stored(keys, world):
    conn = Connection.objects.create(account=world.dausa.accounts.get(), status="connected")
    conn.store_tokens(access="ACCESS-plain-123", refresh="REFRESH-plain-456", expires_in=7200)
    return conn


def raw_rows() -> str:
    with db.cursor() as cursor:
        cursor.execute("SELECT * FROM x_connection")
        return repr(cursor.fetchall())


def test_it_seals_and_opens_a_secret(keys):
    sealed = seal("नमस्ते-token")
    assert "token" not in sealed
    assert unseal(sealed) == "नमस्ते-token"
    assert seal("") == "" and unseal("") == ""


def test_the_database_never_holds_a_token_in_the_clear(stored):
    rows = raw_rows()
    assert "ACCESS-plain-123" not in rows and "REFRESH-plain-456" not in rows
    fresh = Connection.objects.get(pk=stored.pk)
    assert (fresh.access_token, fresh.refresh_token) == ("ACCESS-plain-123", "REFRESH-plain-456")


def test_the_key_is_not_the_secret_key(stored, settings):
    settings.SAMVAD_TOKEN_KEYS = [Fernet.generate_key().decode()]
    with pytest.raises(InvalidToken):
        Connection.objects.get(pk=stored.pk).access_token  # noqa: B018


def test_rotation_reseals_everything_under_the_first_key(stored, settings):
    old = settings.SAMVAD_TOKEN_KEYS[0]
    new = Fernet.generate_key().decode()
    before = raw_rows()
    settings.SAMVAD_TOKEN_KEYS = [new, old]
    call_command("rotate_token_keys")
    assert raw_rows() != before
    settings.SAMVAD_TOKEN_KEYS = [new]
    fresh = Connection.objects.get(pk=stored.pk)
    assert (fresh.access_token, fresh.refresh_token) == ("ACCESS-plain-123", "REFRESH-plain-456")
    assert fresh.token_secret == ""
