"""X's official Python SDK (`xdk`) works unchanged against the sandbox, for every endpoint Samvad
uses: if X's own client reads the sandbox as it reads X, the sandbox is a fair stand-in.

xdk's models follow X's newer OpenAPI document, in the "post" vocabulary (`post_count`,
`repost_count`). The sandbox answers in the vocabulary a request uses (the contract); xdk's post
endpoints send `post.fields`, and a user lookup that wants public metrics passes xdk's own
`post_fields` to ask in that vocabulary too. The newer document also names its problem types
under api.x.com where the sandbox, like v2.159, names them under api.twitter.com, so xdk cannot
read a not-found answer: that one is checked against v2.159 in test_users.py."""

import pytest

xdk = pytest.importorskip("xdk")


@pytest.fixture
def sdk(xsandbox):
    client = xdk.Client(base_url=xsandbox.base_url, access_token=xsandbox.token("DmDausa"))
    yield client
    client.session.close()


def first_page(pages):
    return next(iter(pages))


def test_xdk_reads_and_writes_the_sandbox_as_it_would_x(xsandbox, sdk):
    xsandbox.create_user("ramesh_1", name="रमेश मीणा")
    xsandbox.call("POST", "follows", json={"followee": "DmDausa", "followers": ["ramesh_1"]})

    ramesh = sdk.users.get_by_username(
        "ramesh_1", user_fields=["public_metrics", "protected"], post_fields=["public_metrics"]
    ).data
    assert (ramesh.username, ramesh.name, ramesh.protected) == ("ramesh_1", "रमेश मीणा", False)
    assert ramesh.public_metrics.following_count == 1

    me = sdk.users.get_me().data
    assert me.username == "DmDausa"
    followers = first_page(sdk.users.get_followers(me.id, max_results=1000))
    assert [u.username for u in followers.data] == ["ramesh_1"]

    post = sdk.posts.create(body={"text": "नमस्ते दौसा"}).data
    assert post.text == "नमस्ते दौसा"
    xsandbox.call("POST", "retweets", json={"tweet_id": post.id, "usernames": ["ramesh_1"]})
    looked_up = sdk.posts.get_by_ids(ids=[post.id], post_fields=["public_metrics"]).data
    assert looked_up[0].public_metrics.repost_count == 1
    reposters = first_page(sdk.posts.get_reposted_by(post.id, max_results=100))
    assert [u.username for u in reposters.data] == ["ramesh_1"]
    asked = xsandbox.call(
        "POST", "tweets", json={"username": "ramesh_1", "text": "@DmDausa पानी कब आएगा?"}
    )["data"]
    mentions = first_page(sdk.users.get_mentions(me.id, max_results=5))
    assert [m.id for m in mentions.data] == [asked["id"]]
    assert sdk.posts.delete(post.id).data.deleted is True

    # Every call was answered by the sandbox's X API, without an error.
    calls = [(r["method"], r["path"], r["status"]) for r in xsandbox.requests()]
    assert ("GET", "/2/users/by/username/ramesh_1", 200) in calls
    assert {m for m, _path, _status in calls} == {"GET", "POST", "DELETE"}
    assert all(status < 400 for _m, _path, status in calls)
