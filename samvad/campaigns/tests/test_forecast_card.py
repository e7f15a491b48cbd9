"""The projection card says plainly when there is nothing to forecast yet, and why."""

import re
from datetime import date, timedelta

import time_machine
from django.urls import reverse

from samvad.campaigns.rollup import rollup
from samvad.campaigns.tests.builders import at, measured
from samvad.org.models import OfficialAccount

START = date(2025, 3, 1)
GAINS = [30, 12, 25, 18, 27]


def followers_card(login, world, campaign) -> str:
    page = login(world.admin).get(reverse("campaigns:dashboard", args=[campaign.pk]))
    html = page.content.decode()
    return re.search(
        r'<section class="card target" aria-labelledby="t-followers">(.*?)</section>', html, re.S
    ).group(1)


def live_days(campaign, days: int) -> None:
    account = OfficialAccount.objects.get(handle="DmDausa")
    total = 0
    for n, gain in enumerate(GAINS[:days]):
        total += gain
        measured(account, START + timedelta(days=n), total)
        with time_machine.travel(at(START + timedelta(days=n), 21)):
            rollup(campaign)


def test_two_days_of_history_give_no_forecast_and_say_why(login, world, make_campaign):
    campaign = make_campaign(starts_on=START, target_followers=500)
    campaign.baseline_followers = 0
    campaign.save()
    live_days(campaign, 3)  # two complete days, and the third under way

    with time_machine.travel(at(START + timedelta(days=2), 22), tick=False):
        card = followers_card(login, world, campaign)
        assert "अभी पूर्वानुमान संभव नहीं" in card
        assert "3" in card and "2" in card  # needs three measured days, has two
        assert "अंत तक अनुमानित" not in card and "90%" not in card


def test_five_days_of_history_give_a_band_of_real_width(login, world, make_campaign):
    campaign = make_campaign(starts_on=START, target_followers=500)
    campaign.baseline_followers = 0
    campaign.save()
    live_days(campaign, 5)

    with time_machine.travel(at(START + timedelta(days=4), 22), tick=False):
        card = followers_card(login, world, campaign)
    low, high = (
        int(v.replace(",", "")) for v in re.search(r"90%[^0-9]*([\d,]+)–([\d,]+)", card).groups()
    )
    assert high - low > 0
    assert "अभी पूर्वानुमान संभव नहीं" not in card
