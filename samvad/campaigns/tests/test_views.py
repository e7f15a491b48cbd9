from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from samvad.advocacy.models import DepartmentSnapshot
from samvad.campaigns.models import Campaign, CampaignDay, DepartmentDay
from samvad.campaigns.rollup import rollup
from samvad.org.models import Department, District, OfficialAccount


@pytest.fixture
def dausa_campaign(make_campaign, publish, world):
    campaign = make_campaign(
        starts_on=timezone.localdate() - timedelta(days=3),
        target_followers=500,
        target_posts=40,
        target_submissions=3,
    )
    publish(11, timezone.now() - timedelta(days=1), department=world.water)
    rollup(campaign)
    return campaign


def dashboard(campaign):
    return reverse("campaigns:dashboard", args=[campaign.pk])


def test_it_shows_the_scoreboard_to_the_district_admin(login, world, dausa_campaign):
    page = login(world.admin).get(dashboard(dausa_campaign))
    assert page.status_code == 200
    text = page.content.decode()
    assert "15 दिवसीय ट्विटर अभियान" in text
    assert 'hx-trigger="every 30s"' in text
    assert "<svg" in text and "<script" not in text.split("</head>")[1]
    assert world.water.name_hi in text and world.power.name_hi in text


def test_htmx_polls_get_the_scoreboard_alone(login, world, dausa_campaign):
    page = login(world.editor).get(dashboard(dausa_campaign), HTTP_HX_REQUEST="true")
    assert page.status_code == 200
    assert page.content.decode().startswith('<div id="scoreboard"')


def test_a_dausa_admin_cannot_see_alwars_campaign(login, world, make_campaign):
    alwar = make_campaign(world.alwar, starts_on=timezone.localdate())
    client = login(world.admin)
    assert client.get(dashboard(alwar)).status_code == 404
    assert client.get(reverse("campaigns:edit", args=[alwar.pk])).status_code == 404
    assert "अलवर" not in client.get(reverse("campaigns:list")).content.decode()


def test_the_state_observer_sees_every_district_but_cannot_edit(
    login, world, dausa_campaign, make_campaign
):
    alwar = make_campaign(world.alwar, starts_on=timezone.localdate())
    client = login(world.observer)
    assert client.get(dashboard(dausa_campaign)).status_code == 200
    assert client.get(dashboard(alwar)).status_code == 200
    assert client.get(reverse("campaigns:edit", args=[alwar.pk])).status_code == 403
    assert client.get(reverse("campaigns:new")).status_code == 403


def test_an_officer_sees_only_their_departments_figures(login, world, dausa_campaign):
    page = login(world.officer_a).get(dashboard(dausa_campaign))
    text = page.content.decode()
    assert page.status_code == 200
    assert world.water.name_hi in text
    assert world.power.name_hi not in text
    assert "figure" not in text.split('id="scoreboard"')[1].split("<h2>")[0]  # no district cards


@pytest.mark.parametrize("persona", ["employee", "outsider", "alwar_officer"])
def test_others_are_kept_out(login, world, dausa_campaign, persona):
    status = login(getattr(world, persona)).get(dashboard(dausa_campaign)).status_code
    assert status in (403, 404)


def test_anonymous_visitors_are_sent_to_log_in(client, dausa_campaign):
    assert client.get(dashboard(dausa_campaign)).status_code == 302


def test_the_admin_creates_a_15_day_campaign(login, world):
    account = OfficialAccount.objects.get(handle="DmDausa")
    start = timezone.localdate()
    page = login(world.admin).post(
        reverse("campaigns:new"),
        {
            "name": "15 दिवसीय ट्विटर अभियान",
            "accounts": [account.pk],
            "starts_on": start.isoformat(),
            "target_followers": 1000,
            "target_posts": 60,
            "target_reposts": 500,
            "target_submissions": 5,
        },
    )
    campaign = Campaign.objects.get()
    assert page.status_code == 302
    assert (campaign.district, campaign.days, list(campaign.accounts.all())) == (
        world.dausa,
        15,
        [account],
    )


def test_the_admin_sets_department_targets(login, world, dausa_campaign):
    url = reverse("campaigns:targets", args=[dausa_campaign.pk])
    login(world.admin).post(url, {f"submissions_{world.water.pk}": "9"})
    [target] = dausa_campaign.department_targets.all()
    assert (target.department, target.submissions, target.posts) == (world.water, 9, None)


def test_the_state_view_sorts_on_the_server(login, world, dausa_campaign, make_campaign):
    make_campaign(world.alwar, starts_on=timezone.localdate())
    client = login(world.observer)
    by_posts = client.get(reverse("campaigns:state") + "?sort=-posts").content.decode()
    assert by_posts.index("दौसा") < by_posts.index("अलवर")
    by_name = client.get(reverse("campaigns:state") + "?sort=-district").content.decode()
    assert by_name.index("दौसा") < by_name.index("अलवर")  # Dausa after Alwar, reversed
    assert client.get(reverse("campaigns:state") + "?sort=evil").status_code == 200


def test_only_state_observers_see_the_state_view(login, world):
    assert login(world.admin).get(reverse("campaigns:state")).status_code == 403


# Query counts do not grow with the number of departments or districts ---------------------------


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def _more_departments(district, campaign, n, prefix):
    for i in range(n):
        department = Department.objects.create(
            district=district,
            code=f"{prefix}{i}",
            name_hi=f"विभाग {i}",
            name_en=f"Dept {i}",
            head_designation_hi="अधिकारी",
            head_designation_en="Officer",
        )
        DepartmentDay.objects.create(
            campaign=campaign,
            department=department,
            day=timezone.localdate(),
            submissions=i,
        )
        DepartmentSnapshot.objects.create(
            department=department, day=timezone.localdate(), staff=10, following=i
        )


def test_the_dashboard_query_count_does_not_grow_with_departments(
    login, world, dausa_campaign, django_assert_max_num_queries
):
    client = login(world.admin)
    _more_departments(world.dausa, dausa_campaign, 2, "a")
    few = _queries(client, dashboard(dausa_campaign))
    _more_departments(world.dausa, dausa_campaign, 40, "b")
    many = _queries(client, dashboard(dausa_campaign))
    assert few == many
    with django_assert_max_num_queries(20):
        client.get(dashboard(dausa_campaign))


def _more_districts(world, n, start, prefix):
    for i in range(n):
        district = District.objects.create(
            state=world.rajasthan, code=f"{prefix}{i}", name_hi=f"जिला {i}", name_en=f"District {i}"
        )
        OfficialAccount.objects.create(district=district, handle=f"Dm{prefix}{i}")
        campaign = Campaign.objects.create(
            district=district, name="अभियान", starts_on=start, ends_on=start + timedelta(days=14)
        )
        CampaignDay.objects.bulk_create(
            [
                CampaignDay(
                    campaign=campaign,
                    day=start + timedelta(days=d),
                    followers=100 + d,
                    followers_gained=1,
                    posts=d,
                )
                for d in range(3)
            ]
        )


def test_the_state_view_query_count_does_not_grow_with_districts(
    login, world, dausa_campaign, django_assert_max_num_queries
):
    client = login(world.observer)
    start = timezone.localdate() - timedelta(days=2)
    _more_districts(world, 2, start, "a")
    few = _queries(client, reverse("campaigns:state"))
    _more_districts(world, 20, start, "b")
    many = _queries(client, reverse("campaigns:state"))
    assert few == many
    with django_assert_max_num_queries(20):
        client.get(reverse("campaigns:state") + "?sort=-gained")


# Figures read the Indian way ----------------------------------------------------------------------


def test_every_figure_on_the_dashboard_uses_indian_grouping(login, world, dausa_campaign):
    CampaignDay.objects.filter(campaign=dausa_campaign).update(followers=123456)
    last = CampaignDay.objects.filter(campaign=dausa_campaign).order_by("day").last()
    CampaignDay.objects.filter(pk=last.pk).update(
        followers=3027, staff=1234567, following=654321, spend=123456.5
    )
    water = DepartmentDay.objects.get(campaign=dausa_campaign, department=world.water)
    DepartmentDay.objects.filter(pk=water.pk).update(posts=12345)
    DepartmentSnapshot.objects.update_or_create(
        department=world.water, day=water.day, defaults={"staff": 100000, "following": 45678}
    )
    Campaign.objects.filter(pk=dausa_campaign.pk).update(target_followers=150000)
    text = login(world.admin).get(dashboard(dausa_campaign)).content.decode()
    assert "3,027" in text and "3027" not in text.replace("3,027", "")
    for figure in [
        "1,50,000",
        "6,54,321",
        "12,34,567",
        "$1,23,456.50",
        "₹1,08,64,172",  # at ₹88 a dollar
        "12,345",
        "45,678",
        "1,00,000",
    ]:
        assert figure in text, figure
    assert "150,000" not in text and "1,234,567" not in text


def test_every_figure_on_the_state_view_uses_indian_grouping(login, world, dausa_campaign):
    CampaignDay.objects.filter(campaign=dausa_campaign).update(
        followers=1234567, followers_gained=50000, posts=20000, reposts=123456
    )
    days = CampaignDay.objects.filter(campaign=dausa_campaign).count()
    assert days == 4
    text = login(world.observer).get(reverse("campaigns:state")).content.decode()
    for figure in ["12,34,567", "2,00,000", "80,000", "4,93,824"]:  # four days' sums
        assert figure in text, figure
    assert "1,234,567" not in text and "200,000" not in text


def test_chart_labels_use_indian_grouping():
    from samvad.campaigns import svg

    assert "1,23,456" in svg.bar_chart([123456, 5], ["a", "b"], title="t")


def test_a_district_without_a_campaign_shows_its_accounts_last_followers(
    login, world, dausa_campaign
):
    from samvad.campaigns.models import AccountDay

    account = OfficialAccount.objects.get(district=world.alwar, department=None)
    department_account = OfficialAccount.objects.create(
        district=world.alwar, handle="PhedAlwar", department=world.alwar_water
    )
    today = timezone.localdate()
    for day, followers in [(today - timedelta(days=2), 11111), (today, 123456)]:
        AccountDay.objects.create(
            account=account, district=world.alwar, day=day, followers=followers
        )
        AccountDay.objects.create(
            account=department_account, district=world.alwar, day=day, followers=500
        )
    text = login(world.observer).get(reverse("campaigns:state")).content.decode()
    alwar_row = text.split("अलवर")[1].split("</tr>")[0]
    assert "1,23,456" in alwar_row and "11,111" not in alwar_row
