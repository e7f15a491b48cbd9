"""Each role's home is its work queue: counts that are true against the database, each with the
link to that work, read in at most ten queries."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from samvad.campaigns.models import Campaign, CampaignDay
from samvad.content.models import Submission
from samvad.inbox.models import Mention, Ticket
from samvad.org.models import Invitation, OfficialAccount, Role
from samvad.reports.models import Recipient


def submission(world, *, state=Submission.State.SUBMITTED, **fields):
    return Submission.objects.create(
        department=world.water,
        created_by=world.officer_a,
        kind="scheme",
        title="हर घर जल",
        state=state,
        **fields,
    )


def ticket(world, *, deadline, department=None):
    n = [Mention.objects.count() + 1]
    mention = Mention.objects.create(
        district=world.dausa,
        account=OfficialAccount.objects.get(handle="DmDausa"),
        x_post_id=str(1000 + n[0]),
        author_x_user_id="1",
        text=f"@DmDausa पानी नहीं आ रहा {n[0]}",
    )
    return Ticket.objects.create(
        district=world.dausa,
        mention=mention,
        deadline=deadline,
        department=department or world.water,
    )


def items(page, key="items") -> dict:
    """The home's queue by where each item leads (the labels are in the user's language)."""
    return {item.url: item for item in page.context[key]}


def test_the_editors_count_is_the_submissions_waiting_and_changes_when_one_arrives(login, world):
    client = login(world.editor)
    submission(world)
    submission(world, state=Submission.State.ACCEPTED)
    review = reverse("content:review_queue")
    assert items(client.get("/"))[review].count == 1
    submission(world)
    assert items(client.get("/"))[review].count == 2
    assert len(client.get(review).context["queue"]) == 2


def test_the_officer_sees_returned_submissions_with_the_comment_and_open_tickets(login, world):
    returned = submission(
        world, state=Submission.State.CHANGES_REQUESTED, editor_comment="फ़ोटो जोड़ें"
    )
    now = timezone.now()
    late = ticket(world, deadline=now - timedelta(hours=2))
    ticket(world, deadline=now + timedelta(hours=5))
    ticket(world, deadline=now + timedelta(hours=5), department=world.power)
    page = login(world.officer_a).get("/")
    queue = items(page)
    returned_url = reverse("content:submission_list") + "?state=changes_requested"
    assert queue[returned_url].count == 1
    assert queue[reverse("inbox:inbox")].count == 2
    assert page.context["tickets"][0] == late  # overdue first
    assert page.context["returned"] == [returned]
    assert "फ़ोटो जोड़ें" in page.content.decode()
    returned_list = login(world.officer_a).get(returned_url)
    assert [row["pk"] for row in returned_list.context["submissions"]] == [returned.pk]


def test_the_district_admin_is_alerted_to_what_needs_a_person(login, world):
    Invitation.issue(
        email="new@example.gov.in",
        name="नया",
        designation="",
        role=Role.OFFICER,
        district=world.dausa,
        department=world.water,
        invited_by=world.admin,
    )
    ticket(world, deadline=timezone.now() - timedelta(hours=1))
    alerts = {url: a.count for url, a in items(login(world.admin).get("/"), "alerts").items()}
    assert alerts == {
        reverse("inbox:inbox") + "?show=overdue": 1,
        reverse("reports:recipients"): 1,
        reverse("invite"): 1,
    }
    Recipient.objects.create(district=world.dausa, email="dm@example.gov.in")
    assert reverse("reports:recipients") not in items(login(world.admin).get("/"), "alerts")


def test_the_state_observers_home_links_to_the_state_view(login, world):
    page = login(world.observer).get("/")
    assert reverse("campaigns:state") in page.content.decode()


def test_notifications_are_in_the_navigation_with_the_unread_count(login, world):
    from samvad.notifications.models import Notification

    Notification.objects.create(user=world.officer_a, message="लौटाई गई", link="/")
    Notification.objects.create(
        user=world.officer_a, message="पढ़ी", link="/", read_at=timezone.now()
    )
    client = login(world.officer_a)
    for url in ("/", reverse("training")):
        page = client.get(url).content.decode()
        assert reverse("notifications:list") in page
        assert 'class="badge"' in page and ">1</span>" in page


@pytest.mark.parametrize("persona", ["admin", "editor", "officer_a", "employee", "observer"])
def test_every_home_renders_in_at_most_ten_queries(
    login, world, persona, django_assert_max_num_queries
):
    submission(world)
    ticket(world, deadline=timezone.now() - timedelta(hours=1))
    client = login(getattr(world, persona))
    client.get("/")
    with django_assert_max_num_queries(10):
        assert client.get("/").status_code == 200


@pytest.mark.parametrize("persona", ["admin", "editor", "officer_a", "employee", "observer"])
def test_no_role_sees_more_than_seven_entries_at_the_top_of_the_navigation(login, world, persona):
    import re

    page = login(getattr(world, persona)).get("/").content.decode()
    nav = page[page.index("<nav aria-label=") : page.index("</nav>")]
    top = re.sub(r"<details.*?</details>", "<group>", nav, flags=re.S)
    assert top.count("<a ") + top.count("<group>") <= 7


def test_a_budget_near_its_cap_is_told_in_rupees_and_dollars(login, world, settings):
    from decimal import Decimal

    from samvad.platforms.x.models import DistrictBudget, LedgerEntry

    settings.SAMVAD_INR_PER_USD = 90
    DistrictBudget.set_for(world.dausa, monthly_usd=Decimal(2000), daily_inr=None, by=world.admin)
    LedgerEntry.objects.create(
        account=OfficialAccount.objects.get(handle="DmDausa"),
        district=world.dausa,
        endpoint="GET /2/users/:id/followers",
        method="GET",
        cost=Decimal("1750.5"),
    )
    [alert] = [a for a in items(login(world.admin).get("/"), "alerts").values() if a.detail]
    assert alert.detail == "इस माह ₹1,80,000 ($2,000.00) में से ₹1,57,545 ($1,750.50) व्यय"


def test_the_admin_home_shows_the_running_campaigns_totals_so_far(login, world):
    today = timezone.localdate()
    campaign = Campaign.objects.create(
        district=world.dausa,
        name="जल अभियान",
        starts_on=today - timedelta(days=2),
        ends_on=today + timedelta(days=12),
        target_followers=1500,
        target_posts=45,
        target_reposts=300,
    )
    for n, day in enumerate([today - timedelta(days=2), today - timedelta(days=1), today]):
        CampaignDay.objects.create(
            campaign=campaign, day=day, followers_gained=400 * n, posts=2, reposts=10 + n
        )
    CampaignDay.objects.create(campaign=campaign, day=today + timedelta(days=1), posts=50)

    page = " ".join(login(world.admin).get("/").content.decode().split())

    assert "जल अभियान</a> · दिन 3, कुल 15 में से" in page
    assert '<span class="figure">1,200</span> नए फ़ॉलोअर, लक्ष्य 1,500' in page  # 0 + 400 + 800
    assert '<span class="figure">6</span> पोस्ट, लक्ष्य 45' in page  # not the coming day's 50
    assert '<span class="figure">33</span> कार्मिकों के रीपोस्ट, लक्ष्य 300' in page
