"""One ledger row per call with what X bills; the district's monthly budget; the ledger page."""

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest
import time_machine
from django.db.models import Count
from django.urls import reverse
from django.utils import timezone, translation

from samvad.conftest import x_requests
from samvad.platforms.x.client import BudgetExceeded, XClient, pages
from samvad.platforms.x.ledger import price
from samvad.platforms.x.models import BilledResource, Connection, DistrictBudget, LedgerEntry


@pytest.fixture(autouse=True)
def _english():
    # These tests compare X's and our messages with their English wording.
    with translation.override("en"):
        yield


@pytest.fixture
def x(connected):
    # Forget the connection's own check of the handle (GET /2/users/me).
    LedgerEntry.objects.all().delete()
    BilledResource.objects.all().delete()
    return XClient(connected.account)


def costs():
    return [(e.endpoint, e.status, e.resources, e.cost) for e in LedgerEntry.objects.order_by("id")]


def test_it_prices_posts_by_link_and_by_reply_to_a_mention(x, sandbox):
    first = x.create_post("बिना लिंक")
    x.create_post("लिंक सहित https://dausa.rajasthan.gov.in")
    x.create_post("dausa.rajasthan.gov.in पर देखें")
    sandbox.create_user("nagrik")
    mention = sandbox.call("POST", "tweets", json={"username": "nagrik", "text": "@DmDausa सवाल"})[
        "data"
    ]
    x.create_post("जवाब", reply_to=mention["id"], replying_to_mention=True)
    x.create_post("थ्रेड 2/2", reply_to=first.id)
    assert [c[3] for c in costs()] == [
        Decimal("0.015"),
        Decimal("0.2"),
        Decimal("0.2"),
        Decimal("0.01"),
        Decimal("0.015"),
    ]
    assert {c[:3] for c in costs()} == {("POST /2/tweets", 201, 1)}


def test_it_bills_each_read_resource_once_per_utc_day(x, sandbox):
    sandbox.create_user("nagrik")
    x.users_by_usernames(["DmDausa", "nagrik", "missing_one"])
    x.users_by_usernames(["DmDausa", "nagrik"])
    assert costs() == [
        ("GET /2/users/by", 200, 2, Decimal("0.02")),
        ("GET /2/users/by", 200, 2, Decimal("0")),
    ]


def test_follower_entries_cost_less_as_owned_reads(x, sandbox, connected):
    sandbox.call("POST", "users", json={"count": 30, "prefix": "fan", "follow": "DmDausa"})
    x.followers(connected.x_user_id)
    Connection.objects.filter(pk=connected.pk).update(owns_app=True)
    x.following(connected.x_user_id)  # empty: nothing billed
    sandbox.call("POST", "users", json={"count": 5, "prefix": "new", "follow": "DmDausa"})
    x.followers(connected.x_user_id)
    assert [c[2:] for c in costs()] == [
        (30, Decimal("0.3")),
        (0, Decimal("0")),
        (35, Decimal("0.005")),
    ]


def test_post_reads_and_failed_calls_are_recorded_too(x, sandbox):
    post = x.create_post("पढ़ो")
    x.posts([post.id])
    x.posts([post.id])
    sandbox.fault(kind="error", status=503, count=1)
    with pytest.raises(Exception):  # noqa: B017 (the kind is tested in test_client)
        x.me()
    assert costs()[1:] == [
        ("GET /2/tweets", 200, 1, Decimal("0.005")),
        ("GET /2/tweets", 200, 1, Decimal("0")),
        ("GET /2/users/me", 503, 0, Decimal("0")),
    ]


def test_it_refuses_calls_past_the_districts_monthly_budget(x, sandbox, world):
    DistrictBudget.objects.create(district=world.dausa, monthly_usd=Decimal("0.02"))
    x.create_post("पहली")
    x.create_post("दूसरी")  # 0.015 spent: still under 0.02
    sandbox.clear_requests()
    with pytest.raises(BudgetExceeded) as caught:
        x.create_post("तीसरी")
    assert caught.value.permanent and "budget" in caught.value.message
    assert x_requests(sandbox) == []
    with translation.override("hi"):
        assert str(BudgetExceeded().message)


def test_a_budget_of_another_district_does_not_stop_dausa(x, world):
    DistrictBudget.objects.create(district=world.alwar, monthly_usd=Decimal("0"))
    assert x.create_post("अलवर का बजट").id


def test_last_months_spend_does_not_count_against_this_month(x, world, connected):
    LedgerEntry.objects.create(
        account=connected.account,
        district=world.dausa,
        at=datetime.now(UTC) - timedelta(days=40),
        endpoint="x",
        method="GET",
        status=200,
        cost=Decimal("100"),
    )
    DistrictBudget.objects.create(district=world.dausa, monthly_usd=Decimal("1"))
    assert x.create_post("नया महीना").id


def run_jobs():
    from samvad.jobs.worker import tick

    while tick("test-worker"):
        pass


def entry(account, district, cost, days_ago=0, endpoint="GET /2/users/me"):
    return LedgerEntry.objects.create(
        account=account,
        district=district,
        endpoint=endpoint,
        method="GET",
        status=200,
        resources=1,
        cost=Decimal(cost),
        at=datetime.now(UTC) - timedelta(days=days_ago),
    )


def test_the_ledger_page_shows_calls_and_spend_per_account_per_day(login, world):
    dausa, alwar = world.dausa.accounts.get(), world.alwar.accounts.get()
    entry(dausa, world.dausa, "0.015")
    entry(dausa, world.dausa, "0.2")
    entry(dausa, world.dausa, "0.01", days_ago=3)
    entry(dausa, world.dausa, "7.77", days_ago=60)
    entry(alwar, world.alwar, "9.99")
    for persona in (world.admin, world.editor):
        response = login(persona).get(reverse("x:ledger"))
        assert response.status_code == 200
        rows = list(response.context["rows"])
        assert [(r["account__handle"], r["calls"], r["spend"]) for r in rows] == [
            ("DmDausa", 2, Decimal("0.215")),
            ("DmDausa", 1, Decimal("0.01")),
        ]
        page = response.content.decode()
        assert "DmAlwar" not in page and "9.99" not in page and "7.77" not in page
    old = (datetime.now(UTC) - timedelta(days=61)).date()
    response = login(world.admin).get(
        reverse("x:ledger"), {"start": old, "end": old + timedelta(days=2)}
    )
    assert [r["spend"] for r in response.context["rows"]] == [Decimal("7.77")]


@time_machine.travel(datetime(2026, 12, 1, 20, 0, tzinfo=UTC), tick=False)
def test_the_ledger_shows_rupees_beside_dollars_by_ist_day(login, world, settings):
    settings.SAMVAD_INR_PER_USD = Decimal("90")
    dausa = world.dausa.accounts.get()
    # One UTC day, two IST days: 22:30 on 1 December and 00:30 on 2 December.
    for hour, resources, cost in [(17, 1, "0.015"), (19, 123456, "103.2727")]:
        LedgerEntry.objects.create(
            account=dausa,
            district=world.dausa,
            endpoint="GET /2/users/:id/followers",
            method="GET",
            status=200,
            resources=resources,
            cost=Decimal(cost),
            at=datetime(2026, 12, 1, hour, tzinfo=UTC),
        )
    response = login(world.admin).get(reverse("x:ledger"))
    rows = [(r["day"], r["resources"], r["spend"]) for r in response.context["rows"]]
    assert rows == [
        (date(2026, 12, 2), 123456, Decimal("103.2727")),
        (date(2026, 12, 1), 1, Decimal("0.015")),
    ]
    page = response.content.decode()
    assert ">1,23,456<" in page  # the resources, grouped
    assert ">9,295<" in page and ">103.273<" in page  # the day's spend in ₹ at 90, and in $
    assert ">9,296<" in page and ">103.288<" in page  # the total
    assert "इस माह ₹9,296 ($103.29) व्यय" in page  # the page speaks the admin's Hindi
    assert "₹90 प्रति डॉलर" in page
    one_day = {"start": "2026-12-01", "end": "2026-12-01"}
    response = login(world.admin).get(reverse("x:ledger"), one_day)
    assert [r["spend"] for r in response.context["rows"]] == [Decimal("0.015")]


def test_only_district_staff_see_the_ledger(login, world):
    for persona in (world.officer_a, world.employee, world.observer, world.outsider):
        assert login(persona).get(reverse("x:ledger")).status_code == 403


def test_the_district_admin_sets_the_monthly_budget(login, world):
    client = login(world.admin)
    client.post(reverse("x:budget", args=[world.dausa.pk]), {"monthly_usd": "25.50"})
    assert DistrictBudget.objects.get(district=world.dausa).monthly_usd == Decimal("25.50")
    assert (
        client.post(reverse("x:budget", args=[world.alwar.pk]), {"monthly_usd": "1"}).status_code
        == 404
    )
    assert (
        login(world.editor)
        .post(reverse("x:budget", args=[world.dausa.pk]), {"monthly_usd": "1"})
        .status_code
        == 403
    )
    assert DistrictBudget.objects.get(district=world.dausa).monthly_usd == Decimal("25.50")


def test_the_ledger_bills_what_x_bills_for_a_day_of_reads(x, sandbox, connected):
    """The jobs' reads of one day, twice over (a read repeated the same day costs nothing): the
    mentions with the conversations X expands into `includes`, follower pages, the posts' metrics,
    who reposted. The ledger counts each kind of resource as the sandbox's own count of what X
    bills, and its dollars are those counts at X's prices."""
    own = [x.create_post(f"योजना की जानकारी {n}") for n in range(3)]
    sandbox.call("POST", "users", json={"count": 12, "prefix": "fan", "follow": "DmDausa"})
    sandbox.create_user("patrakar")
    news = sandbox.call(
        "POST", "tweets", json={"username": "patrakar", "text": "दौसा में पानी की किल्लत"}
    )["data"]
    for n in range(6):
        sandbox.create_user(f"nagrik{n}")
        question = sandbox.call(
            "POST",
            "tweets",
            json={
                "username": f"nagrik{n}",
                "text": f"@DmDausa पानी कब आएगा? {n}",
                "reply_to": own[n].id if n < 3 else news["id"],
            },
        )["data"]
        sandbox.call(
            "POST",
            "tweets",
            json={
                "username": f"fan{n + 1}",
                "reply_to": question["id"],
                "text": f"@DmDausa @nagrik{n} हमारे यहाँ भी {n}",
            },
        )
    sandbox.call("POST", "retweets", json={"username": "fan1", "tweet_id": own[0].id})
    LedgerEntry.objects.all().delete()
    BilledResource.objects.all().delete()

    for _ in range(2):
        for page in pages(x.mentions, connected.x_user_id, max_results=5):
            assert page.items
        list(pages(x.followers, connected.x_user_id, max_results=5))
        x.posts([p.id for p in own])
        x.reposted_by(own[0].id)
        x.users_by_usernames(["DmDausa", "nagrik0", "fan1"])

    day = timezone.now().astimezone(UTC).date()
    billed = sandbox.billed(day)
    ours = dict(
        BilledResource.objects.filter(day=day)
        .values_list("kind")
        .annotate(n=Count("id"))
        .values_list("kind", "n")
    )
    assert ours == billed
    # The questions, their answers, and the posts they answer: the news only as X expanded it.
    assert billed["post"] == 6 + 6 + 3 + 1
    names = {"post": "post_read", "user": "user_read", "follow": "follow_read"}
    assert LedgerEntry.objects.spend() == sum(price(names[k]) * n for k, n in billed.items())
    mentions = LedgerEntry.objects.filter(endpoint="GET /2/users/:id/mentions").order_by("id")
    assert mentions.first().resources > 5  # the page's posts and what X expanded


def test_every_district_has_a_daily_budget_where_reads_stop_before_publishing(
    x, sandbox, world, connected, settings, mailoutbox
):
    settings.SAMVAD_INR_PER_USD = Decimal(88)
    settings.SAMVAD_X_DAILY_BUDGET_INR = 88  # one dollar a day; nobody set a budget
    world.admin.email = "adc@dausa.example"
    world.admin.save()
    entry(connected.account, world.dausa, "0.79")
    x.me()  # $0.01 more: 80% reached
    run_jobs()
    assert len(mailoutbox) == 1 and "80%" in mailoutbox[0].subject
    x.me()  # the same user again today costs nothing, and tells nobody twice
    run_jobs()
    assert len(mailoutbox) == 1

    entry(connected.account, world.dausa, "0.20")  # $1.00: the budget is reached
    with pytest.raises(BudgetExceeded) as caught:
        x.posts(["1"])
    assert "reading from X stops" in caught.value.message
    assert x.create_post("प्रकाशन जारी है").id  # publishing goes on into its reserve
    run_jobs()
    assert "100%" in mailoutbox[-1].subject and "₹" in mailoutbox[-1].body

    entry(connected.account, world.dausa, "0.25")  # the reserve is spent too
    with pytest.raises(BudgetExceeded):
        x.create_post("अब नहीं")


def test_a_batch_of_pages_stops_at_the_daily_budget_and_keeps_its_ledger(
    x, sandbox, connected, settings
):
    """The pages of one fetch read the budget once, yet reads stop at it between two pages; the
    pages read before are in the ledger, though the batch ended with the refusal."""
    settings.SAMVAD_INR_PER_USD = Decimal(100)
    settings.SAMVAD_X_DAILY_BUDGET_INR = 10  # $0.10: two pages of five followers
    sandbox.call("POST", "users", json={"count": 15, "prefix": "fan", "follow": "DmDausa"})
    with pytest.raises(BudgetExceeded), x.batch():
        for _page in pages(x.followers, connected.x_user_id, max_results=5):
            assert not LedgerEntry.objects.exists()  # written when the batch closes
    assert costs() == [("GET /2/users/:id/followers", 200, 5, Decimal("0.05"))] * 2
    assert len(x_requests(sandbox, path=f"/2/users/{connected.x_user_id}/followers")) == 2


def test_the_admin_sets_the_daily_budget_in_rupees(login, world):
    client = login(world.admin)
    client.post(reverse("x:budget", args=[world.dausa.pk]), {"daily_inr": "500"})
    assert DistrictBudget.objects.get(district=world.dausa).daily_inr == 500
    page = client.get(reverse("x:settings")).content.decode()
    assert "₹500" in page


def test_a_lookup_once_a_day_reads_each_post_and_user_from_x_once_a_utc_day(x, sandbox, connected):
    before_midnight = datetime(2026, 3, 1, 23, 50, tzinfo=UTC)  # 05:20 IST on 2 March
    with time_machine.travel(before_midnight, tick=False) as clock:
        post, other = x.create_post("रोज़ एक बार"), x.create_post("दूसरी")
        sandbox.clear_requests()
        first = x.posts([post.id], once_a_day=True)
        again = x.posts([post.id], once_a_day=True)
        assert again.items == first.items and again.items[0].public_metrics
        assert len(x_requests(sandbox, path="/2/tweets")) == 1
        both = x.posts([post.id, other.id], once_a_day=True)
        assert [p.id for p in both.items] == [post.id, other.id]
        # Only the post not read today is asked of X, and a read with other fields is its own.
        x.posts([post.id], once_a_day=True, private_metrics=True)
        asked = [r["query"] for r in x_requests(sandbox, path="/2/tweets")]
        assert len(asked) == 3 and f"ids={other.id}&" in asked[1] and post.id not in asked[1]
        x.users([connected.x_user_id], once_a_day=True)
        assert x.users([connected.x_user_id], once_a_day=True).items[0].username == "DmDausa"
        assert len(x_requests(sandbox, path="/2/users")) == 1

        clock.move_to(before_midnight + timedelta(minutes=10))  # 00:00 UTC: X's new day
        sandbox.clear_requests()
        x.posts([post.id], once_a_day=True)
        x.posts([post.id], once_a_day=True)
        x.users([connected.x_user_id], once_a_day=True)
        assert len(x_requests(sandbox, path="/2/tweets")) == 1
        assert len(x_requests(sandbox, path="/2/users")) == 1
    # Each read X answered is in the ledger once, billed once a day; the kept answers are not.
    reads = LedgerEntry.objects.filter(method="GET").order_by("id")
    assert [(e.endpoint, e.cost) for e in reads] == [
        ("GET /2/tweets", Decimal("0.005")),
        ("GET /2/tweets", Decimal("0.005")),
        ("GET /2/tweets", Decimal("0")),
        ("GET /2/users", Decimal("0.01")),
        ("GET /2/tweets", Decimal("0.005")),
        ("GET /2/users", Decimal("0.01")),
    ]


def test_past_billing_days_are_forgotten(x, connected):
    from samvad.platforms.x.jobs import forget_past_billing_days

    with time_machine.travel(datetime(2026, 3, 1, 23, 50, tzinfo=UTC), tick=False) as clock:
        x.users([connected.x_user_id], once_a_day=True)
        clock.move_to(datetime(2026, 3, 2, 0, 10, tzinfo=UTC))
        x.users([connected.x_user_id], once_a_day=True)
        forget_past_billing_days(slot="2026-03-02T00:10")
    assert list(BilledResource.objects.values_list("day", flat=True)) == [date(2026, 3, 2)]
