"""What the inbox relies on from the sandbox, as X does it: a mention's context expanded
(referenced posts and their authors, valid against X's document), and a reply counting as a
mention of the account it answers."""


def test_mentions_expand_the_posts_they_reply_to(xsandbox):
    dm = xsandbox.client_for("DmDausa", expires_in=None)
    xsandbox.create_user("sunita_2")
    official = xsandbox.call(
        "POST", "tweets", json={"username": "DmDausa", "text": "कल जनसुनवाई होगी"}
    )["data"]
    reply = xsandbox.call(
        "POST",
        "tweets",
        json={"username": "sunita_2", "text": "कहाँ पर?", "reply_to": official["id"]},
    )["data"]
    dm_id = xsandbox.store.user(username="DmDausa")["id"]
    body = dm.get(
        f"/2/users/{dm_id}/mentions",
        params={
            "tweet.fields": "author_id,conversation_id,referenced_tweets",
            "expansions": "author_id,referenced_tweets.id,referenced_tweets.id.author_id",
        },
    ).json()
    [mention] = body["data"]
    assert mention["id"] == reply["id"] and mention["conversation_id"] == official["id"]
    assert mention["referenced_tweets"] == [{"type": "replied_to", "id": official["id"]}]
    assert [t["text"] for t in body["includes"]["tweets"]] == ["कल जनसुनवाई होगी"]
    assert {u["username"] for u in body["includes"]["users"]} == {"DmDausa", "sunita_2"}


def test_without_the_expansion_no_context_is_included(xsandbox):
    dm = xsandbox.client_for("DmDausa", expires_in=None)
    xsandbox.create_user("sunita_2")
    xsandbox.call("POST", "tweets", json={"username": "sunita_2", "text": "@DmDausa नमस्ते"})
    dm_id = xsandbox.store.user(username="DmDausa")["id"]
    body = dm.get(f"/2/users/{dm_id}/mentions").json()
    assert "includes" not in body and len(body["data"]) == 1
