"""API tokens issued as a bank would (issue 16, finding 8): one regression test per rule."""

import json
from datetime import timedelta

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_otp.oath import totp

from samvad.accounts_security import mfa
from samvad.api.models import READ, ApiToken
from samvad.conftest import PASSWORD

ME = "/api/v1/org/me"


def bearer(raw):
    return {"Authorization": f"Bearer {raw}"}


def works(_client, raw) -> bool:
    """The token alone (a fresh client: a logged-in session would answer on its own)."""
    return Client().get(ME, headers=bearer(raw)).status_code == 200


def test_a_token_expires_after_90_days_by_default(client, world):
    token, raw = ApiToken.issue(user=world.officer_a)
    assert timedelta(days=89) < token.expires - timezone.now() <= timedelta(days=90)
    with time_machine.travel(timezone.now() + timedelta(days=89)):
        assert works(client, raw)
    with time_machine.travel(timezone.now() + timedelta(days=91)):
        assert not works(client, raw)


def test_a_read_token_cannot_write(client, world):
    _, raw = ApiToken.issue(user=world.officer_a, scopes=[READ])
    assert client.get("/api/v1/submissions", headers=bearer(raw)).status_code == 200
    sent = client.post(
        "/api/v1/submissions",
        json.dumps({"kind": "advisory", "title": "लू"}),
        content_type="application/json",
        headers=bearer(raw),
    )
    assert sent.status_code == 403
    assert sent.json()["type"] == "urn:samvad:problem:insufficient-scope"


def test_a_password_change_revokes_every_token(client, world):
    _, raw = ApiToken.issue(user=world.officer_a)
    client.force_login(world.officer_a)
    changed = client.post(
        reverse("password_change"),
        {
            "old_password": PASSWORD,
            "new_password1": "a-much-longer-new-passphrase",
            "new_password2": "a-much-longer-new-passphrase",
        },
    )
    assert changed.status_code == 302
    assert not works(client, raw)


def test_a_login_that_only_rehashes_the_password_keeps_the_tokens(client, world, settings):
    _, raw = ApiToken.issue(user=world.officer_a)
    user = world.officer_a
    assert user.check_password(PASSWORD)  # may re-hash with the current hasher; same password
    assert works(client, raw)


def test_deactivation_revokes_every_token_for_good(client, world):
    _, raw = ApiToken.issue(user=world.officer_a)
    user = world.officer_a
    user.is_active = False
    user.save()
    user.is_active = True
    user.save()
    assert not works(client, raw)


@pytest.fixture
def editor_must_use_mfa(settings):
    settings.SAMVAD_MFA_REQUIRED_ROLES = ["district_admin", "editor"]


def test_the_token_of_someone_who_has_not_enrolled_where_required_is_refused(
    client, world, editor_must_use_mfa
):
    _, raw = ApiToken.issue(user=world.editor)
    refused = client.get(ME, headers=bearer(raw))
    assert refused.status_code == 401
    assert refused.json()["type"] == "urn:samvad:problem:token-refused"
    device = mfa.new_app_device(world.editor)
    mfa.confirm_app_device(world.editor, device)
    assert works(client, raw)


def test_making_a_token_needs_a_recent_second_step_where_the_role_requires_it(
    client, world, editor_must_use_mfa
):
    device = mfa.new_app_device(world.editor)
    mfa.confirm_app_device(world.editor, device)
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        client.post(reverse("login"), {"username": "editor", "password": PASSWORD})
        code = f"{totp(device.bin_key, device.step, device.t0, device.digits, device.drift):06d}"
        client.post(reverse("mfa_verify"), {"code": code})
        made = client.post(reverse("api_tokens"), {"name": "CMS", "scopes": ["read"], "days": 30})
    assert made.status_code == 200 and ApiToken.objects.filter(user=world.editor).count() == 1
    with time_machine.travel(start + timedelta(minutes=6), tick=False):
        later = client.post(
            reverse("api_tokens"), {"name": "CMS 2", "scopes": ["read"], "days": 30}
        )
    assert later.status_code == 302 and later["Location"].startswith(reverse("reauthenticate"))
    assert ApiToken.objects.filter(user=world.editor).count() == 1


def test_the_page_lists_makes_and_revokes_only_ones_own_tokens(client, world):
    theirs, _ = ApiToken.issue(user=world.officer_b, name="power's system")
    client.force_login(world.officer_a)
    made = client.post(
        reverse("api_tokens"),
        {"name": "PHED grievance system", "scopes": ["read", "submit"], "days": 30},
    )
    raw = made.context["raw"]
    token = ApiToken.objects.get(user=world.officer_a)
    assert raw in made.content.decode() and token.scope_list == ["read", "submit"]
    assert timedelta(days=29) < token.expires - timezone.now() <= timedelta(days=30)
    assert works(client, raw)

    page = client.get(reverse("api_tokens")).content.decode()
    assert "PHED grievance system" in page and "power's system" not in page
    assert raw not in page  # shown once only
    token.refresh_from_db()
    assert token.last_used is not None

    assert client.post(reverse("api_token_revoke"), {"token": theirs.pk}).status_code == 404
    assert client.post(reverse("api_token_revoke"), {"token": token.pk}).status_code == 302
    assert not works(client, raw)
    theirs.refresh_from_db()
    assert not theirs.revoked
