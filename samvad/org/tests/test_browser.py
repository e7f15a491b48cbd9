"""The pages as a person uses them, in Debian's chromium. With SAMVAD_SCREENSHOTS=DIR the home page
of each role is saved there (that is how docs/screenshots is made: `make screenshots`)."""


import pytest

from samvad.conftest import log_in, screenshot

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}


@pytest.fixture
def demo(db):
    from samvad.org.demo import DEMO_PASSWORD, seed_dausa

    seed_dausa(employees_per_department=5)
    return DEMO_PASSWORD


ROLE_LOGINS = {
    "state_observer": "cmsdc",
    "district_admin": "adc",
    "editor": "dipr",
    "officer": "officer-phed",
    "employee": "employee",
}


@pytest.mark.parametrize("role", ROLE_LOGINS)
def test_each_role_logs_in_and_sees_its_home_in_hindi(page, demo, role):
    log_in(page, ROLE_LOGINS[role], demo)
    assert page.locator("html").get_attribute("lang") == "hi"
    assert page.get_by_role("button", name="लॉग आउट").is_visible()
    screenshot(page, f"home-{role}")
    page.set_viewport_size(PHONE)
    # On a phone nothing spills sideways: the page is no wider than the screen.
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    screenshot(page, f"home-{role}-phone")


def test_switching_to_english_is_remembered_after_logging_in_again(page, demo):
    log_in(page, "adc", demo)
    page.get_by_role("button", name="English").click()
    assert page.locator("html").get_attribute("lang") == "en"
    page.get_by_role("button", name="Log out").click()
    page.context.clear_cookies()
    log_in(page, "adc", demo)
    assert page.locator("html").get_attribute("lang") == "en"
