"""Mentions, an account's own posts and recent search: id cursors, pages and windows."""

import pytest


@pytest.fixture
def dm(xsandbox):
    return xsandbox.client_for("DmDausa", expires_in=None)


@pytest.fixture
def dm_id(xsandbox, dm):
    return xsandbox.store.user(username="DmDausa")["id"]


def mention(xsandbox, text, username="citizen"):
    if not xsandbox.store.user(username=username):
        xsandbox.create_user(username)
    return xsandbox.call("POST", "tweets", json={"username": username, "text": text})["data"]["id"]


def test_it_pages_mentions_newest_first(xsandbox, dm, dm_id):
    ids = [mention(xsandbox, f"@DmDausa सड़क {i}") for i in range(7)]
    mention(xsandbox, "no mention here")
    r = dm.get(
        f"/2/users/{dm_id}/mentions",
        params={"max_results": 5, "tweet.fields": "author_id,created_at"},
    )
    page = r.json()
    assert [t["id"] for t in page["data"]] == ids[::-1][:5]
    assert page["meta"]["newest_id"] == ids[-1] and page["meta"]["oldest_id"] == ids[2]
    assert page["meta"]["result_count"] == 5
    assert r.headers["x-rate-limit-limit"] == "300"
    rest = dm.get(
        f"/2/users/{dm_id}/mentions",
        params={"max_results": 5, "pagination_token": page["meta"]["next_token"]},
    ).json()
    assert [t["id"] for t in rest["data"]] == ids[1::-1]
    assert "next_token" not in rest["meta"]
    back = dm.get(
        f"/2/users/{dm_id}/mentions",
        params={"max_results": 5, "pagination_token": rest["meta"]["previous_token"]},
    ).json()
    assert [t["id"] for t in back["data"]] == ids[::-1][:5]


def test_it_filters_mentions_by_since_and_until_id(xsandbox, dm, dm_id):
    ids = [mention(xsandbox, f"@DmDausa पानी {i}") for i in range(6)]
    body = dm.get(f"/2/users/{dm_id}/mentions", params={"since_id": ids[3]}).json()
    assert [t["id"] for t in body["data"]] == [ids[5], ids[4]]
    body = dm.get(f"/2/users/{dm_id}/mentions", params={"until_id": ids[2]}).json()
    assert [t["id"] for t in body["data"]] == [ids[1], ids[0]]
    empty = dm.get(f"/2/users/{dm_id}/mentions", params={"since_id": ids[5]}).json()
    assert empty == {"meta": {"result_count": 0}}


@pytest.mark.parametrize("max_results", ["4", "101"])
def test_it_rejects_mention_page_sizes_out_of_range(dm, dm_id, max_results):
    r = dm.get(f"/2/users/{dm_id}/mentions", params={"max_results": max_results})
    assert r.status_code == 400


def test_it_reaches_only_the_newest_800_mentions(xsandbox, dm, dm_id):
    citizen = xsandbox.create_user("citizen")["id"]
    for i in range(805):
        xsandbox.store.create_tweet(citizen, f"@DmDausa {i}")
    seen, token = [], None
    while True:
        params = {"max_results": 100} | ({"pagination_token": token} if token else {})
        body = dm.get(f"/2/users/{dm_id}/mentions", params=params).json()
        seen += body.get("data", [])
        if not (token := body["meta"].get("next_token")):
            break
    assert len(seen) == 800
    assert seen[-1]["text"] == "@DmDausa 5"


def test_it_lists_the_accounts_own_posts(xsandbox, dm, dm_id):
    first = dm.post("/2/tweets", json={"text": "पहला"}).json()["data"]["id"]
    reply = dm.post("/2/tweets", json={"text": "दूसरा", "reply": {"in_reply_to_tweet_id": first}})
    body = dm.get(
        f"/2/users/{dm_id}/tweets",
        params={"tweet.fields": "created_at,referenced_tweets,in_reply_to_user_id,conversation_id"},
    ).json()
    assert [t["id"] for t in body["data"]] == [reply.json()["data"]["id"], first]
    assert body["data"][0]["referenced_tweets"] == [{"type": "replied_to", "id": first}]
    assert body["data"][0]["conversation_id"] == first
    no_replies = dm.get(f"/2/users/{dm_id}/tweets", params={"exclude": "replies"}).json()
    assert [t["id"] for t in no_replies["data"]] == [first]


def test_it_searches_the_last_seven_days(xsandbox, dm):
    old = mention(xsandbox, "@DmDausa पुरानी शिकायत")
    xsandbox.advance(8 * 24 * 3600)
    new = mention(xsandbox, "@DmDausa water supply in ward 5 is irregular")
    mention(xsandbox, "water everywhere", username="other")
    r = dm.get("/2/tweets/search/recent", params={"query": "@DmDausa"})
    assert [t["id"] for t in r.json()["data"]] == [new]
    assert old not in r.text
    assert r.headers["x-rate-limit-limit"] == "300"
    body = dm.get("/2/tweets/search/recent", params={"query": "from:citizen water"}).json()
    assert [t["id"] for t in body["data"]] == [new]
    body = dm.get("/2/tweets/search/recent", params={"query": "WATER -from:citizen"}).json()
    assert [t["text"] for t in body["data"]] == ["water everywhere"]
    assert dm.get("/2/tweets/search/recent", params={"query": "x" * 513}).status_code == 400
    assert (
        dm.get("/2/tweets/search/recent", params={"query": "water", "max_results": 9}).status_code
        == 400
    )


def test_it_pages_search_results_with_next_token(xsandbox, dm):
    for i in range(12):
        mention(xsandbox, f"@DmDausa बिजली {i}")
    first = dm.get("/2/tweets/search/recent", params={"query": "बिजली"}).json()
    assert first["meta"]["result_count"] == 10
    rest = dm.get(
        "/2/tweets/search/recent",
        params={"query": "बिजली", "next_token": first["meta"]["next_token"]},
    ).json()
    assert [t["text"] for t in rest["data"]] == ["@DmDausa बिजली 1", "@DmDausa बिजली 0"]
