from datetime import timedelta
from io import StringIO

import pytest
import time_machine
from django.core.management import CommandError, call_command
from django.utils import timezone

from samvad.api.models import ApiToken, token_hash

ME = "/api/v1/org/me"


def auth(raw):
    return {"Authorization": f"Bearer {raw}"}


def test_it_stores_only_a_hash_and_a_prefix(people):
    token, raw = ApiToken.issue(user=people["admin1"], name="reports")
    token.refresh_from_db()
    assert token.prefix == raw[:8]
    assert token.key_hash == token_hash(raw)
    assert raw not in {token.name, token.prefix, token.key_hash}


def test_it_authenticates_with_a_bearer_token(client, people):
    _, raw = ApiToken.issue(user=people["admin1"])
    response = client.get(ME, headers=auth(raw))
    assert response.status_code == 200
    assert response.json()["username"] == "admin"


@pytest.mark.parametrize("header", [None, "Bearer nonsense", "Token abc"])
def test_it_answers_401_without_a_valid_token(client, people, header):
    headers = {"Authorization": header} if header else {}
    response = client.get(ME, headers=headers)
    assert response.status_code == 401
    assert response.json()["detail"]


def test_it_rejects_a_revoked_token(client, people):
    token, raw = ApiToken.issue(user=people["admin1"])
    token.revoke()
    assert client.get(ME, headers=auth(raw)).status_code == 401


def test_it_rejects_the_token_of_an_inactive_user(client, people):
    user = people["admin1"]
    _, raw = ApiToken.issue(user=user)
    user.is_active = False
    user.save()
    assert client.get(ME, headers=auth(raw)).status_code == 401


def test_it_accepts_the_logged_in_session(client, people):
    client.force_login(people["officer_a"])
    response = client.get(ME)
    assert response.status_code == 200
    assert response.json()["username"] == "officer_a"


def test_it_records_last_use_at_most_once_a_minute(client, people):
    token, raw = ApiToken.issue(user=people["admin1"])
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        client.get(ME, headers=auth(raw))
    with time_machine.travel(start + timedelta(seconds=30), tick=False):
        client.get(ME, headers=auth(raw))
    token.refresh_from_db()
    assert token.last_used == start
    with time_machine.travel(start + timedelta(seconds=61), tick=False):
        client.get(ME, headers=auth(raw))
    token.refresh_from_db()
    assert token.last_used == start + timedelta(seconds=61)


def test_it_answers_in_the_token_users_language(client, people):
    user = people["admin1"]
    user.language = "en"
    user.save()
    _, raw = ApiToken.issue(user=user)
    assert client.get(ME, headers=auth(raw)).json()["language"] == "en"


def test_the_command_prints_only_a_working_token(client, people):
    out = StringIO()
    call_command(
        "token",
        "create",
        "admin",
        "--name",
        "script",
        "--scopes",
        "read,submit",
        "--days",
        "7",
        stdout=out,
        stderr=StringIO(),
    )
    raw = out.getvalue().strip()
    assert "\n" not in raw
    token = ApiToken.objects.get(prefix=raw[:8])
    assert (token.name, token.scope_list) == ("script", ["read", "submit"])
    assert token.expires - token.created <= timedelta(days=7)
    assert client.get(ME, headers=auth(raw)).status_code == 200


def test_the_command_revokes_a_token_by_prefix(client, people):
    token, raw = ApiToken.issue(user=people["admin1"])
    call_command("token", "revoke", token.prefix, stdout=StringIO())
    token.refresh_from_db()
    assert token.revoked
    assert client.get(ME, headers=auth(raw)).status_code == 401


def test_the_command_refuses_an_unknown_user_or_prefix(people):
    with pytest.raises(CommandError):
        call_command("token", "create", "nobody", stdout=StringIO())
    with pytest.raises(CommandError):
        call_command("token", "create", "admin", "--scopes", "everything", stdout=StringIO())
    with pytest.raises(CommandError):
        call_command("token", "revoke", "deadbeef", stdout=StringIO())
