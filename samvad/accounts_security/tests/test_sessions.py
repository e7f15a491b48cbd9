from datetime import timedelta

import pytest
from django.contrib.sessions.models import Session
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from samvad.accounts_security.tests.conftest import code_for, enrolled, password_login
from samvad.conftest import PASSWORD

pytestmark = pytest.mark.usefixtures("clock")


def test_an_idle_session_ends_after_thirty_minutes(login, world, clock):
    client = login(world.employee)
    clock.shift(timedelta(minutes=29))
    assert client.get(reverse("profile")).status_code == 200

    clock.shift(timedelta(minutes=29))  # active 29 minutes ago: still fine
    assert client.get(reverse("profile")).status_code == 200
    clock.shift(timedelta(minutes=31))
    response = client.get(reverse("profile"))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
    assert "_auth_user_id" not in client.session


def test_an_active_session_still_ends_twelve_hours_after_login(login, world, clock):
    client = login(world.employee)
    for _ in range(12 * 3 - 1):  # a request every 20 minutes for 11 h 40 min
        clock.shift(timedelta(minutes=20))
        assert client.get(reverse("profile")).status_code == 200

    clock.shift(timedelta(minutes=21))
    response = client.get(reverse("profile"))

    assert response["Location"].startswith(reverse("login"))


def test_htmx_requests_of_an_ended_session_reload_the_whole_page(login, world, clock):
    client = login(world.employee)
    clock.shift(timedelta(hours=1))

    response = client.get(reverse("profile"), headers={"HX-Request": "true"})

    assert response["HX-Redirect"].startswith(reverse("login"))


def test_a_disabled_users_session_ends_at_the_next_request(login, world):
    client = login(world.officer_a)
    assert client.get(reverse("profile")).status_code == 200

    world.officer_a.is_active = False
    world.officer_a.save()
    response = client.get(reverse("profile"))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
    assert client.get(reverse("home")).context["user"].is_anonymous


def test_changing_email_asks_for_the_password_again_after_five_minutes(login, world, clock):
    client = login(world.employee)
    assert client.get(reverse("change_email")).status_code == 200  # just logged in

    clock.shift(timedelta(minutes=6))
    response = client.get(reverse("change_email"))
    assert response["Location"] == reverse("reauthenticate") + "?next=%2Fprofile%2Femail%2F"
    wrong = client.post(response["Location"], {"password": "nope", "next": "/profile/email/"})
    assert wrong.status_code == 200
    assert client.get(reverse("change_email")).status_code == 302

    again = client.post(
        reverse("reauthenticate"), {"password": PASSWORD, "next": "/profile/email/"}
    )
    assert again["Location"] == "/profile/email/"
    client.post(reverse("change_email"), {"email": "new@example.gov.in"})

    world.employee.refresh_from_db()
    assert world.employee.email == "new@example.gov.in"
    assert mail.outbox[0].to == ["employee@example.gov.in"]  # the old address is told


def test_reauthentication_needs_the_code_too_when_enrolled(client, world, clock):
    device, _codes = enrolled(world.employee)
    password_login(client, world.employee)
    client.post(reverse("mfa_verify"), {"code": code_for(device)})
    clock.shift(timedelta(minutes=6))
    assert client.get(reverse("mfa_enrol"))["Location"].startswith(reverse("reauthenticate"))

    without_code = client.post(reverse("reauthenticate"), {"password": PASSWORD})
    assert without_code.status_code == 200
    assert "code" in without_code.context["form"].errors

    client.post(reverse("reauthenticate"), {"password": PASSWORD, "code": code_for(device)})
    assert client.get(reverse("mfa_enrol")).status_code == 200


def test_email_change_refuses_an_address_another_account_uses(login, world):
    response = login(world.employee).post(
        reverse("change_email"), {"email": "ADMIN@example.gov.in"}
    )

    assert response.status_code == 200
    assert response.context["form"].errors["email"]
    world.employee.refresh_from_db()
    assert world.employee.email == "employee@example.gov.in"


@pytest.mark.django_db
def test_the_store_reads_a_live_session_and_nothing_expired_or_unknown():
    from django.contrib.sessions.models import Session
    from django.utils import timezone

    from samvad.accounts_security.sessions import SessionStore

    live = SessionStore()
    live["x"] = 1
    live.save()
    assert SessionStore(live.session_key).load() == {"x": 1}
    Session.objects.filter(pk=live.session_key).update(expire_date=timezone.now() - timedelta(1))
    for key in (live.session_key, "no-such-session-key"):
        store = SessionStore(key)
        assert store.load() == {} and store.session_key is None


def test_the_backend_reads_the_sessions_user_whole_and_refuses_an_inactive_one(world):
    from samvad.accounts_security.sessions import ModelBackend

    user = ModelBackend().get_user(world.editor.pk)
    assert user == world.editor and user.get_deferred_fields() == set()
    assert ModelBackend().get_user(10**9) is None
    world.editor.is_active = False
    world.editor.save()
    assert ModelBackend().get_user(world.editor.pk) is None


def test_a_log_in_gives_the_session_a_new_key_written_once(client, world):
    """Against session fixation: the key an anonymous visitor had dies at the log-in, and what
    the session held goes on under a new key, which is written once (sessions.cycle_key)."""
    anonymous = client.session
    anonymous["chosen_before_login"] = "hi"
    anonymous.save()
    old_key = anonymous.session_key

    with CaptureQueriesContext(connection) as captured:
        assert password_login(client, world.employee).status_code == 302

    session = client.session
    assert session.session_key != old_key
    assert session["chosen_before_login"] == "hi"
    assert session["_auth_user_id"] == str(world.employee.pk)
    assert not Session.objects.filter(session_key=old_key).exists()
    writes = [q["sql"].split()[0] for q in captured if "django_session" in q["sql"]]
    assert writes.count("INSERT") == 1 and "UPDATE" not in writes
