"""Issue 16, build 11: the security-event log that district admins see and export."""

import pytest
from django.urls import reverse

from samvad.accounts_security.models import SecurityEvent
from samvad.accounts_security.tests.conftest import password_login
from samvad.api.models import ApiToken
from samvad.conftest import PASSWORD
from samvad.org.models import Role, RoleAssignment

pytestmark = pytest.mark.usefixtures("clock")
Kind = SecurityEvent.Kind


def kinds(**filters) -> list[str]:
    return list(
        SecurityEvent.objects.filter(**filters).order_by("id").values_list("kind", flat=True)
    )


def test_logins_failures_and_pauses_are_recorded_with_the_address(client, world):
    for _ in range(5):
        password_login(client, world.editor, ip="203.0.113.9", password="guess")
    password_login(client, world.employee, ip="198.51.100.20")

    assert sorted(kinds(user=world.editor, kind__in=[Kind.LOGIN_FAILED, Kind.LOCKOUT])) == sorted(
        [Kind.LOGIN_FAILED] * 5 + [Kind.LOCKOUT]
    )
    login = SecurityEvent.objects.get(user=world.employee, kind=Kind.LOGIN)
    assert (login.ip_address, login.district) == ("198.51.100.20", world.dausa)


def test_roles_tokens_and_two_step_changes_are_recorded(login, world):
    RoleAssignment.objects.create(
        user=world.employee, role=Role.OFFICER, district=world.dausa, department=world.power
    )
    token, _raw = ApiToken.issue(user=world.editor)
    token.revoke()

    assert Kind.ROLE_GRANTED in kinds(user=world.employee)
    assert kinds(user=world.editor, kind__startswith="token") == [
        Kind.TOKEN_CREATED,
        Kind.TOKEN_REVOKED,
    ]


def test_an_admin_sees_and_exports_only_their_districts_events(client, login, world):
    password_login(client, world.editor, password="guess")
    password_login(client, world.alwar_editor, password="guess")
    SecurityEvent.objects.create(
        kind=Kind.LOGIN_FAILED, username='=HYPERLINK("x")', district=world.dausa
    )

    admin = login(world.admin)
    page = admin.get(reverse("security_log")).content.decode()
    export = admin.get(reverse("security_log_export"))

    assert "editor" in page and "alwar_editor" not in page
    body = export.content.decode("utf-8-sig")
    assert "'=HYPERLINK" in body and "alwar_editor" not in body
    assert "no-store" in export["Cache-Control"]
    for persona in (world.editor, world.officer_a, world.observer):
        assert login(persona).get(reverse("security_log")).status_code == 403


def test_invitations_and_password_changes_are_recorded(login, world):
    client = login(world.admin)
    client.post(
        reverse("invite"), {"name": "नई", "email": "new@example.gov.in", "role": Role.EDITOR}
    )
    client.post(
        reverse("password_change"),
        {
            "old_password": PASSWORD,
            "new_password1": "a-fresh-pass-phrase",
            "new_password2": "a-fresh-pass-phrase",
        },
    )

    assert kinds(user=world.admin)[-2:] == [Kind.INVITATION_SENT, Kind.PASSWORD_CHANGED]
