"""`samvad generate` leaves the measurements and the rolled-up rows that the measurement job would
have left, consistent with the posts and followers of the other apps."""

import io
from datetime import date, timedelta

import pytest
import time_machine
from django.core.management import call_command
from django.db.models import Max

from samvad.advocacy.models import Follower
from samvad.campaigns import rollup
from samvad.campaigns.models import (
    AccountDay,
    AccountSnapshot,
    Campaign,
    CampaignDay,
    DepartmentDay,
    PostMetricDay,
    PostMetrics,
    Projection,
)
from samvad.content.models import Post
from samvad.demo import generate as synthetic
from samvad.demo.generators import campaigns as campaigns_generate
from samvad.org.models import OfficialAccount, User

TINY = synthetic.SCALES["tiny"]
END = date(2026, 3, 15)
NOW = synthetic.make_context(TINY, today=END).moment(END, campaigns_generate.MEASURED_AT)


def generate(*args: str) -> None:
    call_command(
        "generate",
        "--scale",
        "tiny",
        "--apps",
        "content,advocacy,campaigns",
        "--end",
        END.isoformat(),
        *args,
        stdout=io.StringIO(),
    )


def rolled_up() -> list[tuple]:
    return list(
        CampaignDay.objects.order_by("campaign", "day").values_list(
            "campaign",
            "day",
            "followers",
            "followers_gained",
            "posts",
            "reposts",
            "engagement",
            "impressions",
            "staff",
            "following",
        )
    )


@pytest.mark.django_db
def test_it_writes_the_rows_its_estimate_promises():
    generate()
    expected = campaigns_generate.estimate(TINY)
    for model in (AccountSnapshot, AccountDay, PostMetrics, PostMetricDay, Campaign):
        assert model.objects.count() == expected[model._meta.label], model
    assert 0 < CampaignDay.objects.count() <= expected["campaigns.CampaignDay"]
    assert 0 < DepartmentDay.objects.count() <= expected["campaigns.DepartmentDay"]


@pytest.mark.django_db
def test_every_account_is_measured_every_day_and_a_district_account_ends_at_its_followers():
    generate()
    for account in OfficialAccount.objects.all():
        days = AccountDay.objects.filter(account=account)
        assert days.count() == TINY.days
        assert days.aggregate(last=Max("day"))["last"] == END
    for account in OfficialAccount.objects.filter(department=None):
        today = AccountDay.objects.get(account=account, day=END)
        assert (
            today.followers == Follower.objects.filter(account=account, until__isnull=True).count()
        )
        assert today.posts >= Post.objects.filter(account=account).count()


@pytest.mark.django_db
def test_a_posts_latest_figures_are_its_engagement_and_its_last_day():
    generate()
    for post in Post.objects.all()[:10]:
        latest = PostMetrics.objects.get(x_post_id=post.x_post_id)
        assert latest.engagement == post.engagement
        assert latest.likes + latest.reposts + latest.replies + latest.quotes == post.engagement
        last = PostMetricDay.objects.filter(x_post_id=latest.x_post_id).order_by("-day").first()
        assert (last.likes, last.impressions) == (latest.likes, latest.impressions)


@pytest.mark.django_db
def test_each_district_has_a_campaign_and_its_rows_are_what_the_rollup_computes():
    generate()
    assert Campaign.objects.values("district").distinct().count() == TINY.districts
    begun = Campaign.objects.filter(starts_on__lte=END)
    assert begun.exists()
    before = rolled_up()
    assert before and all(row[2] is not None for row in before)
    for campaign in begun:
        assert campaign.baseline_followers is not None
        assert DepartmentDay.objects.filter(campaign=campaign, day=END).count() == (
            campaign.district.departments.count()
        )
        assert Projection.objects.filter(campaign=campaign).exists() == (
            campaign.day_number(END) > 2
        )
        rollup.rollup(campaign, today=END, now=NOW)
    assert rolled_up() == before


@pytest.mark.django_db
def test_the_dashboard_and_the_state_view_show_generated_campaigns(client):
    generate()
    campaign = Campaign.objects.filter(starts_on__lte=END).first()
    admin = User.objects.get(username=f"gen-{campaign.district.code}-admin")
    client.force_login(admin)
    with time_machine.travel(NOW + timedelta(minutes=30), tick=False):
        assert client.get(f"/campaigns/{campaign.pk}/").status_code == 200
        client.force_login(User.objects.get(username="gen-rajasthan-observer"))
        page = client.get("/campaigns/state/").content.decode()
    assert campaign.name in page


@pytest.mark.django_db
def test_the_same_seed_gives_the_same_measurements():
    generate("--seed", "9")
    first = (
        rolled_up(),
        list(
            PostMetricDay.objects.order_by("x_post_id", "day").values_list(
                "x_post_id", "day", "likes", "impressions"
            )
        ),
    )
    generate("--seed", "9", "--reset")
    again = (
        rolled_up(),
        list(
            PostMetricDay.objects.order_by("x_post_id", "day").values_list(
                "x_post_id", "day", "likes", "impressions"
            )
        ),
    )
    assert [row[1:] for row in again[0]] == [row[1:] for row in first[0]]
    assert again[1] == first[1]
