"""Rate limits, injected faults, the request log and the sandbox clock."""

import time

import httpx
import pytest

TOO_MANY = {
    "title": "Too Many Requests",
    "detail": "Too Many Requests",
    "type": "about:blank",
    "status": 429,
}


@pytest.fixture
def dm(xsandbox):
    return xsandbox.client_for("DmDausa", expires_in=None)


def test_it_answers_429_when_a_tight_limit_is_used_up(xsandbox, dm):
    xsandbox.call("POST", "rate_limits", json={"endpoint": "POST /2/tweets", "user": 2})
    statuses = [dm.post("/2/tweets", json={"text": f"post {i}"}) for i in range(3)]
    assert [r.status_code for r in statuses] == [201, 201, 429]
    last = statuses[-1]
    assert last.json() == TOO_MANY
    assert last.headers["x-rate-limit-remaining"] == "0"
    assert last.headers["x-rate-limit-limit"] == "2"
    reset = int(last.headers["x-rate-limit-reset"])
    assert 0 < reset - xsandbox.call("GET", "clock")["now"] <= 900
    xsandbox.advance(901)
    assert dm.post("/2/tweets", json={"text": "after the window"}).status_code == 201


def test_it_counts_limits_per_user_and_endpoint(xsandbox, dm):
    xsandbox.call("POST", "rate_limits", json={"endpoint": "GET /2/users/me", "user": 1})
    assert dm.get("/2/users/me").status_code == 200
    assert dm.get("/2/users/me").status_code == 429
    assert xsandbox.client_for("other").get("/2/users/me").status_code == 200
    assert dm.get("/2/users/by", params={"usernames": "DmDausa"}).status_code == 200
    xsandbox.call("DELETE", "rate_limits")
    assert dm.get("/2/users/me").headers["x-rate-limit-limit"] == "900"


def test_it_enforces_the_daily_post_cap(xsandbox, dm):
    xsandbox.call("POST", "rate_limits", json={"endpoint": "POST /2/tweets", "user_24h": 1})
    first = dm.post("/2/tweets", json={"text": "one"})
    assert first.headers["x-user-limit-24hour-remaining"] == "0"
    assert dm.post("/2/tweets", json={"text": "two"}).status_code == 429
    r = xsandbox.control.post("/_sandbox/rate_limits", json={"endpoint": "GET /nope"})
    assert r.status_code == 400


def test_it_injects_server_errors_for_the_next_requests(xsandbox, dm):
    xsandbox.fault(kind="error", status=503, count=2, path="/2/users")
    assert [dm.get("/2/users/me").status_code for _ in range(3)] == [503, 503, 200]
    assert xsandbox.call("GET", "faults")["data"] == []


def test_it_bursts_429s(xsandbox, dm):
    xsandbox.fault(kind="rate_limit", count=1)
    r = dm.get("/2/users/me")
    assert r.status_code == 429 and r.headers["x-rate-limit-remaining"] == "0"
    assert dm.get("/2/users/me").status_code == 200


def test_it_answers_usage_capped_for_one_user(xsandbox, dm):
    xsandbox.fault(kind="usage_cap", username="DmDausa")
    r = dm.post("/2/tweets", json={"text": "capped"})
    assert r.status_code == 429
    assert r.json() == {
        "title": "UsageCapExceeded",
        "detail": "Usage cap exceeded: Monthly product cap",
        "type": "https://api.twitter.com/2/problems/usage-capped",
        "period": "Monthly",
        "scope": "Product",
    }
    assert xsandbox.client_for("other").get("/2/users/me").status_code == 200
    xsandbox.call("DELETE", "faults")
    assert dm.post("/2/tweets", json={"text": "capped"}).status_code == 201


def test_it_adds_latency(xsandbox, dm):
    xsandbox.fault(kind="latency", seconds=0.3, count=1)
    started = time.monotonic()
    dm.get("/2/users/me")
    assert time.monotonic() - started >= 0.3


def test_it_creates_the_post_then_drops_the_connection(xsandbox, dm):
    xsandbox.fault(kind="timeout_after_create", mode="drop", count=1)
    with pytest.raises(httpx.TransportError):
        dm.post("/2/tweets", json={"text": "did it post?"})
    uid = xsandbox.store.user(username="DmDausa")["id"]
    timeline = dm.get(f"/2/users/{uid}/tweets").json()
    assert [t["text"] for t in timeline["data"]] == ["did it post?"]
    assert xsandbox.requests(path="/2/tweets", method="POST")[0]["status"] is None


def test_it_creates_the_post_then_hangs_past_the_client_timeout(xsandbox):
    xsandbox.fault(kind="timeout_after_create", seconds=5, count=1)
    slow = xsandbox.client(xsandbox.token("DmDausa"), timeout=0.5)
    with pytest.raises(httpx.ReadTimeout):
        slow.post("/2/tweets", json={"text": "slow"})
    assert xsandbox.store.one("SELECT text FROM tweets")["text"] == "slow"


def test_it_logs_requests_with_filters(xsandbox, dm):
    dm.get("/2/users/me")
    dm.post("/2/tweets", json={"text": "logged"})
    dm.post("/2/tweets", json={"text": "logged"})
    log = xsandbox.requests()
    assert [(r["method"], r["path"], r["status"]) for r in log] == [
        ("GET", "/2/users/me", 200),
        ("POST", "/2/tweets", 201),
        ("POST", "/2/tweets", 403),
    ]
    assert {"query", "time", "subject"} <= set(log[0])
    assert [r["status"] for r in xsandbox.requests(method="post", status=403)] == [403]
    assert len(xsandbox.requests(since_id=log[0]["id"])) == 2
    xsandbox.clear_requests()
    assert xsandbox.requests() == []


def test_it_runs_an_accelerated_and_advanceable_clock(xsandbox):
    start = xsandbox.call("GET", "clock")["now"]
    moved = xsandbox.advance(3600)["now"]
    assert 3600 <= moved - start < 3700
    xsandbox.call("POST", "clock", json={"factor": 1000})
    time.sleep(0.05)
    assert xsandbox.call("GET", "clock")["now"] - moved >= 50
    fixed = xsandbox.call("POST", "clock", json={"set": 1_800_000_000, "factor": 1})
    assert 1_800_000_000 <= fixed["now"] < 1_800_000_001
    assert fixed["iso"].startswith("2027-01-15T")


def test_it_stamps_posts_with_the_sandbox_clock(xsandbox, dm):
    xsandbox.call("POST", "clock", json={"set": 1_800_000_000})
    tid = dm.post("/2/tweets", json={"text": "when"}).json()["data"]["id"]
    tweet = dm.get(f"/2/tweets/{tid}", params={"tweet.fields": "created_at"}).json()["data"]
    assert tweet["created_at"].startswith("2027-01-15T08:00:0")


def test_it_resets_everything(xsandbox, dm):
    dm.post("/2/tweets", json={"text": "gone"})
    xsandbox.call("POST", "reset")
    assert dm.get("/2/users/me").status_code == 401


def test_it_creates_users_in_bulk_following_an_account(xsandbox):
    xsandbox.create_user("DmDausa")
    body = xsandbox.call("POST", "users", json={"count": 250, "prefix": "fan", "follow": "DmDausa"})
    assert len(body["data"]) == 250 and body["data"][0]["username"] == "fan1"
    dm = xsandbox.client_for("DmDausa")
    metrics = dm.get("/2/users/me", params={"user.fields": "public_metrics"}).json()
    assert metrics["data"]["public_metrics"]["followers_count"] == 250
    r = xsandbox.control.post("/_sandbox/users", json={"users": [{"username": "bad name"}]})
    assert r.status_code == 400
