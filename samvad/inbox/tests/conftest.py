"""The X side is the local sandbox over loopback, every answer checked against X's OpenAPI
document. Its simulated world is set up first (so that @DmDausa is the world's official account,
with citizens), quiet unless a test turns a rate up; then @DmDausa is connected."""

import pytest

from samvad.content.models import Post
from samvad.inbox.fetch import fetch_mentions
from samvad.inbox.models import Ticket, record_published_replies
from samvad.inbox.services import seed_routing_rules
from samvad.org.models import OfficialAccount
from samvad.publishing.tests.helpers import connect, publish_all

QUIET = {"follow": 0, "unfollow": 0, "mention": 0, "repost": 0, "like": 0, "impression": 0}


def world_rates(box, **rates) -> None:
    """(Re)configure the sandbox's world with these events per sandbox hour, others none."""
    box.call(
        "POST",
        "world",
        json={"preset": "dausa", "citizens": 40, "followers": 10, "rates": QUIET | rates},
    )


@pytest.fixture
def dm(sandbox, world):
    """@DmDausa, the world's official account, connected; Dausa has the suggested rules."""
    world_rates(sandbox)
    account = OfficialAccount.objects.get(handle="DmDausa")
    connect(sandbox, account)
    seed_routing_rules(world.dausa)
    account.refresh_from_db()
    return account


def citizen_posts(box, text: str, *, username: str = "ramesh_1", reply_to=None) -> str:
    """A citizen posts (a mention when the text names @DmDausa); returns the X id."""
    if not box.store.user(username=username):
        box.create_user(username)
    body = {"username": username, "text": text}
    if reply_to:
        body["reply_to"] = reply_to
    return box.call("POST", "tweets", json=body)["data"]["id"]


def fetch(account) -> list[Ticket]:
    """What the fetch job does for one account; returns the tickets opened, oldest first."""
    before = set(Ticket.objects.values_list("pk", flat=True))
    fetch_mentions(account)
    return list(Ticket.objects.exclude(pk__in=before).order_by("pk"))


def publish_and_follow_up() -> int:
    """The publishing job, then the inbox's follow-up job's first half."""
    sent = publish_all()
    record_published_replies()
    return sent


def x_replies(box, account, to: str) -> list[dict]:
    user = box.store.user(username=account.handle)
    return [
        dict(r)
        for r in box.store.all(
            "SELECT * FROM tweets WHERE author_id = ? AND reply_to = ? AND deleted = 0",
            user["id"],
            int(to),
        )
    ]


__all__ = ["Post", "citizen_posts", "fetch", "publish_and_follow_up", "world_rates", "x_replies"]
