"""The test house: settings every test runs with, one persona world, the X sandbox and the browser.

The world (Healthchecks-style personas by role) is built once per test database, right after the
migrations, and each test runs inside a transaction that is rolled back. A test sees it exactly
when it asks for the `world` fixture; for any other test that touches the database it is removed
inside that test's transaction, so that a test which seeds its own Dausa (the demo, the generator)
starts from an empty database, whatever ran before it.

Dausa has two departments, water (PHED) and power; Alwar is the other district.
"""

import os
import re
from pathlib import Path
from types import SimpleNamespace
from urllib.parse import parse_qs, urlparse

import httpx
import pytest
from cryptography.fernet import Fernet
from django.test import override_settings
from hypothesis import settings as hypothesis_settings

from samvad.xsandbox.testing import TLS, check_response, xsandbox  # noqa: F401 (the fixture)

PASSWORD = "correct-horse-battery"
CLIENT_ID = "samvad-test"
CHROMIUM = "/usr/bin/chromium"

# Property and state-machine tests take their example count from a profile: the suite's keeps
# `make test` quick; HYPOTHESIS_PROFILE=thorough explores ten times as far (before a release).
hypothesis_settings.register_profile("suite", max_examples=40, deadline=None)
hypothesis_settings.register_profile("thorough", max_examples=400, deadline=None)
hypothesis_settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "suite"))


def pytest_configure(config):
    from django.conf import settings

    # The SQLite test databases live in the data directory; whitenoise wants STATIC_ROOT to exist.
    settings.STATIC_ROOT.mkdir(parents=True, exist_ok=True)


def pytest_collection_modifyitems(config, items):
    """The long tests first, so that pytest-xdist hands them out while every process is still
    busy: a 60-second test met at the end keeps one core working while the other waits.
    With --random-order (pytest-random-order) the shuffled order is kept as it is."""
    if config.getoption("random_order_enabled", False):
        return

    def weight(item):
        return -2 * bool(item.get_closest_marker("slow")) - bool(item.get_closest_marker("browser"))

    items.sort(key=weight)


@pytest.fixture(scope="session", autouse=True)
def _test_settings(tmp_path_factory):
    from django.conf import settings

    with override_settings(
        # Argon2 costs a third of a second per password; the tests are not about its cost.
        PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"],
        # Pages render without collectstatic.
        STORAGES={
            **settings.STORAGES,
            "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
        },
        # `login` uses force_login, which skips the two-step verification; the tests of
        # samvad/accounts_security turn the requirement on.
        SAMVAD_MFA_REQUIRED_ROLES=[],
        # Uploaded files of a test run never land in the data directory.
        MEDIA_ROOT=tmp_path_factory.mktemp("media"),
    ):
        yield


@pytest.fixture
def media_root(settings, tmp_path):
    """An empty media folder of this test's own, for tests that look at the files written."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


# The persona world ------------------------------------------------------------------------------

WORLD_USERS = (
    "observer",
    "admin",
    "editor",
    "officer_a",
    "officer_b",
    "employee",
    "alwar_admin",
    "alwar_editor",
    "alwar_officer",
    "outsider",
)


def make_user(username: str, role: str | None, *, person_of=None, **scope):
    from samvad.org.models import Person, RoleAssignment, User

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
            email=f"{username}@example.gov.in",
            mobile="9999999999",
        )
    return user


def build_world() -> None:
    from samvad.org.models import Department, District, OfficialAccount, Role, State

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
    make_user("observer", Role.STATE_OBSERVER, state=rajasthan)
    make_user("admin", Role.DISTRICT_ADMIN, district=dausa)
    make_user("editor", Role.EDITOR, district=dausa)
    make_user("officer_a", Role.OFFICER, person_of=water, district=dausa, department=water)
    make_user("officer_b", Role.OFFICER, person_of=power, district=dausa, department=power)
    make_user("employee", Role.EMPLOYEE, person_of=water, district=dausa, department=water)
    make_user("alwar_admin", Role.DISTRICT_ADMIN, district=alwar)
    make_user("alwar_editor", Role.EDITOR, district=alwar)
    make_user(
        "alwar_officer", Role.OFFICER, person_of=alwar_water, district=alwar, department=alwar_water
    )
    make_user("outsider", None)


def world_is_there() -> bool:
    from samvad.org.models import User

    return User.objects.filter(username="observer").exists()


def remove_world() -> None:
    """Delete the world with plain DELETEs, children first. Django's cascading delete would first
    look for related rows in every table that points at a user or a district (dozens of queries
    per test); at the start of a test nothing but the world is there to find."""
    from django.db import connection

    from samvad.accounts_security.models import SecurityEvent
    from samvad.org.models import (
        Department,
        District,
        OfficialAccount,
        Person,
        RoleAssignment,
        State,
        User,
    )

    children_first = (SecurityEvent, RoleAssignment, Person, OfficialAccount, User, Department)
    for model in (*children_first, District, State):
        model.objects.all()._raw_delete(connection.alias)  # one DELETE, no cascade collector


def load_world() -> SimpleNamespace:
    from samvad.org.models import Department, District, User

    districts = {d.code: d for d in District.objects.select_related("state")}
    departments = {
        (d.district.code, d.code): d for d in Department.objects.select_related("district")
    }
    users = {u.username: u for u in User.objects.filter(username__in=WORLD_USERS)}
    return SimpleNamespace(
        rajasthan=districts["dausa"].state,
        dausa=districts["dausa"],
        alwar=districts["alwar"],
        water=departments["dausa", "phed"],
        power=departments["dausa", "electricity"],
        alwar_water=departments["alwar", "phed"],
        **users,
    )


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        build_world()


DB_FIXTURES = {"db", "transactional_db", "live_server", "django_db_reset_sequences"}


@pytest.fixture(autouse=True)
def _world_only_when_asked(request):
    uses_db = request.node.get_closest_marker("django_db") or DB_FIXTURES & set(
        request.fixturenames
    )
    if not uses_db:
        return
    live = {"transactional_db", "live_server"} & set(request.fixturenames)
    request.getfixturevalue("transactional_db" if live else "db")
    there, wanted = world_is_there(), "world" in request.fixturenames
    if wanted and not there:  # a transactional test before this one emptied the database
        build_world()
    elif there and not wanted:
        remove_world()


@pytest.fixture
def world(db):
    """The personas: observer (Rajasthan), admin, editor, officer_a (water), officer_b (power),
    employee (water) of Dausa; alwar_admin, alwar_editor, alwar_officer; outsider (no role)."""
    return load_world()


@pytest.fixture
def login(client):
    """login(user) logs the test client in as that persona and returns the client."""

    def as_user(user):
        client.force_login(user)
        return client

    return as_user


# The X side: the local sandbox over loopback ------------------------------------------------------


@pytest.fixture
def sandbox(xsandbox, settings, monkeypatch):  # noqa: F811
    """The sandbox as Samvad's X: every answer it gives our client is checked against X's
    OpenAPI document at the client's one seam."""
    from samvad.platforms.x import client as x_client

    settings.SAMVAD_X_API_BASE_URL = xsandbox.base_url
    settings.SAMVAD_X_WEB_BASE_URL = xsandbox.base_url
    settings.SAMVAD_X_AUTHORIZE_URL = xsandbox.base_url + "/i/oauth2/authorize"
    settings.SAMVAD_X_CLIENT_ID = CLIENT_ID
    settings.SAMVAD_X_CLIENT_SECRET = ""
    settings.SAMVAD_X_CONSUMER_KEY = "consumer-key"
    settings.SAMVAD_X_CONSUMER_SECRET = "consumer-secret"
    settings.SAMVAD_TOKEN_KEYS = [Fernet.generate_key().decode()]
    checked = httpx.Client(
        timeout=x_client.TIMEOUT, event_hooks={"response": [check_response]}, verify=TLS
    )
    monkeypatch.setattr(x_client, "HTTP", checked)
    yield xsandbox
    checked.close()


def authorize(
    sandbox,
    *,
    username="DmDausa",
    redirect_uri="http://testserver/x/callback/",
    verifier="v" * 50,
    state="s",
):
    """What a person does on X's consent page, done over HTTP: returns the authorization code."""
    from samvad.platforms.x import oauth

    form = {
        "client_id": CLIENT_ID,
        "redirect_uri": redirect_uri,
        "scope": oauth.SCOPES,
        "state": state,
        "code_challenge": oauth.challenge(verifier),
        "code_challenge_method": "S256",
        "username": username,
        "decision": "allow",
    }
    response = sandbox.control.post("/i/oauth2/authorize", data=form)
    assert response.status_code in (302, 303), response.text
    return parse_qs(urlparse(response.headers["location"]).query)["code"][0]


@pytest.fixture
def dausa(world):
    """@DmDausa, the district's official account (not connected)."""
    from samvad.org.models import OfficialAccount

    return OfficialAccount.objects.get(handle="DmDausa")


@pytest.fixture
def connected(sandbox, dausa, world):
    """@DmDausa connected through the OAuth 2.0 flow, as the district admin would (tokens with a
    refresh token); the Connection."""
    from samvad.platforms.x.connect import connect_oauth2
    from samvad.platforms.x.models import Connection

    if not sandbox.store.user(username="DmDausa"):
        sandbox.create_user("DmDausa")
    connect_oauth2(
        dausa,
        code=authorize(sandbox),
        verifier="v" * 50,
        redirect_uri="http://testserver/x/callback/",
        by=world.admin,
    )
    dausa.refresh_from_db()
    return Connection.objects.get(account=dausa)


def sandbox_tokens(sandbox, kind, username="DmDausa"):
    user = sandbox.store.user(username=username)
    rows = sandbox.store.all(
        "SELECT token FROM tokens WHERE kind = ? AND user_id = ? AND revoked = 0", kind, user["id"]
    )
    return [r["token"] for r in rows]


def x_requests(sandbox, **filters):
    """The sandbox's log of X requests (the control API's own calls are not in it)."""
    return [r for r in sandbox.requests(**filters) if not re.match(r"^/(i|_sandbox)/", r["path"])]


# The browser --------------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def chromium():
    """Debian's chromium driven by Playwright (Playwright's own browser download is not used);
    one browser per test process."""
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


def screenshot(page, name: str) -> None:
    """Keep the page as SAMVAD_SCREENSHOTS/NAME.png when that folder is asked for (that is how
    docs/screenshots is made: `make screenshots`); a plain test run takes none."""
    if folder := os.environ.get("SAMVAD_SCREENSHOTS"):
        Path(folder).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=Path(folder) / f"{name}.png", full_page=True)


def log_in(page, username: str, password: str = PASSWORD) -> None:
    page.goto("/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    page.click("form.form button")
    # Wait until the login has gone through: "**/" would match /login/ itself at once, and a test
    # that then clears cookies would race the login's own response.
    page.wait_for_url(lambda url: "/login/" not in url)


def switch_user(page, username: str, password: str = PASSWORD) -> None:
    """Log in afresh as someone else. Leave the page first: an image it is still loading would,
    once the cookies are gone, follow its redirect to /login/ and set a new CSRF cookie that no
    longer matches the token in the login form the test is filling in."""
    page.goto("about:blank")
    page.context.clear_cookies()
    log_in(page, username, password)
