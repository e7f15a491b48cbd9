"""Builders for campaigns, published posts and measured days, for the campaign and report tests
(the personas and the X sandbox are the root conftest's)."""

from datetime import datetime, time

import pytest

from samvad.campaigns.figures import IST
from samvad.campaigns.models import AccountDay, Campaign
from samvad.org.models import OfficialAccount


def at(day, hour=10) -> datetime:
    return datetime.combine(day, time(hour), IST)


@pytest.fixture
def make_campaign(world):
    def make(district=None, *, starts_on, days=15, **targets):
        district = district or world.dausa
        campaign = Campaign.objects.create(
            district=district,
            name="15 दिवसीय ट्विटर अभियान",
            starts_on=starts_on,
            ends_on=starts_on.fromordinal(starts_on.toordinal() + days - 1),
            **targets,
        )
        campaign.accounts.set(
            OfficialAccount.objects.filter(district=district, department__isnull=True)
        )
        return campaign

    return make


@pytest.fixture
def publish(world):
    """publish(x_id, when, department=None): a published post of the district's account."""
    from samvad.content.models import Post

    def make(x_id, when, *, department=None, district=None, text="हर घर जल"):
        district = district or world.dausa
        account = OfficialAccount.objects.get(district=district, department__isnull=True)
        return Post.objects.create(
            district=district,
            department=department,
            account=account,
            text=text,
            state="published",
            x_post_id=str(x_id),
            published_at=when,
            created_by=world.admin,
        )

    return make


def measured(account, day, followers):
    AccountDay.objects.update_or_create(
        account=account,
        day=day,
        defaults={"district_id": account.district_id, "followers": followers},
    )
