"""Acceptance 3: X answers 5xx and times out for a while, then 429 with a reset time. Posts are
delayed, never lost, never doubled, and nothing is sent to POST /2/tweets before the reset."""

import time
from datetime import UTC, datetime, timedelta

import httpx
import pytest
import time_machine
from django.utils import timezone

from samvad.content.models import Post
from samvad.platforms.x import client as x_client
from samvad.publishing import publisher
from samvad.publishing.tests.helpers import approved, connect, posts_sent, publish_all, x_posts
from samvad.xsandbox.testing import check_response

pytestmark = pytest.mark.django_db


def test_an_outage_delays_posts_but_never_loses_or_doubles_them(
    sandbox, dausa, world, settings, monkeypatch
):
    settings.SAMVAD_RECONCILE_GRACE_SECONDS = 60
    # A short timeout, so that an answer X holds back counts as a timeout in this test.
    monkeypatch.setattr(
        x_client,
        "HTTP",
        httpx.Client(timeout=httpx.Timeout(1.0), event_hooks={"response": [check_response]}),
    )
    connect(sandbox, dausa)
    texts = [f"जिला प्रशासन सूचना {n}" for n in range(6)]
    posts = [approved(world, dausa, text)[0] for text in texts]

    # The outage: two 5xx (nothing created), a hung answer and a cut connection (both created).
    sandbox.fault(kind="error", status=503, count=2, path="/2/tweets")
    sandbox.fault(kind="timeout_after_create", mode="hang", seconds=2, count=1)
    sandbox.fault(kind="timeout_after_create", mode="drop", count=1)
    for _ in range(4):
        publisher.publish(publisher.claim())
    assert [p.state for p in Post.objects.filter(pk__in=[p.pk for p in posts[:4]])] == [
        Post.State.UNCERTAIN
    ] * 4
    # The sandbox logs a request when it has answered it: wait until the hung one is logged.
    deadline = time.monotonic() + 10
    while len(posts_sent(sandbox)) < 4 and time.monotonic() < deadline:
        time.sleep(0.1)

    # Then a 429: the account pauses until its reset, and so do the uncertain posts X does not
    # have; the last post is not even claimed.
    sandbox.fault(kind="rate_limit", count=1, path="/2/tweets")
    publish_all()
    refused = posts_sent(sandbox)[-1]
    assert refused["status"] == 429
    publisher.reconcile()  # finds the two that X created
    with time_machine.travel(timezone.now() + timedelta(seconds=61)):
        publisher.reconcile()  # the two that X never had are let go again...
        assert publish_all() == 0  # ...and wait for the reset, unclaimed
    states = {p.text: p.state for p in Post.objects.all()}
    assert sorted(states.values()) == sorted(
        [Post.State.PUBLISHED] * 2 + [Post.State.RETRY_WAIT] * 3 + [Post.State.APPROVED]
    )
    reset = Post.objects.get(pk=posts[4].pk).retry_at
    assert reset > timezone.now() + timedelta(minutes=5)

    with time_machine.travel(reset + timedelta(seconds=1)):
        publish_all()

    assert set(Post.objects.values_list("state", flat=True)) == {Post.State.PUBLISHED}
    assert sorted(t["text"] for t in x_posts(sandbox, dausa)) == sorted(texts)  # once each
    after_429 = [r for r in posts_sent(sandbox) if r["id"] > refused["id"]]
    assert after_429, "the posts went out after the reset"
    assert all(datetime.fromtimestamp(r["time"], UTC) >= reset for r in after_429), (
        reset,
        [datetime.fromtimestamp(r["time"], UTC) for r in after_429],
    )
