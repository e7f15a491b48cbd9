"""The publisher and the reconciler against the sandbox, one response class at a time
(DESIGN.md invariants 3 to 7)."""

import json
from datetime import timedelta

import pytest
import time_machine
from django.db import IntegrityError, transaction
from django.utils import timezone, translation

from samvad.audit.models import AuditEvent
from samvad.content.models import DistrictSettings, Post
from samvad.org.models import OfficialAccount
from samvad.platforms.x.models import Connection
from samvad.publishing import publisher
from samvad.publishing.models import Attempt
from samvad.publishing.publisher import publish_due
from samvad.publishing.tests.helpers import (
    approved,
    connect,
    empty_window,
    photo,
    posts_sent,
    publish_all,
    x_posts,
)


@pytest.fixture(autouse=True)
def _english():
    # These tests compare X's and our messages with their English wording.
    with translation.override("en"):
        yield


pytestmark = pytest.mark.django_db


@pytest.fixture
def dm(sandbox, dausa):
    connect(sandbox, dausa)
    return dausa


def state(post) -> str:
    return Post.objects.get(pk=post.pk).state


def test_it_publishes_a_due_post_and_links_it(sandbox, dm, world):
    [post] = approved(world, dm, "हर घर जल योजना की जानकारी")

    publish_due()

    post.refresh_from_db()
    [tweet] = x_posts(sandbox, dm)
    assert post.state == Post.State.PUBLISHED
    assert post.x_post_id == str(tweet["id"])
    # the sandbox's page of the post: in production, x.com's (SAMVAD_X_WEB_BASE_URL)
    assert post.x_url == f"{sandbox.base_url}/DmDausa/status/{tweet['id']}"
    assert Attempt.objects.get(post=post).outcome == Attempt.Outcome.PUBLISHED


def test_it_does_not_publish_before_the_scheduled_time(sandbox, dm, world):
    [post] = approved(world, dm, "कल की बैठक", at=timezone.now() + timedelta(hours=1))

    assert publish_all() == 0
    assert state(post) == Post.State.APPROVED and posts_sent(sandbox) == []


def test_it_posts_a_thread_in_order_with_media_uploaded_first(sandbox, dm, world):
    first, second = approved(world, dm, "पहली पोस्ट", "दूसरी पोस्ट", media=[photo(world)])

    assert publish_all() == 2

    one, two = x_posts(sandbox, dm)
    assert (one["text"], two["text"]) == ("पहली पोस्ट", "दूसरी पोस्ट")
    assert two["reply_to"] == one["id"] and one["reply_to"] is None
    media_ids = json.loads(one["media_ids"])
    assert len(media_ids) == 1 and json.loads(two["media_ids"]) == []
    assert Attempt.objects.get(post=first).media_ids == media_ids
    [alt] = sandbox.store.all(
        "SELECT alt_text FROM media_metadata WHERE media_id = ?", media_ids[0]
    )
    assert alt["alt_text"] == "नल से जल भरती महिलाएँ"
    paths = [r["path"] for r in sandbox.requests() if r["method"] == "POST"]
    assert paths == ["/2/media/upload", "/2/media/metadata", "/2/tweets", "/2/tweets"]


def test_an_account_whose_window_is_empty_is_not_claimed_until_the_reset(sandbox, dm, world):
    reset = timezone.now() + timedelta(minutes=9)
    empty_window(dm, until=reset)
    [post] = approved(world, dm, "सीमा के बाद")

    assert publish_all() == 0

    assert state(post) == Post.State.APPROVED and posts_sent(sandbox) == []
    with time_machine.travel(reset + timedelta(seconds=1)):
        publish_all()
    assert state(post) == Post.State.PUBLISHED


def test_a_backlog_longer_than_a_page_does_not_hide_another_accounts_due_post(sandbox, dm, world):
    # Claims read due posts a page (200) at a time; the first pages here are all a paused
    # account's backlog, due at the same moment as the one post that may go out, which was
    # written last.
    collector = OfficialAccount.objects.create(district=world.dausa, handle="CollectorDausa")
    connect(sandbox, collector)
    empty_window(dm, until=timezone.now() + timedelta(minutes=9))
    backlog = Post.objects.bulk_create(
        Post(district=world.dausa, account=dm, created_by=world.editor, text=f"सूचना {n}")
        for n in range(450)
    )
    due = timezone.now() - timedelta(hours=1)
    for post in backlog:
        post.content_hash = post.approved_hash = post.compute_hash()
        post.state, post.scheduled_at = Post.State.APPROVED, due
    Post.objects.bulk_update(backlog, ["content_hash", "approved_hash", "state", "scheduled_at"])
    [waiting] = approved(world, collector, "कलेक्टर कार्यालय की सूचना", at=due)

    assert Post.claim() == waiting
    assert Post.claim() is None


def test_a_429_pauses_the_whole_account_until_its_reset_with_one_audit_row(sandbox, dm, world):
    sandbox.fault(kind="rate_limit", count=1, path="/2/tweets")
    posts = [approved(world, dm, f"४२९ के बाद {n}")[0] for n in range(5)]
    start = timezone.now()
    audit_rows = AuditEvent.objects.filter(action__startswith="post.", at__gte=start)

    with time_machine.travel(start, tick=False):
        publish_all()
        [refused] = posts_sent(sandbox)
        assert refused["status"] == 429
        reset = Post.objects.get(pk=posts[0].pk).retry_at
        assert reset > start + timedelta(minutes=10)
        # The post that met the 429 went back with the reset as its time: one claim, one row.
        assert list(audit_rows.order_by("pk").values_list("action", flat=True)) == [
            "post.claim",
            "post.retry_wait",
        ]
    for moment in (start + timedelta(minutes=5), reset - timedelta(seconds=1)):
        with time_machine.travel(moment, tick=False):
            assert publish_all() == 0
    assert audit_rows.count() == 2 and len(posts_sent(sandbox)) == 1
    assert [state(p) for p in posts[1:]] == [Post.State.APPROVED] * 4

    with time_machine.travel(reset + timedelta(seconds=1), tick=False):
        publish_all()
    assert {state(p) for p in posts} == {Post.State.PUBLISHED}
    assert [r["status"] for r in posts_sent(sandbox)] == [429] + [201] * 5


def test_it_marks_a_post_uncertain_when_the_answer_is_lost_and_the_reconciler_finds_it(
    sandbox, dm, world
):
    sandbox.fault(kind="timeout_after_create", mode="drop", count=1)
    [post] = approved(world, dm, "उत्तर खो गया")

    publish_all()

    assert state(post) == Post.State.UNCERTAIN
    assert publish_all() == 0  # never blindly sent again
    publisher.reconcile()
    post.refresh_from_db()
    [tweet] = x_posts(sandbox, dm)
    assert post.state == Post.State.PUBLISHED and post.x_post_id == str(tweet["id"])
    assert len(posts_sent(sandbox)) == 1


def test_it_posts_again_only_after_the_grace_period_when_x_does_not_have_it(
    sandbox, dm, world, settings
):
    settings.SAMVAD_RECONCILE_GRACE_SECONDS = 120
    sandbox.fault(kind="error", status=503, count=1, path="/2/tweets")
    [post] = approved(world, dm, "५०३ के बाद")

    publish_all()
    publisher.reconcile()
    assert state(post) == Post.State.UNCERTAIN

    with time_machine.travel(timezone.now() + timedelta(seconds=121)):
        publisher.reconcile()
        assert state(post) == Post.State.RETRY_WAIT
        publish_all()
    assert state(post) == Post.State.PUBLISHED
    assert len(x_posts(sandbox, dm)) == 1


def test_a_post_whose_worker_died_after_sending_is_found_on_x(sandbox, dm, world):
    [post] = approved(world, dm, "पहले ही भेजी गई")
    attempt = publisher.claim()
    # The claimed attempt reached X, but its worker died before it heard back.
    sandbox.call("POST", "tweets", json={"username": "DmDausa", "text": "पहले ही भेजी गई"})
    post.refresh_from_db()
    with time_machine.travel(post.lease_until + timedelta(seconds=1)):
        publisher.reconcile()  # the lease ran out: uncertain, and found on X
    post.refresh_from_db()
    assert post.state == Post.State.PUBLISHED
    assert Attempt.objects.get(pk=attempt.pk).outcome == ""


def test_it_resolves_a_duplicate_refusal_by_reading_the_timeline(sandbox, dm, world):
    [post] = approved(world, dm, "दोबारा नहीं")
    sandbox.call("POST", "tweets", json={"username": "DmDausa", "text": "दोबारा नहीं"})

    publish_all()

    post.refresh_from_db()
    assert post.state == Post.State.UNCERTAIN and "duplicate" in post.last_error
    publisher.reconcile()
    assert state(post) == Post.State.PUBLISHED


def test_it_fails_a_post_with_xs_message_when_x_refuses_it(sandbox, dm, world):
    first, second = approved(world, dm, "मूल पोस्ट", "जवाब")
    publisher.publish(publisher.claim())
    first.refresh_from_db()
    sandbox.client_for("DmDausa").delete(f"/2/tweets/{first.x_post_id}")

    publish_all()

    second.refresh_from_db()
    assert second.state == Post.State.FAILED
    assert "replying to does not exist" in second.last_error


def test_it_keeps_the_post_waiting_when_the_account_must_be_connected_again(sandbox, dm, world):
    connection = Connection.objects.get(account=dm)
    connection.store_tokens(access="revoked-token")
    [post] = approved(world, dm, "टोकन खत्म")

    publish_all()

    post.refresh_from_db()
    connection.refresh_from_db()
    assert post.state == Post.State.RETRY_WAIT and post.retry_at > timezone.now()
    assert connection.status == Connection.Status.NEEDS_RECONNECT


def test_it_stops_at_the_usage_cap_without_touching_the_accounts_other_posts(sandbox, dm, world):
    sandbox.fault(kind="usage_cap", username="DmDausa")
    [first] = approved(world, dm, "क्रेडिट खत्म")
    [later] = approved(world, dm, "बाद वाली", at=timezone.now() + timedelta(hours=2))

    publish_all()

    first.refresh_from_db()
    assert first.state == Post.State.RETRY_WAIT and "usage cap" in first.last_error.lower()
    assert state(later) == Post.State.APPROVED
    assert Connection.objects.get(account=dm).usage_capped_at is not None
    assert len(posts_sent(sandbox)) == 1


def test_a_paused_district_publishes_nothing_new_but_finishes_what_is_in_flight(sandbox, dm, world):
    [in_flight] = approved(world, dm, "उड़ान में")
    [waiting] = approved(world, dm, "रुकी हुई")
    attempt = publisher.claim()
    DistrictSettings.of(world.dausa).set_paused(True, by=world.admin)

    publisher.publish(attempt)
    assert publish_all() == 0

    assert state(in_flight) == Post.State.PUBLISHED and state(waiting) == Post.State.APPROVED
    DistrictSettings.of(world.dausa).set_paused(False, by=world.admin)
    publish_all()
    assert state(waiting) == Post.State.PUBLISHED


def test_a_vanished_workers_post_is_reconciled_not_sent_twice(sandbox, dm, world, settings):
    settings.SAMVAD_RECONCILE_GRACE_SECONDS = 60
    [post] = approved(world, dm, "मजदूर गायब")
    attempt = publisher.claim()  # and the worker dies before calling X
    later = attempt.lease_until + timedelta(seconds=1)

    with time_machine.travel(later):
        assert publish_all() == 0  # one in flight per account, and it is not due
        publisher.reconcile()
        assert state(post) == Post.State.UNCERTAIN
    with time_machine.travel(later + timedelta(seconds=61)):
        publisher.reconcile()
        publish_all()
    assert state(post) == Post.State.PUBLISHED and len(posts_sent(sandbox)) == 1


def test_the_database_refuses_two_posts_of_one_account_in_flight(sandbox, dm, world):
    approved(world, dm, "एक")
    [other] = approved(world, dm, "दो")
    publisher.claim()
    with pytest.raises(IntegrityError), transaction.atomic():
        Post.objects.filter(pk=other.pk).update(state="publishing", lease_until=timezone.now())
    assert Post.objects.filter(state="publishing").count() == 1


def test_it_stops_at_the_limit_x_announced_so_x_never_answers_429(sandbox, dm, world):
    sandbox.call("POST", "rate_limits", json={"endpoint": "POST /2/tweets", "user": 2})
    posts = [approved(world, dm, f"सीमित {n}")[0] for n in range(3)]

    publish_all()

    assert [state(p) for p in posts].count(Post.State.PUBLISHED) == 2
    assert [r["status"] for r in posts_sent(sandbox)] == [201, 201]
