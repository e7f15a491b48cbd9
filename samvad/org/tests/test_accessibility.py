"""Each role's main pages pass axe-core without a serious or critical violation, in Hindi and
English, at a desk and on a phone.

axe-core comes from npm (package.json; `make test` runs `npm ci`). Outside CI the checks skip when
it is missing; with SAMVAD_REQUIRE_BROWSER=1 (CI) they fail instead.
"""

import os
from pathlib import Path

import pytest

from samvad.conftest import switch_user

pytestmark = pytest.mark.browser

AXE = Path(__file__).resolve().parents[3] / "node_modules" / "axe-core" / "axe.min.js"
SIZES = {"desk": {"width": 1280, "height": 800}, "phone": {"width": 390, "height": 844}}

# Each role's main pages, as its demo login sees them (None: not logged in).
PAGES = [
    (None, "/login/"),
    ("adc", "/"),
    ("dipr", "/content/review/"),
    ("officer-phed", "/content/submissions/"),
    ("employee", "/"),
    ("employee", "/advocacy/me/"),
    ("cmsdc", "/campaigns/state/"),
]


@pytest.fixture(scope="session")
def axe_script() -> Path:
    if not AXE.exists():
        if os.environ.get("SAMVAD_REQUIRE_BROWSER"):
            pytest.fail(f"{AXE} is missing: run `npm ci` (make test does)")
        pytest.skip("axe-core is not installed (npm ci)")
    return AXE


@pytest.fixture
def axe_page(chromium, live_server, axe_script):
    """A page whose context lets axe's script in: the CSP (rightly) refuses injected scripts."""
    context = chromium.new_context(base_url=live_server.url, locale="hi-IN", bypass_csp=True)
    yield context.new_page()
    context.close()


@pytest.fixture
def demo(db):
    from samvad.demo.dausa import DEMO_PASSWORD, seed_dausa

    seed_dausa(employees_per_department=3)
    return DEMO_PASSWORD


def serious_violations(page) -> list[str]:
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    return [
        f"{v['impact']} {v['id']}: {v['help']} at {[n['target'] for n in v['nodes']][:5]}"
        for v in result["violations"]
        if v["impact"] in ("serious", "critical")
    ]


def pages_by_login() -> dict:
    """Each login's pages, in PAGES order: one login per role, several pages in its context."""
    grouped = {}
    for username, path in PAGES:
        grouped.setdefault(username, []).append(path)
    return grouped


@pytest.mark.parametrize("language", ["hi", "en"])
def test_main_pages_have_no_serious_accessibility_violation(axe_page, demo, language):
    page, problems = axe_page, []
    for username, paths in pages_by_login().items():
        if username:
            switch_user(page, username, demo)
        else:
            page.context.clear_cookies()
            page.goto("/login/")
        if language == "en":
            page.get_by_role("button", name="English").click()
            page.wait_for_load_state()
        for path in paths:
            for size, viewport in SIZES.items():
                page.set_viewport_size(viewport)
                page.goto(path)
                assert page.locator("html").get_attribute("lang") == language, (username, path)
                problems += [f"{username} {path} {size}: {p}" for p in serious_violations(page)]
    assert not problems, "\n".join(problems)
