"""Every endpoint of samvad/xsandbox/contract/x-api-contract.md through our client, against the
sandbox over HTTP (Acceptance 1)."""

import base64

import pytest

from samvad.conftest import CLIENT_ID, x_requests
from samvad.platforms.x.client import (
    NeedsReconnect,
    PermanentError,
    RateLimited,
    Uncertain,
    XClient,
    XError,
    items,
    pages,
)
from samvad.platforms.x.connect import connect_oauth1
from samvad.platforms.x.models import AppWindow, Connection, RateWindow

PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=="
)


@pytest.fixture
def x(connected):
    return XClient(connected.account)


def test_it_creates_and_deletes_a_post(x, sandbox):
    post = x.create_post("नमस्ते दौसा")
    assert post.text == "नमस्ते दौसा" and post.id
    assert x.post(post.id).text == "नमस्ते दौसा"
    assert x.delete_post(post.id) is True
    assert x.post(post.id) is None


def test_it_threads_replies_and_attaches_media(x):
    media = x.upload_media(PNG, media_type="image/png")
    assert media.state == "succeeded"
    first = x.create_post("1/2 जल जीवन मिशन", media_ids=[media.id])
    second = x.create_post("2/2 अधिक जानकारी", reply_to=first.id)
    assert second.raw["id"] != first.id
    assert x.post(second.id).raw["referenced_tweets"] == [{"type": "replied_to", "id": first.id}]


def test_it_uploads_a_video_in_chunks_and_polls_its_processing(x, sandbox):
    video = b"\0" * 2500
    media = x.upload_chunked(video, media_type="video/mp4", chunk_size=1000)
    assert media.state in ("pending", "in_progress")
    sandbox.advance(5)
    assert x.upload_status(media.id).state == "succeeded"
    assert len(x_requests(sandbox, path="/2/media/upload/")) == 5  # init, 3 appends, finalize


def test_it_looks_up_users_by_name_id_and_ids_with_partial_errors(x, sandbox):
    citizen = sandbox.create_user("nagrik_1")
    page = x.users_by_usernames(["DmDausa", "nagrik_1", "nobody_here"])
    assert [u.username for u in page.items] == ["DmDausa", "nagrik_1"]
    assert page.errors[0]["value"] == "nobody_here"
    me = x.me()
    assert me.username == "DmDausa" and me.public_metrics["followers_count"] == 0
    assert x.user(citizen["id"]).username == "nagrik_1"
    assert x.user("1234567") is None
    assert [u.id for u in x.users([me.id, citizen["id"]]).items] == [me.id, citizen["id"]]


def test_it_pages_through_followers_and_following(x, sandbox):
    sandbox.call("POST", "users", json={"count": 250, "prefix": "fan", "follow": "DmDausa"})
    sandbox.call("POST", "follows", json={"follower": "DmDausa", "followee": "fan7"})
    me = x.me()
    followers = list(items(x.followers, me.id, max_results=100))
    assert len(followers) == 250 and len({u.id for u in followers}) == 250
    assert len(x_requests(sandbox, path=f"/2/users/{me.id}/followers")) == 3
    assert [u.username for u in x.following(me.id).items] == ["fan7"]
    assert x.me().followers_count == 250


def test_it_reads_who_reposted_and_liked_a_post(x, sandbox):
    post = x.create_post("आज की बैठक")
    sandbox.call("POST", "users", json={"count": 3, "prefix": "staff"})
    sandbox.call("POST", "retweets", json={"tweet_id": post.id, "usernames": ["staff1", "staff2"]})
    sandbox.call("POST", "likes", json={"tweet_id": post.id, "usernames": ["staff3"]})
    assert {u.username for u in x.reposted_by(post.id).items} == {"staff1", "staff2"}
    assert [u.username for u in x.liking_users(post.id).items] == ["staff3"]


def test_it_reads_mentions_since_an_id_with_their_authors(x, sandbox):
    sandbox.create_user("nagrik_2")
    first = sandbox.call(
        "POST", "tweets", json={"username": "nagrik_2", "text": "@DmDausa पानी नहीं आ रहा"}
    )["data"]
    second = sandbox.call(
        "POST", "tweets", json={"username": "nagrik_2", "text": "@DmDausa धन्यवाद"}
    )["data"]
    me = x.me()
    page = x.mentions(me.id)
    assert [p.id for p in page.items] == [second["id"], first["id"]]
    assert page.users[0].username == "nagrik_2"
    assert [p.id for p in x.mentions(me.id, since_id=first["id"]).items] == [second["id"]]


def test_it_reads_the_accounts_timeline_page_by_page(x):
    made = [x.create_post(f"पोस्ट {i}").id for i in range(7)]
    me = x.me()
    seen = [p.id for page in pages(x.user_posts, me.id, max_results=5) for p in page.items]
    assert seen == list(reversed(made))


def test_it_reads_posts_with_private_metrics_and_reports_missing_ones(x, sandbox):
    post = x.create_post("मेट्रिक्स")
    page = x.posts([post.id, "1"], private_metrics=True)
    assert page.items[0].non_public_metrics == {"impression_count": 0}
    assert page.items[0].public_metrics["retweet_count"] == 0
    assert page.errors[0]["resource_id"] == "1"


def test_it_treats_a_404_for_a_missing_post_as_missing(x, sandbox):
    sandbox.call("POST", "settings", json={"missing_tweet_status": 404})
    assert x.post("1") is None


def test_it_searches_recent_posts(x, sandbox):
    x.create_post("जल संरक्षण अभियान")
    x.create_post("सड़क सुरक्षा")
    found = x.search_recent("from:DmDausa जल", max_results=10)
    assert [p.text for p in found.items] == ["जल संरक्षण अभियान"]


def test_it_signs_oauth1_user_tokens(sandbox, dausa, world):
    sandbox.create_user("DmDausa")
    tokens = sandbox.call("POST", "oauth1/tokens", json={"username": "DmDausa"})
    connection = connect_oauth1(
        dausa, token=tokens["oauth_token"], secret=tokens["oauth_token_secret"], by=world.admin
    )
    assert connection.status == Connection.Status.CONNECTED
    assert connection.kind == Connection.Kind.OAUTH1
    assert XClient(dausa).create_post("OAuth 1.0a से").text == "OAuth 1.0a से"


def test_it_raises_x_message_for_a_definite_refusal(x):
    x.create_post("एक ही बात")
    with pytest.raises(PermanentError) as caught:
        x.create_post("एक ही बात")
    assert caught.value.message == "You are not allowed to create a Tweet with duplicate content."
    assert caught.value.permanent and caught.value.status == 403
    with pytest.raises(PermanentError) as caught:
        x.create_post("₹" * 141)
    assert "280" in caught.value.message and caught.value.status == 400


def test_a_5xx_on_a_write_is_uncertain_and_on_a_read_is_temporary(x, sandbox):
    sandbox.fault(kind="error", status=503, count=2)
    with pytest.raises(Uncertain):
        x.create_post("शायद")
    with pytest.raises(XError) as caught:
        x.me()
    assert not isinstance(caught.value, Uncertain) and not caught.value.permanent


def test_a_connection_cut_after_sending_is_uncertain_though_the_post_exists(x, sandbox):
    sandbox.fault(kind="timeout_after_create", mode="cut", count=1)
    with pytest.raises(Uncertain):
        x.create_post("कटा हुआ जवाब")
    assert [p.text for p in x.user_posts(x.me().id).items] == ["कटा हुआ जवाब"]


def test_it_stores_rate_windows_and_never_sends_what_they_refuse(x, sandbox, dausa):
    sandbox.call("POST", "rate_limits", json={"endpoint": "GET /2/users/me", "user": 2})
    x.me()
    window = RateWindow.objects.get(account=dausa, endpoint="GET /2/users/me", window="15m")
    assert (window.limit, window.remaining) == (2, 1)
    x.me()
    sandbox.clear_requests()
    with pytest.raises(RateLimited) as caught:
        x.me()
    assert caught.value.reset_at == RateWindow.objects.get(pk=window.pk).reset_at
    assert x_requests(sandbox) == []


def test_a_batch_stores_its_windows_once_and_never_sends_a_page_they_refuse(x, sandbox, dausa):
    """The pages of one fetch read the windows once and write them at the end, yet the page
    after the one that emptied the window is refused here, not by a 429 from X."""
    endpoint = "GET /2/users/:id/followers"
    sandbox.call("POST", "rate_limits", json={"endpoint": endpoint, "user": 2})
    sandbox.call("POST", "users", json={"count": 6, "prefix": "fan", "follow": "DmDausa"})
    read = []
    with pytest.raises(RateLimited) as caught, x.batch():
        for page in pages(x.followers, dausa.x_user_id, max_results=2):
            read += page.items
            assert not RateWindow.objects.filter(endpoint=endpoint)  # written at the close
    assert len(read) == 4
    assert len(x_requests(sandbox, path=f"/2/users/{dausa.x_user_id}/followers")) == 2
    assert x_requests(sandbox, status=429) == []
    window = RateWindow.objects.get(account=dausa, endpoint=endpoint, window="15m")
    assert (window.remaining, window.reset_at) == (0, caught.value.reset_at)


def test_it_stores_the_24_hour_windows_of_posting(x, dausa):
    """The account's own windows, and the app's, which every account on the app shares."""
    x.create_post("चौबीस घंटे")
    windows = dict(
        RateWindow.objects.filter(account=dausa, endpoint="POST /2/tweets").values_list(
            "window", "remaining"
        )
    )
    assert windows == {"15m": 99, "user-24h": 2399}
    app = AppWindow.objects.get(endpoint="POST /2/tweets")
    assert (app.app, app.window, app.remaining) == (CLIENT_ID, "app-24h", 9999)


def test_an_account_that_is_not_connected_makes_no_call(sandbox, dausa):
    with pytest.raises(NeedsReconnect):
        XClient(dausa).me()
    assert x_requests(sandbox) == []
