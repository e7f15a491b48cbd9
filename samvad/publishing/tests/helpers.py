"""Builders for the publishing tests and the tests of the apps that publish: connected accounts,
photos, approved posts, the publishing job, and what the sandbox holds."""

import hashlib
import io

from django.core.files.base import ContentFile
from django.utils import timezone
from PIL import Image

from samvad.content.models import Media, Post
from samvad.org.models import OfficialAccount
from samvad.platforms.x.models import Connection, RateWindow, seal
from samvad.publishing import publisher


def connect(box, account: OfficialAccount) -> Connection:
    """An account connected with a sandbox token that never expires (no OAuth dance needed)."""
    if not box.store.user(username=account.handle):
        box.create_user(account.handle)
    answer = box.call("POST", "tokens", json={"username": account.handle, "expires_in": None})
    account.x_user_id = answer["user_id"]
    account.save(update_fields=["x_user_id"])
    connection, _ = Connection.objects.update_or_create(
        account=account,
        defaults={
            "kind": Connection.Kind.OAUTH2,
            "status": Connection.Status.CONNECTED,
            "x_user_id": answer["user_id"],
            "access_token_sealed": seal(answer["access_token"]),
            "scopes": answer["scope"],
        },
    )
    return connection


def empty_window(account: OfficialAccount, until) -> RateWindow:
    """The account's posting window as X reports it when spent: nothing left until `until`."""
    return RateWindow.objects.create(
        account=account,
        endpoint=RateWindow.CREATE_POST,
        window=RateWindow.Window.MINUTES_15,
        limit=100,
        remaining=0,
        reset_at=until,
    )


def photo(world, alt_text="नल से जल भरती महिलाएँ") -> Media:
    out = io.BytesIO()
    Image.new("RGB", (64, 48), (200, 80, 20)).save(out, "JPEG")
    data = out.getvalue()
    return Media.objects.create(
        district=world.dausa,
        uploaded_by=world.editor,
        file=ContentFile(data, "photo.jpg"),
        sha256=hashlib.sha256(data).hexdigest(),
        content_type="image/jpeg",
        size=len(data),
        width=64,
        height=48,
        alt_text=alt_text,
    )


def approved(world, account, *texts, at=None, media=()) -> list[Post]:
    """A post (or a thread) approved and scheduled for `at` (now by default)."""
    root = Post.create_thread(
        by=world.editor,
        district=account.district,
        texts=list(texts),
        account=account,
        media=[(m, m.alt_text) for m in media],
    )
    posts = list(root.thread)
    for post in posts:
        post.submit(by=world.editor)
        post.approve(by=world.editor)
        post.schedule(at=at or timezone.now(), by=world.editor)
    return [Post.objects.get(pk=p.pk) for p in posts]


def publish_all() -> int:
    """What the publishing loop does, until nothing is due: the number of posts it tried."""
    return publisher.publish_due()


def x_posts(box, account) -> list[dict]:
    user = box.store.user(username=account.handle)
    return [
        dict(r)
        for r in box.store.all(
            "SELECT * FROM tweets WHERE author_id = ? AND deleted = 0 ORDER BY id", user["id"]
        )
    ]


def posts_sent(box) -> list[dict]:
    return [r for r in box.requests(method="POST", path="/2/tweets") if r["path"] == "/2/tweets"]
