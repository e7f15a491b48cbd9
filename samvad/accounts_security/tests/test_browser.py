"""The policy as chromium enforces it: no page of the journey breaks a rule of the CSP, and two-step
verification can be set up and used with a code as a phone would show it."""

import re

import pytest
from playwright.sync_api import expect

from samvad.accounts_security.models import AuthenticatorApp
from samvad.accounts_security.tests.conftest import code_for
from samvad.conftest import PASSWORD, log_in

pytestmark = pytest.mark.browser


@pytest.fixture
def violations(page):
    """Every CSP violation the browser reports while the test runs."""
    found = []
    page.on("console", lambda m: "Content Security Policy" in m.text and found.append(m.text))
    return found


def test_the_api_docs_and_the_home_page_break_no_rule_of_the_policy(page, world, violations):
    page.goto("/api/v1/docs")
    page.wait_for_selector(".swagger-ui .info")
    log_in(page, "employee")
    page.goto("/profile/")

    assert violations == []


def test_an_editor_sets_up_two_step_verification_at_first_login(page, world, violations, mfa_roles):
    page.goto("/login/")
    page.fill("input[name=username]", "editor")
    page.fill("input[name=password]", PASSWORD)
    page.click("form.form button")

    page.wait_for_url("**/profile/mfa/enrol/**")  # sent on to set it up
    assert page.locator(".qr svg").is_visible()
    device = AuthenticatorApp.objects.get(user=world.editor, confirmed=False)
    page.fill("input[name=code]", code_for(device))
    page.click("form.form button")

    # Waiting assertions: the click returns once the next page starts loading, and on a busy
    # machine it may not have arrived yet.
    expect(page.locator(".recovery-codes li")).to_have_count(10)
    page.click("a.button")
    expect(page).to_have_url(re.compile(r"/$"))
    assert violations == []
