"""Media upload: simple (multipart or base64 JSON) and chunked with processing on the clock."""

import base64

import pytest

PNG = b"\x89PNG\r\n\x1a\n" + b"0" * 100


@pytest.fixture
def dm(xsandbox):
    return xsandbox.client_for("DmDausa")


def test_it_uploads_an_image_as_multipart_and_attaches_it(dm):
    r = dm.post(
        "/2/media/upload",
        files={"media": ("a.png", PNG, "image/png")},
        data={"media_category": "tweet_image"},
    )
    assert r.status_code == 200
    data = r.json()["data"]
    assert data["size"] == len(PNG) and data["media_key"] == f"3_{data['id']}"
    assert r.headers["x-rate-limit-limit"] == "500"
    post = dm.post("/2/tweets", json={"text": "photo", "media": {"media_ids": [data["id"]]}})
    assert post.status_code == 201
    tweet = dm.get(
        f"/2/tweets/{post.json()['data']['id']}", params={"tweet.fields": "attachments"}
    ).json()["data"]
    assert tweet["attachments"]["media_keys"] == [data["media_key"]]


def test_alt_text_is_kept_with_the_media_and_shown_with_the_post(dm):
    media = dm.post("/2/media/upload", files={"media": ("a.png", PNG, "image/png")}).json()["data"]
    r = dm.post(
        "/2/media/metadata", json={"id": media["id"], "metadata": {"alt_text": {"text": "नल से जल"}}}
    )
    assert r.status_code == 200
    assert r.json()["data"]["associated_metadata"]["alt_text"]["text"] == "नल से जल"
    post = dm.post("/2/tweets", json={"text": "photo", "media": {"media_ids": [media["id"]]}})
    expand = {"expansions": "attachments.media_keys", "media.fields": "alt_text"}
    body = dm.get(f"/2/tweets/{post.json()['data']['id']}", params=expand).json()
    assert body["includes"]["media"] == [
        {"media_key": media["media_key"], "type": "photo", "alt_text": "नल से जल"}
    ]
    too_long = dm.post(
        "/2/media/metadata",
        json={"id": media["id"], "metadata": {"alt_text": {"text": "x" * 1001}}},
    )
    assert too_long.status_code == 400
    someone_elses = dm.post(
        "/2/media/metadata", json={"id": "1", "metadata": {"alt_text": {"text": "x"}}}
    )
    assert someone_elses.status_code == 404


def test_it_uploads_an_image_as_base64_json(dm):
    r = dm.post(
        "/2/media/upload",
        json={"media": base64.b64encode(PNG).decode(), "media_category": "tweet_image"},
    )
    assert r.json()["data"]["size"] == len(PNG)
    assert (
        dm.post(
            "/2/media/upload", json={"media": "%%%", "media_category": "tweet_image"}
        ).status_code
        == 400
    )


def test_it_refuses_unknown_or_too_many_media(xsandbox, dm):
    ids = [
        dm.post(
            "/2/media/upload",
            json={"media": base64.b64encode(PNG).decode(), "media_category": "tweet_image"},
        ).json()["data"]["id"]
        for _ in range(5)
    ]
    assert dm.post("/2/tweets", json={"text": "5", "media": {"media_ids": ids}}).status_code == 400
    r = dm.post("/2/tweets", json={"text": "?", "media": {"media_ids": ["123"]}})
    assert r.status_code == 400
    other = xsandbox.client_for("other")
    assert (
        other.post("/2/tweets", json={"text": "x", "media": {"media_ids": ids[:1]}}).status_code
        == 400
    )


def test_it_needs_user_context_and_media_write(xsandbox):
    app = xsandbox.client(xsandbox.app_token())
    assert app.post("/2/media/upload", files={"media": PNG}).status_code == 403
    reader = xsandbox.client_for("reader", scopes="tweet.read tweet.write users.read")
    assert reader.post("/2/media/upload", files={"media": PNG}).status_code == 403


def test_it_uploads_a_video_in_chunks_and_processes_it(xsandbox, dm):
    video = b"v" * 3000
    init = dm.post(
        "/2/media/upload/initialize",
        json={
            "media_type": "video/mp4",
            "total_bytes": len(video),
            "media_category": "tweet_video",
        },
    )
    media_id = init.json()["data"]["id"]
    assert init.headers["x-rate-limit-limit"] == "1875"
    for index, start in enumerate(range(0, len(video), 1000)):
        r = dm.post(
            f"/2/media/upload/{media_id}/append",
            files={"media": video[start : start + 1000]},
            data={"segment_index": index},
        )
        assert r.status_code == 200 and r.json()["data"]["expires_at"] > 0
    final = dm.post(f"/2/media/upload/{media_id}/finalize").json()["data"]
    assert final["processing_info"]["state"] == "pending"
    assert (
        dm.post("/2/tweets", json={"text": "video", "media": {"media_ids": [media_id]}}).status_code
        == 400
    )

    def state():
        r = dm.get("/2/media/upload", params={"command": "STATUS", "media_id": media_id})
        return r.json()["data"]["processing_info"]["state"]

    xsandbox.advance(2)
    assert state() == "in_progress"
    xsandbox.advance(5)
    assert state() == "succeeded"
    assert (
        dm.post("/2/tweets", json={"text": "video", "media": {"media_ids": [media_id]}}).status_code
        == 201
    )


def test_it_refuses_a_finalize_before_all_bytes_arrive(dm):
    init = dm.post(
        "/2/media/upload/initialize",
        json={"media_type": "video/mp4", "total_bytes": 10, "media_category": "tweet_video"},
    )
    media_id = init.json()["data"]["id"]
    assert dm.post(f"/2/media/upload/{media_id}/finalize").status_code == 400
    r = dm.post(f"/2/media/upload/{media_id}/append", files={"media": b"x"})
    assert r.status_code == 400  # no segment_index
    assert dm.get("/2/media/upload", params={"media_id": "999"}).status_code == 404


def test_it_refuses_media_over_the_size_limit(dm):
    r = dm.post(
        "/2/media/upload/initialize",
        json={"media_type": "image/png", "total_bytes": 6 * 2**20, "media_category": "tweet_image"},
    )
    assert r.status_code == 400
