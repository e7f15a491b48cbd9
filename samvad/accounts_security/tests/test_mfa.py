import re

import pytest
from django.urls import reverse

from samvad.accounts_security import mfa
from samvad.accounts_security.models import AuthenticatorApp, RecoveryCode, code_hash
from samvad.accounts_security.tests.conftest import code_for, enrolled, password_login

pytestmark = pytest.mark.usefixtures("clock")


def test_it_sends_an_admin_without_a_device_to_enrol(client, world, mfa_roles):
    password_login(client, world.admin)

    for url in (reverse("home"), reverse("department_list"), reverse("profile")):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("mfa_enrol"))


def test_it_lets_an_employee_without_a_device_in(client, world, mfa_roles):
    password_login(client, world.employee)

    assert client.get(reverse("home")).status_code == 200


def test_an_admin_enrols_with_the_qr_code_and_gets_ten_recovery_codes_once(
    client, world, mfa_roles, clock
):
    password_login(client, world.admin)
    page = client.get(reverse("mfa_enrol"))
    assert page.status_code == 200
    assert "<svg" in page.content.decode()
    device = AuthenticatorApp.objects.get(user=world.admin, confirmed=False)
    assert page.context["secret"].replace(" ", "") in page.content.decode().replace(" ", "")

    response = client.post(reverse("mfa_enrol"), {"code": code_for(device)})

    assert response.status_code == 200
    codes = response.context["codes"]
    assert len(codes) == 10
    assert all(code in response.content.decode() for code in codes)
    device.refresh_from_db()
    assert device.confirmed
    assert client.get(reverse("home")).status_code == 200  # verified in this session
    assert client.get(reverse("mfa_manage")).context["codes_left"] == 10


def test_enrolment_refuses_a_wrong_code(client, world, mfa_roles):
    password_login(client, world.admin)
    device = client.get(reverse("mfa_enrol")) and AuthenticatorApp.objects.get(user=world.admin)
    wrong = f"{(int(code_for(device)) + 1) % 1_000_000:06d}"

    response = client.post(reverse("mfa_enrol"), {"code": wrong})

    assert response.status_code == 200
    assert response.context["form"].errors
    assert not AuthenticatorApp.objects.filter(confirmed=True).exists()
    assert client.get(reverse("home")).status_code == 302


def test_it_asks_for_the_code_after_the_password(client, world, mfa_roles, clock):
    device, _codes = enrolled(world.admin)
    password_login(client, world.admin)

    response = client.get(reverse("department_list"))
    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_verify") + "?next=%2Forg%2Fdepartments%2F"
    wrong = f"{(int(code_for(device)) + 1) % 1_000_000:06d}"
    assert client.post(reverse("mfa_verify"), {"code": wrong}).status_code == 200
    assert client.get(reverse("home")).status_code == 302

    clock.shift(60)  # past the throttle delay that the wrong code started
    response = client.post(
        reverse("mfa_verify"), {"code": code_for(device), "next": "/org/departments/"}
    )

    assert response["Location"] == "/org/departments/"
    assert client.get(reverse("department_list")).status_code == 200


def test_a_session_opened_before_the_user_set_up_a_device_is_asked_within_the_minute(
    client, world, clock
):
    """Whether a user without a device has one now is asked once a minute, not on every page."""
    password_login(client, world.employee)
    assert client.get(reverse("training")).status_code == 200
    enrolled(world.employee)  # on the user's phone, in another session

    clock.shift(30)
    assert client.get(reverse("training")).status_code == 200
    clock.shift(31)
    response = client.get(reverse("training"))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("mfa_verify"))


def test_the_same_app_code_is_not_accepted_twice(client, world, clock):
    device, _codes = enrolled(world.employee)
    code = code_for(device)
    password_login(client, world.employee)
    assert client.post(reverse("mfa_verify"), {"code": code}).status_code == 302
    client.post(reverse("logout"))

    password_login(client, world.employee)
    response = client.post(reverse("mfa_verify"), {"code": code})

    assert response.status_code == 200
    assert client.get(reverse("home")).status_code == 302


def test_a_recovery_code_works_once(client, world, mfa_roles, clock):
    _device, codes = enrolled(world.editor)
    password_login(client, world.editor)
    assert client.post(reverse("mfa_verify"), {"code": codes[0].upper()}).status_code == 302
    assert client.get(reverse("home")).status_code == 200
    client.post(reverse("logout"))

    password_login(client, world.editor)
    again = client.post(reverse("mfa_verify"), {"code": codes[0]})

    assert again.status_code == 200
    assert mfa.recovery_codes_left(world.editor) == 9
    clock.shift(60)
    assert client.post(reverse("mfa_verify"), {"code": codes[1]}).status_code == 302


def test_a_password_alone_cannot_replace_or_remove_the_device(client, world):
    enrolled(world.employee)
    password_login(client, world.employee)

    for url in (reverse("mfa_enrol"), reverse("mfa_manage"), reverse("change_email")):
        assert client.get(url)["Location"].startswith(reverse("mfa_verify"))
    assert client.post(reverse("mfa_turn_off"))["Location"].startswith(reverse("mfa_verify"))
    assert AuthenticatorApp.objects.filter(user=world.employee, confirmed=True).exists()


def test_an_unverified_session_gets_401_from_the_api(client, world):
    enrolled(world.employee)
    password_login(client, world.employee)

    response = client.get("/api/v1/org/departments")

    assert response.status_code == 401


def test_the_role_requirement_keeps_two_step_verification_on(login, world, mfa_roles):
    client = login(world.admin)
    device, _codes = enrolled(world.admin)
    client.post(reverse("mfa_verify"), {"code": code_for(device)})

    response = client.post(reverse("mfa_turn_off"), follow=True)

    assert AuthenticatorApp.objects.filter(user=world.admin).exists()
    assert [m.level_tag for m in response.context["messages"]] == ["error"]


def test_an_employee_may_turn_it_off(login, world):
    client = login(world.employee)
    device, _codes = enrolled(world.employee)
    client.post(reverse("mfa_verify"), {"code": code_for(device)})

    client.post(reverse("mfa_turn_off"))

    assert not AuthenticatorApp.objects.filter(user=world.employee).exists()
    assert mfa.recovery_codes_left(world.employee) == 0
    assert client.get(reverse("home")).status_code == 200


def test_new_recovery_codes_replace_the_old_ones(login, world):
    client = login(world.employee)
    device, old = enrolled(world.employee)
    client.post(reverse("mfa_verify"), {"code": code_for(device)})

    response = client.post(reverse("mfa_recovery_codes"))

    new = response.context["codes"]
    assert len(new) == 10
    assert not set(old) & set(new)
    assert set(RecoveryCode.objects.values_list("code_hash", flat=True)) == {
        code_hash(code) for code in new
    }


def test_the_profile_links_to_email_and_two_step_verification(login, world):
    page = login(world.employee).get(reverse("profile")).content.decode()

    assert reverse("change_email") in page
    assert reverse("mfa_manage") in page


def test_the_secret_is_shown_only_while_setting_up(login, world):
    client = login(world.employee)
    enrolled(world.employee)
    client.force_login(world.employee)  # no code: manage page must not leak anything either
    device = AuthenticatorApp.objects.get(user=world.employee)
    client.post(reverse("mfa_verify"), {"code": code_for(device)})

    page = client.get(reverse("mfa_manage")).content.decode()

    assert not re.search(r"<svg", page)
    assert mfa.secret(device) not in page


@pytest.mark.parametrize("wanted", ["abc", "-1", "2025-13-45", "https://evil.example/"])
def test_a_next_that_is_not_a_path_here_leads_home(login, world, wanted):
    # Issue 16, finding 11: ?next=abc was taken for a view's name and answered 500.
    response = login(world.employee).get(reverse("mfa_verify"), {"next": wanted})

    assert response.status_code == 302
    assert response["Location"] == reverse("home")
