"""User lookups and the follower, following, reposted-by and liking-users lists."""

import pytest


@pytest.fixture
def dm(xsandbox):
    return xsandbox.client_for("DmDausa")


def test_it_looks_up_users_by_name_with_partial_errors(xsandbox, dm):
    xsandbox.create_user("ramesh_1", name="रमेश मीणा", description="दौसा", verified=True)
    r = dm.get(
        "/2/users/by",
        params={
            "usernames": "ramesh_1,nobody",
            "user.fields": "public_metrics,protected,verified,created_at,description",
        },
    )
    body = r.json()
    user = body["data"][0]
    assert user["name"] == "रमेश मीणा" and user["verified"] is True
    assert user["protected"] is False and user["description"] == "दौसा"
    assert set(user["public_metrics"]) == {
        "followers_count",
        "following_count",
        "tweet_count",
        "listed_count",
        "like_count",
        "media_count",
    }
    assert body["errors"][0]["resource_type"] == "user"
    assert body["errors"][0]["type"].endswith("resource-not-found")
    assert r.headers["x-rate-limit-limit"] == "900"


def test_it_answers_only_errors_when_no_user_is_found(dm):
    body = dm.get("/2/users/by", params={"usernames": "nobody"}).json()
    assert "data" not in body and body["errors"][0]["value"] == "nobody"


@pytest.mark.parametrize("usernames", ["", "bad-name", "a" * 16, ",".join(["a"] * 101)])
def test_it_rejects_bad_usernames(dm, usernames):
    r = dm.get("/2/users/by", params={"usernames": usernames})
    assert r.status_code == 400
    assert r.json()["type"] == "https://api.twitter.com/2/problems/invalid-request"


def test_it_looks_up_users_by_id(xsandbox, dm):
    uid = xsandbox.create_user("seema")["id"]
    assert dm.get(f"/2/users/{uid}").json()["data"]["username"] == "seema"
    body = dm.get("/2/users", params={"ids": f"{uid},1"}).json()
    assert [u["id"] for u in body["data"]] == [uid]
    assert body["errors"][0]["resource_id"] == "1"
    assert dm.get("/2/users/1").json()["errors"][0]["parameter"] == "id"
    assert dm.get("/2/users/abc").status_code == 400


def test_it_tells_who_the_token_belongs_to(xsandbox, dm):
    me = dm.get("/2/users/me", params={"user.fields": "public_metrics"}).json()["data"]
    assert me["username"] == "DmDausa"
    app = xsandbox.client(xsandbox.app_token())
    assert app.get("/2/users/me").status_code == 403
    assert app.get(f"/2/users/{me['id']}").status_code == 200


def test_it_counts_followers_and_posts(xsandbox, dm):
    xsandbox.call("POST", "users", json={"count": 3, "prefix": "fan", "follow": "DmDausa"})
    dm.post("/2/tweets", json={"text": "one"})
    metrics = dm.get("/2/users/me", params={"user.fields": "public_metrics"}).json()["data"][
        "public_metrics"
    ]
    assert metrics["followers_count"] == 3 and metrics["tweet_count"] == 1
    post = dm.get("/2/users/me", params={"user.fields": "public_metrics", "post.fields": "id"})
    assert post.json()["data"]["public_metrics"]["post_count"] == 1


def test_it_pages_followers_newest_first(xsandbox, dm):
    xsandbox.call("POST", "users", json={"count": 5, "prefix": "fan", "follow": "DmDausa"})
    for i in range(1, 6):  # later follows are newer
        xsandbox.advance(60)
        xsandbox.call(
            "POST", "follows", json={"follower": f"fan{i}", "followee": "DmDausa", "unfollow": True}
        )
        xsandbox.call("POST", "follows", json={"follower": f"fan{i}", "followee": "DmDausa"})
    uid = xsandbox.store.user(username="DmDausa")["id"]
    first = dm.get(f"/2/users/{uid}/followers", params={"max_results": 2}).json()
    assert [u["username"] for u in first["data"]] == ["fan5", "fan4"]
    assert first["meta"]["result_count"] == 2 and "previous_token" not in first["meta"]
    second = dm.get(
        f"/2/users/{uid}/followers",
        params={"max_results": 2, "pagination_token": first["meta"]["next_token"]},
    )
    assert [u["username"] for u in second.json()["data"]] == ["fan3", "fan2"]
    assert second.json()["meta"]["previous_token"]
    third = dm.get(
        f"/2/users/{uid}/followers",
        params={"max_results": 2, "pagination_token": second.json()["meta"]["next_token"]},
    ).json()
    assert [u["username"] for u in third["data"]] == ["fan1"]
    assert "next_token" not in third["meta"]
    assert second.headers["x-rate-limit-limit"] == "300"


def test_it_lists_following_and_validates_page_size(xsandbox, dm):
    xsandbox.create_user("collector")
    xsandbox.call("POST", "follows", json={"follower": "DmDausa", "followee": "collector"})
    uid = xsandbox.store.user(username="DmDausa")["id"]
    body = dm.get(f"/2/users/{uid}/following").json()
    assert body["data"][0]["username"] == "collector"
    for bad in ("0", "1001", "x"):
        assert dm.get(f"/2/users/{uid}/followers", params={"max_results": bad}).status_code == 400
    r = dm.get(f"/2/users/{uid}/followers", params={"pagination_token": "!!"})
    assert r.status_code == 400
    empty = dm.get(f"/2/users/{uid}/followers").json()
    assert empty == {"meta": {"result_count": 0}}


def test_it_lists_who_reposted_and_liked(xsandbox, dm):
    tid = dm.post("/2/tweets", json={"text": "please share"}).json()["data"]["id"]
    xsandbox.call("POST", "users", json={"count": 3, "prefix": "staff"})
    xsandbox.call("POST", "retweets", json={"usernames": ["staff1", "staff2"], "tweet_id": tid})
    xsandbox.call("POST", "likes", json={"username": "staff3", "tweet_id": tid})
    r = dm.get(f"/2/tweets/{tid}/retweeted_by", params={"max_results": 1})
    assert [u["username"] for u in r.json()["data"]] == ["staff2"]
    assert r.json()["meta"]["next_token"] and r.headers["x-rate-limit-limit"] == "75"
    assert dm.get(f"/2/tweets/{tid}/retweeted_by", params={"max_results": 101}).status_code == 400
    liking = dm.get(f"/2/tweets/{tid}/liking_users").json()
    assert [u["username"] for u in liking["data"]] == ["staff3"]
    app = xsandbox.client(xsandbox.app_token())
    assert app.get(f"/2/tweets/{tid}/liking_users").status_code == 403
    assert app.get(f"/2/tweets/{tid}/retweeted_by").status_code == 200
    assert dm.get("/2/tweets/5/retweeted_by").json()["errors"][0]["resource_type"] == "tweet"


def test_it_looks_up_one_user_by_username_as_x_does(xsandbox, dm):
    xsandbox.create_user("ramesh_1", name="रमेश मीणा")
    r = dm.get("/2/users/by/username/ramesh_1", params={"user.fields": "public_metrics"})
    assert r.json()["data"]["username"] == "ramesh_1"
    assert r.headers["x-rate-limit-limit"] == "900"
    missing = dm.get("/2/users/by/username/nobody").json()
    assert "data" not in missing and missing["errors"][0]["parameter"] == "username"
    assert dm.get("/2/users/by/username/not-a-name!").status_code == 400
