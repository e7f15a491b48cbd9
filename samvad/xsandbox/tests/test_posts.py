"""POST/DELETE /2/tweets and the post lookups; every response is checked against X's document."""

import pytest


@pytest.fixture
def dm(xsandbox):
    return xsandbox.client_for("DmDausa")


def test_it_creates_a_post_with_rate_limit_headers(dm):
    r = dm.post("/2/tweets", json={"text": "नमस्ते दौसा"})
    assert r.status_code == 201
    data = r.json()["data"]
    assert data["text"] == "नमस्ते दौसा"
    assert data["edit_history_tweet_ids"] == [data["id"]]
    assert r.headers["x-rate-limit-limit"] == "100"
    assert r.headers["x-rate-limit-remaining"] == "99"
    assert int(r.headers["x-rate-limit-reset"]) > 0
    assert r.headers["x-app-limit-24hour-remaining"] == "9999"
    assert r.headers["x-user-limit-24hour-limit"] == "2400"


def test_it_refuses_duplicate_content_from_the_same_user(xsandbox, dm):
    assert dm.post("/2/tweets", json={"text": "same"}).status_code == 201
    r = dm.post("/2/tweets", json={"text": "same"})
    assert r.status_code == 403
    assert r.json()["detail"] == "You are not allowed to create a Tweet with duplicate content."
    assert "x-rate-limit-remaining" in r.headers
    assert xsandbox.client_for("other").post("/2/tweets", json={"text": "same"}).status_code == 201


def test_it_allows_the_same_text_again_after_the_duplicate_window(xsandbox):
    dm = xsandbox.client_for("DmDausa", expires_in=None)
    dm.post("/2/tweets", json={"text": "daily bulletin"})
    xsandbox.advance(25 * 3600)
    assert dm.post("/2/tweets", json={"text": "daily bulletin"}).status_code == 201


def test_it_rejects_text_over_280_weighted_characters(dm):
    assert dm.post("/2/tweets", json={"text": "न" * 280}).status_code == 201
    r = dm.post("/2/tweets", json={"text": "₹" * 141})
    assert r.status_code == 400
    body = r.json()
    assert body["title"] == "Invalid Request"
    assert "text" in body["errors"][0]["parameters"]


@pytest.mark.parametrize("body", [{}, {"text": 5}, {"media": {"media_ids": []}}])
def test_it_rejects_bad_input(dm, body):
    assert dm.post("/2/tweets", json=body).status_code == 400


def test_it_rejects_a_body_that_is_not_json(dm):
    r = dm.post("/2/tweets", content=b"not json", headers={"content-type": "application/json"})
    assert r.status_code == 400


def test_it_threads_replies_and_refuses_replies_to_strangers(xsandbox, dm):
    first = dm.post("/2/tweets", json={"text": "1/2"}).json()["data"]["id"]
    r = dm.post("/2/tweets", json={"text": "2/2", "reply": {"in_reply_to_tweet_id": first}})
    assert r.status_code == 201
    stranger = xsandbox.call("POST", "tweets", json={"username": "DmDausa", "text": "x"})
    xsandbox.create_user("citizen")
    other = xsandbox.call("POST", "tweets", json={"username": "citizen", "text": "no mention"})
    mention = xsandbox.call("POST", "tweets", json={"username": "citizen", "text": "@DmDausa hi"})
    assert stranger["data"]["id"]
    reply = {"text": "ok", "reply": {"in_reply_to_tweet_id": other["data"]["id"]}}
    r = dm.post("/2/tweets", json=reply)
    assert r.status_code == 403
    assert "not allowed" in r.json()["detail"]
    reply["reply"]["in_reply_to_tweet_id"] = mention["data"]["id"]
    assert dm.post("/2/tweets", json=reply).status_code == 201
    reply["reply"]["in_reply_to_tweet_id"] = "123"
    assert dm.post("/2/tweets", json=reply).status_code == 400


def test_it_quotes_a_post(dm):
    first = dm.post("/2/tweets", json={"text": "original"}).json()["data"]["id"]
    assert dm.post("/2/tweets", json={"text": "q", "quote_tweet_id": first}).status_code == 201
    assert dm.post("/2/tweets", json={"text": "q2", "quote_tweet_id": "9"}).status_code == 400


def test_it_deletes_only_own_posts(xsandbox, dm):
    tid = dm.post("/2/tweets", json={"text": "delete me"}).json()["data"]["id"]
    other = xsandbox.client_for("other")
    assert other.delete(f"/2/tweets/{tid}").status_code == 403
    r = dm.delete(f"/2/tweets/{tid}")
    assert r.json() == {"data": {"deleted": True}}
    assert r.headers["x-rate-limit-limit"] == "50"
    assert dm.get(f"/2/tweets/{tid}").json()["errors"][0]["resource_id"] == tid


def test_it_needs_user_context_to_post(xsandbox):
    app = xsandbox.client(xsandbox.app_token())
    r = app.post("/2/tweets", json={"text": "hello"})
    assert r.status_code == 403
    assert r.json()["title"] == "Unsupported Authentication"


def test_it_answers_401_without_rate_limit_headers(xsandbox):
    for client in (xsandbox.client(), xsandbox.client("wrong-token")):
        r = client.post("/2/tweets", json={"text": "hello"})
        assert r.status_code == 401
        assert r.json() == {
            "title": "Unauthorized",
            "type": "about:blank",
            "status": 401,
            "detail": "Unauthorized",
        }
        assert not any(h.startswith("x-rate-limit") for h in r.headers)


def test_it_needs_the_tweet_write_scope(xsandbox):
    reader = xsandbox.client_for("reader", scopes="tweet.read users.read")
    assert reader.post("/2/tweets", json={"text": "hi"}).status_code == 403


def test_it_looks_up_posts_with_public_metrics(xsandbox, dm):
    tid = dm.post("/2/tweets", json={"text": "metrics"}).json()["data"]["id"]
    xsandbox.create_user("fan")
    xsandbox.call("POST", "retweets", json={"username": "fan", "tweet_id": tid})
    xsandbox.call("POST", "likes", json={"username": "fan", "tweet_id": tid})
    r = dm.get(
        "/2/tweets",
        params={
            "ids": f"{tid},42",
            "tweet.fields": "public_metrics,created_at,author_id",
            "expansions": "author_id",
        },
    )
    body = r.json()
    metrics = body["data"][0]["public_metrics"]
    assert metrics["retweet_count"] == 1 and metrics["like_count"] == 1
    assert body["errors"][0]["resource_id"] == "42"
    assert body["includes"]["users"][0]["username"] == "DmDausa"
    assert r.headers["x-rate-limit-limit"] == "5000"


def test_it_answers_in_post_vocabulary_when_asked(dm):
    tid = dm.post("/2/tweets", json={"text": "vocab"}).json()["data"]["id"]
    post = dm.get(f"/2/tweets/{tid}", params={"post.fields": "public_metrics"}).json()
    assert "repost_count" in post["data"]["public_metrics"]
    assert "retweet_count" not in post["data"]["public_metrics"]
    tweet = dm.get(f"/2/tweets/{tid}", params={"tweet.fields": "public_metrics"}).json()
    assert "retweet_count" in tweet["data"]["public_metrics"]


def test_it_shows_private_metrics_only_on_own_recent_posts(xsandbox):
    dm = xsandbox.client_for("DmDausa", expires_in=None)
    tid = dm.post("/2/tweets", json={"text": "private"}).json()["data"]["id"]
    fields = {"tweet.fields": "non_public_metrics,organic_metrics"}
    own = dm.get(f"/2/tweets/{tid}", params=fields).json()
    assert own["data"]["non_public_metrics"] == {"impression_count": 0}
    assert "errors" not in own
    other = xsandbox.client_for("other").get(f"/2/tweets/{tid}", params=fields).json()
    assert "non_public_metrics" not in other["data"]
    assert {e["field"] for e in other["errors"]} == {"non_public_metrics", "organic_metrics"}
    app = xsandbox.client(xsandbox.app_token()).get(f"/2/tweets/{tid}", params=fields).json()
    assert len(app["errors"]) == 2
    xsandbox.advance(31 * 24 * 3600)
    assert "errors" in dm.get(f"/2/tweets/{tid}", params=fields).json()


def test_it_answers_a_missing_post_with_200_errors_or_404(xsandbox, dm):
    r = dm.get("/2/tweets/123")
    assert r.status_code == 200
    assert r.json()["errors"][0]["title"] == "Not Found Error"
    xsandbox.call("POST", "settings", json={"missing_tweet_status": 404})
    r = dm.get("/2/tweets/123")
    assert r.status_code == 404
    assert r.json()["resource_type"] == "tweet"
    assert dm.get("/2/tweets/abc").status_code == 400


def test_it_limits_lookups_to_100_ids(dm):
    ids = ",".join(str(i) for i in range(1, 102))
    assert dm.get("/2/tweets", params={"ids": ids}).status_code == 400
