"""Issue 16, the people half: invitations that never touch an existing person (finding 6), the
password policy, Cache-Control on personal pages, 403s in one log line and production's e-mail
(finding 12)."""

import base64
import logging
import os
import re
import secrets
import subprocess
import sys

from django.core import mail
from django.urls import reverse

from samvad.conftest import PASSWORD
from samvad.org.models import Invitation, Person, Role


def invite(client, email: str, department, role=Role.EMPLOYEE):
    return client.post(
        reverse("invite"),
        {"name": "नया कर्मचारी", "email": email, "role": role, "department": department.pk},
    )


def accept(client, token: str, username: str = "newcomer"):
    client.logout()
    return client.post(
        reverse("accept_invitation", args=[token]),
        {"username": username, "password": "a-long-pass-phrase"},
    )


def adc_person(world) -> Person:
    """The ADC's own person record, in no department the PHED officer manages."""
    return Person.objects.create(
        user=world.admin,
        district=world.dausa,
        name="अतिरिक्त जिला कलक्टर",
        designation="ADC",
        employee_code="ADC-1",
        email="adc@example.gov.in",
    )


# Finding 6 -------------------------------------------------------------------------------------


def test_an_officer_cannot_invite_someone_elses_person(login, world):
    adc = adc_person(world)

    response = invite(login(world.officer_a), adc.email, world.water)

    assert response.status_code == 200
    assert "already belongs to" in response.content.decode() or response.context["form"].errors
    assert not Invitation.objects.exists() and not mail.outbox


def test_nobody_invites_an_email_that_has_an_account(login, world):
    response = invite(login(world.admin), world.employee.email, world.power)

    assert response.context["form"].errors["email"]
    assert not Invitation.objects.exists()


def test_an_officer_may_invite_a_person_of_their_own_staff_list(login, world):
    staff = Person.objects.create(
        district=world.dausa,
        department=world.water,
        name="रमेश",
        designation="कनिष्ठ अभियंता",
        employee_code="W-7",
        email="ramesh@example.gov.in",
    )
    invite(login(world.officer_a), staff.email, world.water)
    token = re.search(r"/invite/(\S+)/", mail.outbox[0].body).group(1)

    accept(login(world.officer_a), token)

    staff.refresh_from_db()
    assert staff.user.username == "newcomer" and staff.name == "रमेश"


def test_accepting_a_link_never_changes_another_persons_record(client, world):
    adc = adc_person(world)
    # An invitation issued before this check existed, for the ADC's address into PHED.
    _invitation, token = Invitation.issue(
        email=adc.email,
        name="कोई और",
        designation="",
        role=Role.EMPLOYEE,
        district=world.dausa,
        department=world.water,
        invited_by=world.officer_a,
    )

    accept(client, token)

    adc.refresh_from_db()
    assert (adc.user, adc.name, adc.department) == (world.admin, "अतिरिक्त जिला कलक्टर", None)


# Finding 12 ------------------------------------------------------------------------------------


def test_the_password_policy_refuses_short_and_common_passwords(client, world):
    _invitation, token = Invitation.issue(
        email="new@example.gov.in",
        name="नया",
        designation="",
        role=Role.EMPLOYEE,
        district=world.dausa,
        department=world.water,
        invited_by=world.officer_a,
    )
    for weak in ("Aa1!Aa1!", "password1234", "newcomer2025"):
        response = client.post(
            reverse("accept_invitation", args=[token]), {"username": "newcomer", "password": weak}
        )
        assert response.status_code == 200, weak
        assert response.context["form"].errors["password"], weak


def test_personal_pages_exports_and_the_api_are_not_stored_by_caches(login, world):
    client = login(world.admin)
    for url in (
        reverse("profile"),
        reverse("person_detail", args=[world.employee.person.pk]),
        reverse("advocacy:export"),
        "/api/v1/org/people",
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        assert "no-store" in response["Cache-Control"], url


def test_a_403_is_logged_in_one_line_without_a_traceback(login, world, caplog):
    with caplog.at_level(logging.WARNING, logger="django.request"):
        response = login(world.employee).get(reverse("department_list"))

    assert response.status_code == 403
    [record] = [r for r in caplog.records if r.name == "django.request"]
    assert record.exc_info is None and "\n" not in caplog.text.strip()


def deploy_check(tmp_path, **extra) -> subprocess.CompletedProcess:
    env = {
        **{k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"},
        "SAMVAD_PRODUCTION": "1",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "samvad.example.gov.in",
        "SAMVAD_DATA_DIR": str(tmp_path),
        "SAMVAD_TOKEN_KEYS": base64.urlsafe_b64encode(secrets.token_bytes(32)).decode(),
        "DJANGO_SETTINGS_MODULE": "samvad.settings",
        "SAMVAD_TRUSTED_PROXIES": "1",
        **extra,
    }
    env.pop("EMAIL_BACKEND", None) if "EMAIL_BACKEND" not in extra else None
    return subprocess.run(
        [sys.executable, "-m", "samvad", "check", "--deploy", "--fail-level", "WARNING"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_refuses_the_console_email_backend(tmp_path):
    result = deploy_check(tmp_path)

    assert result.returncode != 0
    assert "samvad.E" in result.stdout + result.stderr and "EMAIL_BACKEND" in result.stderr


def test_production_warns_when_it_trusts_no_proxy(tmp_path):
    result = deploy_check(
        tmp_path,
        SAMVAD_TRUSTED_PROXIES="0",
        EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
    )

    assert result.returncode != 0 and "SAMVAD_TRUSTED_PROXIES" in result.stderr


def test_password_change_still_works_with_a_good_password(login, world):
    client = login(world.employee)
    response = client.post(
        reverse("password_change"),
        {
            "old_password": PASSWORD,
            "new_password1": "a-fresh-pass-phrase",
            "new_password2": "a-fresh-pass-phrase",
        },
    )
    assert response.status_code == 302
