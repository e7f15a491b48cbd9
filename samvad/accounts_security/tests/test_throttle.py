from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.contrib.auth import authenticate
from django.test import RequestFactory
from django.urls import reverse

from samvad.accounts_security.jobs import forget_login_failures
from samvad.accounts_security.tests.conftest import password_login
from samvad.accounts_security.throttle import client_ip
from samvad.conftest import PASSWORD

pytestmark = pytest.mark.usefixtures("clock")

ATTACKER = "203.0.113.9"
OFFICE = "198.51.100.20"


def password_login_as(client, username: str, ip: str):
    return client.post(
        reverse("login"), {"username": username, "password": "guess"}, REMOTE_ADDR=ip
    )


def fail_five_times(client, user, ip):
    answers = [password_login(client, user, ip=ip, password="guess").status_code for _ in range(5)]
    assert answers == [200, 200, 200, 200, 429]  # the fifth wrong password starts the pause


def test_five_wrong_passwords_pause_that_user_from_that_address(client, world):
    fail_five_times(client, world.editor, ATTACKER)

    response = password_login(client, world.editor, ip=ATTACKER)

    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


def test_the_pause_does_not_lock_the_user_out_from_elsewhere(client, world):
    fail_five_times(client, world.editor, ATTACKER)

    response = password_login(client, world.editor, ip=OFFICE)

    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(world.editor.pk)


def test_the_pause_does_not_touch_other_users_at_that_address(client, world):
    fail_five_times(client, world.editor, ATTACKER)

    assert password_login(client, world.employee, ip=ATTACKER).status_code == 302


def test_the_pause_is_short_and_not_extended_by_guesses_during_it(client, world, clock):
    fail_five_times(client, world.editor, ATTACKER)
    clock.shift(timedelta(seconds=30))
    assert password_login(client, world.editor, ip=ATTACKER, password="guess").status_code == 429

    clock.shift(timedelta(seconds=31))
    response = password_login(client, world.editor, ip=ATTACKER)

    assert response.status_code == 302


def test_each_failure_after_a_pause_doubles_the_next_one(client, world, clock):
    # Issue 16, finding 7: a fixed 15-minute lock of the right password gave way to back-off.
    fail_five_times(client, world.editor, ATTACKER)  # paused for a minute
    clock.shift(timedelta(seconds=61))
    assert password_login(client, world.editor, ip=ATTACKER, password="guess").status_code == 429
    clock.shift(timedelta(seconds=61))
    assert password_login(client, world.editor, ip=ATTACKER).status_code == 429  # two minutes

    clock.shift(timedelta(seconds=60))
    assert password_login(client, world.editor, ip=ATTACKER).status_code == 302


def test_a_right_password_clears_that_users_failures_from_that_address(client, world):
    for _ in range(4):
        password_login(client, world.editor, ip=ATTACKER, password="guess")
    assert password_login(client, world.editor, ip=ATTACKER).status_code == 302
    client.logout()

    answers = [password_login(client, world.editor, ip=ATTACKER, password="guess").status_code
               for _ in range(5)]  # fmt: skip
    assert answers == [200, 200, 200, 200, 429]  # counted from nothing again


def test_failures_older_than_an_hour_are_not_counted_again(client, world, clock):
    """Others log in meanwhile; the next failure still starts from nothing, not from five."""
    fail_five_times(client, world.editor, ATTACKER)
    clock.shift(timedelta(hours=2))
    assert password_login(client, world.employee, ip=OFFICE).status_code == 302
    client.logout()

    assert password_login(client, world.editor, ip=ATTACKER, password="guess").status_code == 200
    assert password_login(client, world.editor, ip=ATTACKER).status_code == 302


def test_one_address_trying_many_usernames_is_paused(client, world):
    # Issue 16, finding 7: twelve usernames tried from one address met no limit.
    answers = [password_login_as(client, f"guess{n}", ATTACKER).status_code for n in range(20)]

    assert answers[-1] == 429 and set(answers[:-1]) == {200}
    assert password_login(client, world.employee, ip=ATTACKER).status_code == 429
    assert password_login(client, world.employee, ip=OFFICE).status_code == 302


def test_a_right_password_does_not_reset_the_addresss_count(client, world):
    for n in range(19):
        password_login_as(client, f"guess{n}", ATTACKER)
    assert password_login(client, world.employee, ip=ATTACKER).status_code == 302
    client.logout()

    assert password_login_as(client, "guess19", ATTACKER).status_code == 429


def test_the_old_password_on_password_change_is_throttled(login, world):
    # Issue 16, finding 12: the old-password check went around the login throttle.
    client = login(world.employee)
    change = {"new_password1": "a-fresh-pass-phrase", "new_password2": "a-fresh-pass-phrase"}
    for _ in range(5):
        client.post(
            reverse("password_change"), {"old_password": "guess", **change}, REMOTE_ADDR=ATTACKER
        )

    response = client.post(
        reverse("password_change"), {"old_password": PASSWORD, **change}, REMOTE_ADDR=ATTACKER
    )

    assert response.status_code == 429
    world.employee.refresh_from_db()
    assert world.employee.check_password(PASSWORD)


def test_reauthentication_counts_towards_the_throttle(login, world):
    client = login(world.employee)
    for _ in range(5):
        client.post(reverse("reauthenticate"), {"password": "guess"}, REMOTE_ADDR=ATTACKER)

    response = client.post(reverse("reauthenticate"), {"password": PASSWORD}, REMOTE_ADDR=ATTACKER)

    assert response.status_code == 429


def test_authenticate_without_a_request_still_checks_the_password(world):
    assert authenticate(username="employee", password=PASSWORD) == world.employee
    assert authenticate(username="employee", password="guess") is None


def test_the_client_address_comes_from_the_trusted_proxy_only(settings):
    request = RequestFactory().get(
        "/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="1.2.3.4, 198.51.100.7"
    )
    assert client_ip(request) == "10.0.0.1"

    settings.SAMVAD_TRUSTED_PROXIES = 1
    assert client_ip(request) == "198.51.100.7"  # the forged first entry is ignored


def test_failures_are_forgotten_an_hour_after_the_last_one(client, world, clock):
    password_login(client, world.editor, ip=ATTACKER, password="guess")
    clock.shift(timedelta(minutes=59))
    password_login(client, world.employee, ip=ATTACKER, password="guess")
    forget_login_failures(slot="now")
    assert AccessAttempt.objects.count() == 2

    clock.shift(timedelta(minutes=2))
    forget_login_failures(slot="later")
    assert list(AccessAttempt.objects.values_list("username", flat=True)) == ["employee"]
