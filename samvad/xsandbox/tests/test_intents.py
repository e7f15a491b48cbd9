"""Web-intent pages: a person confirms a follow, repost, like or post as their sandbox user."""

import pytest


@pytest.fixture
def official_post(xsandbox):
    xsandbox.create_user("DmDausa")
    return xsandbox.call("POST", "tweets", json={"username": "DmDausa", "text": "योजना"})["data"][
        "id"
    ]


def test_it_follows_through_the_follow_intent(xsandbox, official_post):
    client = xsandbox.client()
    page = client.get("/intent/follow", params={"screen_name": "DmDausa"})
    assert page.status_code == 200 and "DmDausa" in page.text
    assert 'name="username"' in page.text
    done = client.post("/intent/follow", data={"screen_name": "DmDausa", "username": "emp_1"})
    assert done.status_code == 200
    employee = xsandbox.store.user(username="emp_1")
    assert xsandbox.store.one("SELECT 1 FROM follows WHERE follower_id = ?", employee["id"])
    assert xsandbox.requests(path="/intent/follow")[-1]["method"] == "POST"


def test_it_reposts_and_likes_through_intents(xsandbox, official_post):
    client = xsandbox.client()
    page = client.get("/intent/retweet", params={"tweet_id": official_post})
    assert "योजना" in page.text
    client.post("/intent/retweet", data={"tweet_id": official_post, "username": "emp_1"})
    client.post("/intent/like", data={"tweet_id": official_post, "username": "emp_1"})
    dm = xsandbox.client_for("DmDausa")
    reposted = dm.get(f"/2/tweets/{official_post}/retweeted_by").json()
    assert [u["username"] for u in reposted["data"]] == ["emp_1"]
    liked = dm.get(f"/2/tweets/{official_post}/liking_users").json()
    assert [u["username"] for u in liked["data"]] == ["emp_1"]


def test_it_posts_through_the_post_intent(xsandbox):
    client = xsandbox.client()
    page = client.get("/intent/post", params={"text": "मेरा दौसा", "url": "https://x.test/a"})
    assert "मेरा दौसा https://x.test/a" in page.text
    client.post("/intent/post", data={"text": "मेरा दौसा", "username": "emp_2"})
    assert xsandbox.store.one("SELECT text FROM tweets")["text"] == "मेरा दौसा"


def test_it_says_when_the_target_is_missing(xsandbox):
    client = xsandbox.client()
    assert client.get("/intent/follow", params={"screen_name": "nobody"}).status_code == 404
    assert client.get("/intent/like", params={"tweet_id": "1"}).status_code == 404


def test_it_asks_again_for_a_bad_username(xsandbox, official_post):
    client = xsandbox.client()
    r = client.post("/intent/follow", data={"screen_name": "DmDausa", "username": "bad name"})
    assert r.status_code == 200 and 'name="username"' in r.text
    assert xsandbox.store.one("SELECT count(*) AS n FROM follows")["n"] == 0


def test_it_speaks_hindi_by_default_and_english_on_request(xsandbox, official_post):
    client = xsandbox.client()
    english = client.get("/intent/follow", params={"screen_name": "DmDausa", "lang": "en"})
    assert "Follow @DmDausa" in english.text
    hindi = client.get("/intent/follow", params={"screen_name": "DmDausa"})
    assert 'lang="hi"' in hindi.text


def test_a_post_has_its_own_page_as_on_x(xsandbox, official_post):
    client = xsandbox.client()
    page = client.get(f"/DmDausa/status/{official_post}")
    assert page.status_code == 200 and "योजना" in page.text and "@DmDausa" in page.text
    assert client.get(f"/i/status/{official_post}").status_code == 200
    assert client.get(f"/someone/status/{official_post}").status_code == 404
    assert client.get("/DmDausa/status/1").status_code == 404
