"""Named personas shared by every app's tests (Healthchecks-style: alice, bob, ... by role).

Dausa has two departments, water (PHED) and power; Alwar is the other district.
"""

from types import SimpleNamespace

import pytest

from samvad.org.models import (
    Department,
    District,
    OfficialAccount,
    Person,
    Role,
    RoleAssignment,
    State,
    User,
)

PASSWORD = "correct-horse-battery"


@pytest.fixture(autouse=True)
def _plain_static_files(settings):
    # Tests render pages without running collectstatic first.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture(autouse=True)
def _no_required_mfa(settings):
    # The `login` fixture's force_login skips the password and code steps, so by default no role
    # must use two-step verification; samvad/accounts_security's tests turn the requirement on.
    settings.SAMVAD_MFA_REQUIRED_ROLES = []


def make_user(username: str, role: str | None, *, person_of=None, **scope) -> User:
    user = User.objects.create_user(username, f"{username}@example.gov.in", PASSWORD)
    if role:
        RoleAssignment.objects.create(user=user, role=role, **scope)
    if person_of is not None:
        Person.objects.create(
            user=user,
            district=person_of.district,
            department=person_of,
            name=f"{username} व्यक्ति",
            designation="अधिकारी",
            employee_code=f"EMP-{username}",
        )
    return user


@pytest.fixture
def world(db):
    rajasthan = State.objects.create(name_hi="राजस्थान", name_en="Rajasthan", code="rajasthan")
    dausa = District.objects.create(state=rajasthan, name_hi="दौसा", name_en="Dausa", code="dausa")
    alwar = District.objects.create(state=rajasthan, name_hi="अलवर", name_en="Alwar", code="alwar")

    def department(district, code, hi, en):
        return Department.objects.create(
            district=district,
            code=code,
            name_hi=hi,
            name_en=en,
            head_designation_hi="अधिशासी अभियंता",
            head_designation_en="Executive Engineer",
        )

    water = department(dausa, "phed", "जन स्वास्थ्य अभियांत्रिकी विभाग", "Public Health Engineering")
    power = department(dausa, "electricity", "जयपुर विद्युत वितरण निगम", "Jaipur Vidyut Vitran Nigam")
    alwar_water = department(alwar, "phed", "अलवर जलदाय विभाग", "Alwar Water Works")
    OfficialAccount.objects.create(district=dausa, handle="DmDausa")
    OfficialAccount.objects.create(district=alwar, handle="DmAlwar")
    w = SimpleNamespace(
        rajasthan=rajasthan, dausa=dausa, alwar=alwar,
        water=water, power=power, alwar_water=alwar_water,
    )
    w.observer = make_user("observer", Role.STATE_OBSERVER, state=rajasthan)
    w.admin = make_user("admin", Role.DISTRICT_ADMIN, district=dausa)
    w.editor = make_user("editor", Role.EDITOR, district=dausa)
    w.officer_a = make_user(
        "officer_a", Role.OFFICER, person_of=water, district=dausa, department=water
    )
    w.officer_b = make_user(
        "officer_b", Role.OFFICER, person_of=power, district=dausa, department=power
    )
    w.employee = make_user(
        "employee", Role.EMPLOYEE, person_of=water, district=dausa, department=water
    )
    w.alwar_admin = make_user("alwar_admin", Role.DISTRICT_ADMIN, district=alwar)
    w.alwar_editor = make_user("alwar_editor", Role.EDITOR, district=alwar)
    w.alwar_officer = make_user(
        "alwar_officer", Role.OFFICER, person_of=alwar_water, district=alwar,
        department=alwar_water,
    )
    w.outsider = make_user("outsider", None)
    return w


@pytest.fixture
def login(client):
    """login(user) logs the test client in as that persona and returns the client."""

    def as_user(user):
        client.force_login(user)
        return client

    return as_user


CHROMIUM = "/usr/bin/chromium"


@pytest.fixture(scope="session")
def chromium():
    """Debian's chromium driven by Playwright (Playwright's own browser download is not used)."""
    import os
    import shutil

    if not shutil.which(CHROMIUM):
        if os.environ.get("SAMVAD_REQUIRE_BROWSER"):
            pytest.fail(f"{CHROMIUM} is missing: apt-get install chromium")
        pytest.skip(f"{CHROMIUM} is missing (apt-get install chromium)")
    # Playwright's sync API runs an event loop in this thread; the ORM calls that tests make
    # between browser steps are still plain synchronous calls.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-background-networking", "--disable-gpu"],
        )
        yield browser
        browser.close()


@pytest.fixture
def page(chromium, live_server):
    context = chromium.new_context(base_url=live_server.url, locale="hi-IN")
    page = context.new_page()
    yield page
    context.close()


def log_in(page, username: str, password: str = PASSWORD) -> None:
    page.goto("/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    page.click("form.form button")
    # Wait until the login has gone through: "**/" would match /login/ itself at once, and a test
    # that then clears cookies would race the login's own response.
    page.wait_for_url(lambda url: "/login/" not in url)
