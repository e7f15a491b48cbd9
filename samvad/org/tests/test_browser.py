"""The pages as a person uses them, in Debian's chromium. With SAMVAD_SCREENSHOTS=DIR the home page
of each role, and of the trainer, is saved there (that is how docs/screenshots is made:
`make screenshots`)."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from samvad.conftest import log_in, screenshot, switch_user
from samvad.demo.training import SESSIONS

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}


@pytest.fixture
def demo(db):
    from samvad.demo.dausa import DEMO_PASSWORD, seed_dausa
    from samvad.demo.training import seed_training
    from samvad.jobs.models import Heartbeat

    seed_dausa(employees_per_department=5)
    seed_training()
    _work_waiting()
    _campaigns_under_way()
    Heartbeat.objects.create(slot=timezone.now(), worker="demo:1")  # the demo runs its worker
    return DEMO_PASSWORD


def _work_waiting() -> None:
    """The demo's district with work waiting for every role: submissions sent this morning and
    returned, a citizen's ticket past its deadline and one still in time, an invitation not yet
    accepted, two posts approved for later today."""
    from samvad.content.models import Post, Submission
    from samvad.inbox.models import Mention, Ticket
    from samvad.org.models import Department, Invitation, OfficialAccount, Role, User

    phed = Department.objects.get(district__code="dausa", code="phed")
    officer = User.objects.get(username="officer-phed")
    now = timezone.now()
    for title, state, comment, hours in [
        ("हर घर जल: 12 गाँव जुड़े", Submission.State.SUBMITTED, "", 5),
        ("जल संरक्षण बैठक", Submission.State.SUBMITTED, "", 2),
        ("टैंकर की समय-सारणी", Submission.State.CHANGES_REQUESTED, "कृपया गाँवों के नाम जोड़ें।", 26),
    ]:
        Submission.objects.create(
            department=phed,
            created_by=officer,
            kind="scheme",
            title=title,
            state=state,
            editor_comment=comment,
            created=now - timedelta(hours=hours),
        )
    account = OfficialAccount.objects.get(handle="DmDausa")
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
    dipr = User.objects.get(username="dipr")
    for minutes, text in (
        (20, "बिजली कटौती की सूचना: कल सुबह 9 से 11 बजे तक वार्ड 7 में रखरखाव का काम होगा। #Dausa"),
        (40, "मौसमी बीमारियों से बचाव के लिए 12 गाँवों में स्वास्थ्य शिविर लगाए गए। #स्वस्थ_दौसा"),
    ):
        post = Post.create_thread(by=dipr, texts=[text], district=phed.district, account=account)
        Post.approve_thread([post], by=dipr)
        post.schedule(at=now + timedelta(minutes=minutes), by=dipr)


def _campaigns_under_way() -> None:
    """Both districts on day 11 of their campaign, as the demo opens: Dausa past half its followers
    target, Alwar further behind. The figures are each day's, as the evening rollup writes them."""
    from samvad.campaigns.models import CampaignDay
    from samvad.demo.campaign import DAYS_BEHIND, seed_campaign
    from samvad.org.models import District

    starts_on = timezone.localdate() - timedelta(days=DAYS_BEHIND)
    for code, followers, gained, posts, reposts in (
        ("dausa", 12_480, [52, 61, 75, 88, 70, 94, 101, 86, 97, 110], 3, 18),
        ("alwar", 9_215, [21, 30, 26, 35, 28, 33, 31, 40, 29, 37], 2, 9),
    ):
        campaign = seed_campaign(District.objects.get(code=code), starts_on=starts_on)
        CampaignDay.objects.bulk_create(
            CampaignDay(
                campaign=campaign,
                day=starts_on + timedelta(days=n),
                followers=followers + sum(gained[: n + 1]),
                followers_gained=gained[n],
                posts=posts,
                reposts=reposts + 4 * n,
                staff=390,
                following=120 + 22 * n,
            )
            for n in range(DAYS_BEHIND)
        )


ROLE_LOGINS = {
    "state_observer": "cmsdc",
    "district_admin": "adc",
    "editor": "dipr",
    "officer": "officer-phed",
    "employee": "employee",
    "trainer": "sysanalyst",  # trains the officers (samvad/demo/training.py); a district admin
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
    switch_user(page, "adc", demo)
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
    expect(page).to_have_url(re.compile("/inbox/tickets/"))


def test_the_district_admin_sees_the_alerts_that_need_a_person(page, demo):
    from samvad.reports.models import Recipient

    Recipient.objects.all().delete()  # someone emptied the daily report's list
    log_in(page, "adc", demo)
    counts = queue(page)
    assert counts["/inbox/?show=overdue"] == 1
    assert counts["/org/invite/"] == 1
    assert counts["/reports/recipients/"] == 1
    page.click("ol.queue a[href='/inbox/?show=overdue']")
    expect(page).to_have_url(re.compile(r"/inbox/\?show=overdue$"))
    expect(page.locator("text=वार्ड 3").first).to_be_visible()


def test_the_state_observer_and_the_employee_find_their_work(page, demo):
    log_in(page, "cmsdc", demo)
    page.get_by_role("link", name="राज्य दृश्य खोलें").click()
    expect(page).to_have_url(re.compile("/campaigns/state/$"))
    page.get_by_role("button", name="लॉग आउट").click()
    log_in(page, "employee", demo)
    assert queue(page) == {"/advocacy/me/": 0}  # the demo has no official post on X yet
    assert page.locator("ol.checklist li").count() == 5
    # The next step is a session: the one for every department is there to see.
    page.get_by_role("link", name="आगामी सत्र देखें").click()
    expect(page.locator("#sessions + table").get_by_text(SESSIONS[1][0])).to_have_count(1)


def test_the_trainer_sees_the_sessions_to_come_and_finds_them_on_the_training_page(page, demo):
    from samvad.training.models import Session

    log_in(page, "sysanalyst", demo)
    upcoming = Session.objects.filter(
        trainer__user__username="sysanalyst", starts_at__gte=timezone.now()
    )
    assert queue(page)["/training/"] == upcoming.count() == 2
    page.click("ol.queue a[href='/training/']")
    for session in upcoming:
        expect(page.get_by_text(session.topic)).to_have_count(1)
    screenshot(page, "training-trainer")
    page.set_viewport_size(PHONE)
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    screenshot(page, "training-trainer-phone")
