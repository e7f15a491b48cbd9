import re

from django.core import mail
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from samvad.conftest import PASSWORD
from samvad.org.models import Invitation, Role, RoleAssignment, User


def test_it_logs_in_with_the_password(client, world):
    response = client.post(reverse("login"), {"username": "admin", "password": PASSWORD})
    assert response.status_code == 302
    assert client.get(reverse("home")).context["primary_role"] == Role.DISTRICT_ADMIN


def test_passwords_are_hashed_with_argon2(world, settings):
    # The suite hashes with a fast hasher (samvad/conftest.py); the product's setting is Argon2.
    from samvad import settings as product

    settings.PASSWORD_HASHERS = product.PASSWORD_HASHERS
    world.admin.set_password("a long enough passphrase")
    assert world.admin.password.startswith("argon2")


def test_it_rejects_a_wrong_password(client, world):
    response = client.post(reverse("login"), {"username": "admin", "password": "nope"})
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session


def test_password_reset_sends_a_working_link(client, world):
    client.post(reverse("password_reset"), {"email": "admin@example.gov.in"})
    assert len(mail.outbox) == 1
    link = re.search(r"https?://[^/]+(/password/reset/\S+/)", mail.outbox[0].body).group(1)
    form = client.get(link, follow=True)
    assert form.context["validlink"]
    response = client.post(
        form.redirect_chain[-1][0],
        {"new_password1": "a-new-pass-phrase", "new_password2": "a-new-pass-phrase"},
    )
    assert response.status_code == 302
    world.admin.refresh_from_db()
    assert world.admin.check_password("a-new-pass-phrase")


def test_language_choice_is_remembered_on_the_user(login, world):
    client = login(world.admin)
    assert client.get(reverse("home"))["Content-Language"] == "hi"
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    world.admin.refresh_from_db()
    assert world.admin.language == "en"
    client.cookies.clear()
    client.force_login(world.admin)
    assert client.get(reverse("home"))["Content-Language"] == "en"


def test_language_switch_refuses_an_outside_redirect(client, world):
    response = client.post(
        reverse("set_language"), {"language": "en", "next": "https://evil.example/"}
    )
    assert response["Location"] == "/"


def test_admin_invites_an_officer_who_joins_with_the_role(login, world, client):
    login(world.admin).post(
        reverse("invite"),
        {
            "name": "नई अधिकारी",
            "email": "new@example.gov.in",
            "role": Role.OFFICER,
            "department": world.power.pk,
        },
    )
    assert len(mail.outbox) == 1
    path = re.search(r"https?://[^/]+(/invite/\S+/)", mail.outbox[0].body).group(1)
    client.logout()
    response = client.post(path, {"username": "new.officer", "password": "a-long-pass-phrase"})
    assert response.status_code == 302
    user = User.objects.get(username="new.officer")
    assert RoleAssignment.objects.filter(
        user=user, role=Role.OFFICER, department=world.power
    ).exists()
    assert user.person.department == world.power
    assert client.get(path).status_code == 404  # used once


def test_invitation_tokens_are_stored_only_as_hashes(world):
    invitation, token = Invitation.issue(
        email="x@example.gov.in",
        name="x",
        role=Role.EMPLOYEE,
        district=world.dausa,
        department=world.water,
    )
    assert token not in invitation.token_hash
    assert Invitation.objects.by_token(token) == invitation


def test_officer_can_invite_only_staff_of_own_department(login, world):
    client = login(world.officer_a)
    form = client.get(reverse("invite")).context["form"]
    assert [value for value, _ in form.fields["role"].choices] == [Role.EMPLOYEE]
    assert list(form.fields["department"].queryset) == [world.water]
    response = client.post(
        reverse("invite"),
        {
            "name": "x",
            "email": "x@example.gov.in",
            "role": Role.EMPLOYEE,
            "department": world.power.pk,
        },
    )
    assert response.status_code == 200  # refused by the form, nothing stored
    assert not Invitation.objects.exists()


def test_indian_digit_grouping():
    from samvad.org.templatetags.samvad import indian

    assert indian(123456) == "1,23,456"
    assert indian(1234567) == "12,34,567"
    assert indian(999) == "999"


@given(st.integers(min_value=-(10**15), max_value=10**15))
def test_the_fast_whole_number_grouping_agrees_with_babel(number):
    from babel.numbers import format_decimal

    from samvad.org.templatetags.samvad import indian

    assert indian(number) == indian(str(number)) == format_decimal(number, locale="en_IN")
