"""The pages as a person uses them, in Debian's chromium. With SAMVAD_SCREENSHOTS=DIR the home page
of each role is saved there (that is how docs/screenshots is made: `make screenshots`)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from samvad.conftest import log_in, screenshot

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}


@pytest.fixture
def demo(db):
    from samvad.demo.dausa import DEMO_PASSWORD, seed_dausa

    seed_dausa(employees_per_department=5)
    _work_waiting()
    return DEMO_PASSWORD


def _work_waiting() -> None:
    """The demo's district with work waiting for every role: submissions sent and returned, a
    citizen's ticket past its deadline and one still in time, an invitation not yet accepted."""
    from samvad.content.models import Submission
    from samvad.inbox.models import Mention, Ticket
    from samvad.org.models import Department, Invitation, OfficialAccount, Role, User

    phed = Department.objects.get(district__code="dausa", code="phed")
    officer = User.objects.get(username="officer-phed")
    for title, state, comment in [
        ("हर घर जल: 12 गाँव जुड़े", Submission.State.SUBMITTED, ""),
        ("जल संरक्षण बैठक", Submission.State.SUBMITTED, ""),
        ("टैंकर की समय-सारणी", Submission.State.CHANGES_REQUESTED, "कृपया गाँवों के नाम जोड़ें।"),
    ]:
        Submission.objects.create(
            department=phed,
            created_by=officer,
            kind="scheme",
            title=title,
            state=state,
            editor_comment=comment,
        )
    account = OfficialAccount.objects.get(handle="DmDausa")
    now = timezone.now()
    for n, hours in enumerate((-3, 20)):
        mention = Mention.objects.create(
            district=phed.district,
            account=account,
            x_post_id=str(9000 + n),
            author_x_user_id="77",
            author_username="ramesh_1",
            text=f"@DmDausa वार्ड {n + 3} में दो दिन से पानी नहीं आया",
        )
        Ticket.objects.create(
            district=phed.district,
            mention=mention,
            department=phed,
            deadline=now + timedelta(hours=hours),
        )
    Invitation.issue(
        email="xen.pwd@example.gov.in",
        name="अधिशासी अभियंता",
        designation="",
        role=Role.OFFICER,
        district=phed.district,
        department=None,
        invited_by=User.objects.get(username="adc"),
    )


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


def queue(page) -> dict[str, int]:
    """The home's work queue as the person sees it: where each item leads, and its count."""
    links = page.locator("ol.queue a")
    return {
        links.nth(i).get_attribute("href"): int(
            links.nth(i).locator(".figure").inner_text().replace(",", "")
        )
        for i in range(links.count())
    }


def test_the_editor_sees_whats_waiting_and_the_count_moves_when_a_submission_arrives(page, demo):
    from samvad.content.models import Submission
    from samvad.org.models import Department, User

    log_in(page, "dipr", demo)
    waiting = Submission.objects.filter(state="submitted", department__district__code="dausa")
    assert queue(page)["/content/review/"] == waiting.count() == 2
    Submission.objects.create(
        department=Department.objects.get(district__code="dausa", code="phed"),
        created_by=User.objects.get(username="officer-phed"),
        kind="meeting",
        title="ज़िला जल समिति की बैठक",
    )
    page.reload()
    assert queue(page)["/content/review/"] == 3
    page.click("ol.queue a[href='/content/review/']")
    assert page.locator("text=ज़िला जल समिति की बैठक").count() >= 1


def test_the_officer_sees_returned_work_with_the_comment_and_tickets_overdue_first(page, demo):
    log_in(page, "officer-phed", demo)
    counts = queue(page)
    assert counts["/content/submissions/?state=changes_requested"] == 1
    assert counts["/inbox/"] == 2
    assert page.get_by_text("कृपया गाँवों के नाम जोड़ें।").is_visible()
    first = page.locator(".worklist").nth(1).locator("li").first
    assert "वार्ड 3" in first.inner_text() and first.locator(".overdue").count() == 1
    first.locator("a").click()
    assert "/inbox/tickets/" in page.url


def test_the_district_admin_sees_the_alerts_that_need_a_person(page, demo):
    log_in(page, "adc", demo)
    counts = queue(page)
    assert counts["/inbox/?show=overdue"] == 1
    assert counts["/org/invite/"] == 1
    assert counts["/reports/recipients/"] == 1  # no campaign yet, so no one gets the report
    page.click("ol.queue a[href='/inbox/?show=overdue']")
    assert page.locator("text=वार्ड 3").count() >= 1


def test_the_state_observer_and_the_employee_find_their_work(page, demo):
    log_in(page, "cmsdc", demo)
    page.get_by_role("link", name="राज्य दृश्य खोलें").click()
    assert page.url.endswith("/campaigns/state/")
    page.get_by_role("button", name="लॉग आउट").click()
    log_in(page, "employee", demo)
    assert queue(page) == {"/advocacy/me/": 0}  # the demo has no official post on X yet
    assert page.locator("ol.checklist li").count() == 5
