from datetime import timedelta

import pytest
from django.contrib.auth import authenticate
from django.test import RequestFactory
from django.urls import reverse

from samvad.accounts_security.tests.conftest import password_login
from samvad.accounts_security.throttle import client_ip
from samvad.conftest import PASSWORD

pytestmark = pytest.mark.usefixtures("clock")

ATTACKER = "203.0.113.9"
OFFICE = "198.51.100.20"


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


def test_the_pause_is_short_and_not_extended_by_more_guesses(client, world, clock):
    fail_five_times(client, world.editor, ATTACKER)
    clock.shift(timedelta(minutes=10))
    assert password_login(client, world.editor, ip=ATTACKER, password="guess").status_code == 429

    clock.shift(timedelta(minutes=6))
    response = password_login(client, world.editor, ip=ATTACKER)

    assert response.status_code == 302


def test_reauthentication_counts_towards_the_throttle(login, world):
    client = login(world.employee)
    for _ in range(5):
        client.post(reverse("reauthenticate"), {"password": "guess"}, REMOTE_ADDR=ATTACKER)

    response = client.post(
        reverse("reauthenticate"), {"password": PASSWORD}, REMOTE_ADDR=ATTACKER
    )

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
