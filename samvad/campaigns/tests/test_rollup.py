from datetime import date, timedelta

import time_machine

from samvad.advocacy.models import DepartmentSnapshot, StaffRepost
from samvad.campaigns.models import CampaignDay, DepartmentDay, Projection
from samvad.campaigns.rollup import rollup
from samvad.campaigns.tests.builders import at, measured
from samvad.content.models import Submission
from samvad.org.models import OfficialAccount, Person

START = date(2025, 3, 1)


def day(n):
    return START + timedelta(days=n - 1)


def test_it_rolls_up_each_days_gains(world, make_campaign, publish):
    campaign = make_campaign(starts_on=START, target_followers=300, target_posts=30)
    campaign.baseline_followers = 1000
    campaign.save()
    account = OfficialAccount.objects.get(handle="DmDausa")
    for n, followers in [(1, 1020), (2, 1050), (3, 1070)]:
        measured(account, day(n), followers)
    publish(1, at(day(1)), department=world.water)
    publish(2, at(day(2)), department=world.water)
    publish(3, at(day(2)), department=world.power)
    publish(4, at(START - timedelta(days=1)))  # before the campaign: not counted
    Submission.objects.create(
        department=world.power,
        created_by=world.officer_b,
        kind="scheme",
        title="हर घर जल",
        created=at(day(3)),
    )
    StaffRepost.objects.create(
        person=Person.objects.get(user=world.employee), x_post_id="1", seen_at=at(day(2))
    )

    with time_machine.travel(at(day(3), 20)):
        rollup(campaign)

    rows = list(CampaignDay.objects.filter(campaign=campaign))
    assert [r.followers_gained for r in rows] == [20, 30, 20]
    assert [r.posts for r in rows] == [1, 2, 0]
    assert [r.reposts for r in rows] == [0, 1, 0]
    assert [r.submissions for r in rows] == [0, 0, 1]
    water = DepartmentDay.objects.get(campaign=campaign, department=world.water, day=day(3))
    assert (water.posts, water.reposts) == (2, 1)
    # Its staff figures are advocacy's record of the day, written by the rollup.
    assert DepartmentSnapshot.objects.get(department=world.water, day=day(3)).staff == 2
    power = DepartmentDay.objects.get(campaign=campaign, department=world.power)
    assert (power.posts, power.submissions) == (1, 1)


def test_a_day_without_a_measurement_carries_the_last_count(world, make_campaign):
    campaign = make_campaign(starts_on=START)
    campaign.baseline_followers = 100
    campaign.save()
    account = OfficialAccount.objects.get(handle="DmDausa")
    measured(account, day(1), 110)
    measured(account, day(3), 130)

    with time_machine.travel(at(day(3), 20)):
        rollup(campaign)

    rows = CampaignDay.objects.filter(campaign=campaign)
    assert [(r.followers, r.followers_gained) for r in rows] == [(110, 10), (110, 0), (130, 20)]


def test_the_projection_made_on_day_5_is_kept(world, make_campaign):
    campaign = make_campaign(starts_on=START, target_followers=300)
    campaign.baseline_followers = 0
    campaign.save()
    account = OfficialAccount.objects.get(handle="DmDausa")
    total = 0
    for n, gain in enumerate([19, 21, 21, 19, 20, 20, 20], start=1):
        total += gain
        measured(account, day(n), total)
        with time_machine.travel(at(day(n), 20)):
            rollup(campaign)

    day5 = Projection.objects.get(campaign=campaign, metric="followers", made_on_day=5)
    assert round(day5.expected) == 300  # four complete days of 20 on average, fifteen days
    made = Projection.objects.filter(campaign=campaign, metric="followers")
    assert made.count() == 4  # from day 4, the first with three complete days, to day 7
