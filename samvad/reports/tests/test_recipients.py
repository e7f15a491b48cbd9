from django.urls import reverse
from django.utils import timezone

from samvad.org.models import OfficialAccount
from samvad.reports.models import Recipient


def new_campaign(client):
    account = OfficialAccount.objects.get(handle="DmDausa")
    return client.post(
        reverse("campaigns:new"),
        {
            "name": "15 दिवसीय अभियान",
            "accounts": [account.pk],
            "starts_on": timezone.localdate().isoformat(),
            "target_followers": 1000,
            "target_posts": 60,
            "target_reposts": 500,
            "target_submissions": 5,
        },
    )


def test_creating_a_campaign_fills_the_daily_reports_recipients(login, world):
    world.editor.language = "en"
    world.editor.save()
    assert new_campaign(login(world.admin)).status_code == 302
    recipients = {(r.email, r.language) for r in Recipient.objects.filter(district=world.dausa)}
    # The district admin, the DIPR editor and the state observer; not Alwar's people, not officers.
    assert recipients == {
        ("admin@example.gov.in", "hi"),
        ("editor@example.gov.in", "en"),
        ("observer@example.gov.in", "hi"),
    }


def test_each_default_recipient_can_be_removed_and_stays_removed(login, world):
    client = login(world.admin)
    new_campaign(client)
    client.post(
        reverse("reports:recipients"),
        {"district": world.dausa.pk, "emails": "admin@example.gov.in\nobserver@example.gov.in"},
    )
    assert set(Recipient.objects.values_list("email", flat=True)) == {
        "admin@example.gov.in",
        "observer@example.gov.in",
    }
