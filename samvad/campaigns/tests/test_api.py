from datetime import timedelta

from django.utils import timezone

from samvad.campaigns.models import Campaign, DepartmentTarget
from samvad.campaigns.rollup import rollup
from samvad.demo.campaign import NAME, seed_campaign


def test_the_api_gives_a_campaigns_figures(login, world, make_campaign, publish):
    campaign = make_campaign(starts_on=timezone.localdate() - timedelta(days=1), target_posts=10)
    publish(5, timezone.now(), department=world.water)
    rollup(campaign)
    answer = login(world.admin).get(f"/api/v1/campaigns/{campaign.pk}").json()
    posts = next(t for t in answer["targets"] if t["metric"] == "posts")
    assert (posts["actual"], posts["target"]) == (1, 10)
    assert {d["name_en"] for d in answer["departments"]} == {
        "Public Health Engineering",
        "Jaipur Vidyut Vitran Nigam",
    }


def test_the_api_answers_404_outside_the_district(login, world, make_campaign):
    alwar = make_campaign(world.alwar, starts_on=timezone.localdate())
    client = login(world.admin)
    assert client.get(f"/api/v1/campaigns/{alwar.pk}").status_code == 404
    assert client.get("/api/v1/campaigns").json() == {"items": [], "next": None, "count": 0}


def test_the_api_gives_officers_their_department_only(login, world, make_campaign):
    campaign = make_campaign(starts_on=timezone.localdate())
    rollup(campaign)
    answer = login(world.officer_a).get(f"/api/v1/campaigns/{campaign.pk}").json()
    assert [d["name_en"] for d in answer["departments"]] == ["Public Health Engineering"]
    assert answer["targets"] == [] and answer["spend"] is None


def test_the_state_api_is_for_observers(login, world, make_campaign):
    make_campaign(starts_on=timezone.localdate())
    rows = login(world.observer).get("/api/v1/campaigns/state?sort=-posts").json()["items"]
    assert {r["name_en"] for r in rows} == {"Dausa", "Alwar"}


def test_the_demo_campaign_is_seeded_once(world):
    first = seed_campaign(world.dausa)
    again = seed_campaign(world.dausa)
    assert first == again and Campaign.objects.count() == 1
    assert (first.name, first.days, first.accounts.get().handle) == (NAME, 15, "DmDausa")
    targets = DepartmentTarget.objects.filter(campaign=first)
    assert {t.department for t in targets} == {world.water, world.power}
