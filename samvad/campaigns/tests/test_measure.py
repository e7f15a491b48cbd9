import math
from datetime import timedelta

import pytest
from django.utils import timezone

from samvad.campaigns import jobs, measure
from samvad.campaigns.models import AccountDay, AccountSnapshot, PostMetricDay, PostMetrics
from samvad.content.models import Post
from samvad.jobs.models import Job


def post_on_x(sandbox, n, *, username="DmDausa"):
    """n posts by the account, made on the sandbox directly; their X ids."""
    return [
        sandbox.call(
            "POST",
            "tweets",
            json={"username": username, "text": f"पोस्ट {i}", "impressions": 10 * i},
        )["data"]["id"]
        for i in range(n)
    ]


def lookups(sandbox):
    return [r for r in sandbox.requests(method="GET", path="/2/tweets") if r["path"] == "/2/tweets"]


@pytest.mark.parametrize("n", [100, 101, 250])
def test_it_looks_posts_up_a_hundred_at_a_time(sandbox, connected, make_campaign, publish, n):
    campaign = make_campaign(starts_on=timezone.localdate() - timedelta(days=2))
    now = timezone.now()
    for x_id in post_on_x(sandbox, n):
        publish(x_id, now - timedelta(hours=1))
    sandbox.clear_requests()

    measured = measure.sync_post_metrics(campaign)

    assert measured == n
    assert len(lookups(sandbox)) == math.ceil(n / 100)
    assert PostMetrics.objects.count() == PostMetricDay.objects.count() == n


def test_it_keeps_each_posts_metrics_and_its_engagement(sandbox, connected, make_campaign, publish):
    campaign = make_campaign(starts_on=timezone.localdate())
    [x_id] = post_on_x(sandbox, 1)
    sandbox.create_user("citizen")
    sandbox.call("POST", "likes", json={"tweet_id": x_id, "username": "citizen"})
    sandbox.call("POST", "retweets", json={"tweet_id": x_id, "username": "citizen"})
    publish(x_id, timezone.now())

    measure.sync_post_metrics(campaign)

    metrics = PostMetrics.objects.get()
    assert (metrics.likes, metrics.reposts, metrics.engagement) == (1, 1, 2)
    assert metrics.impressions == 0
    assert Post.objects.get(x_post_id=x_id).engagement == 2


def test_it_snapshots_the_account_and_keeps_one_row_a_day(sandbox, connected, make_campaign):
    sandbox.call("POST", "users", json={"count": 3, "prefix": "fan", "follow": "DmDausa"})

    measure.snapshot_accounts([connected.account])
    measure.snapshot_accounts([connected.account])

    assert AccountSnapshot.objects.count() == 2
    day = AccountDay.objects.get()
    assert (day.account, day.followers, day.day) == (connected.account, 3, timezone.localdate())


def test_it_takes_the_baseline_from_the_first_measurement(sandbox, connected, make_campaign):
    sandbox.call("POST", "users", json={"count": 2, "prefix": "fan", "follow": "DmDausa"})
    campaign = make_campaign(starts_on=timezone.localdate())
    measure.snapshot_accounts([connected.account])

    assert measure.take_baseline(campaign)

    campaign.refresh_from_db()
    assert campaign.baseline_followers == 2


def test_it_comes_back_when_x_says_the_window_is_empty(sandbox, connected, make_campaign, publish):
    campaign = make_campaign(starts_on=timezone.localdate())
    publish(post_on_x(sandbox, 1)[0], timezone.now())
    sandbox.fault(kind="rate_limit", method="GET", path="/2/tweets", count=1)

    jobs.measure_campaign(campaign, accounts=False)

    again = Job.objects.get(name="campaigns.measure_again")
    assert again.args == {"campaign_id": campaign.pk}
    assert again.run_after > timezone.now()
    assert not PostMetrics.objects.exists()
