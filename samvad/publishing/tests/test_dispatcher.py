"""The publishing loop: it sleeps until the next moment a post can be claimed, publishes a post
on its time without any job, and holds a short lease that it renews while X is slow."""

import threading
import time
from datetime import timedelta

import pytest
import time_machine
from django.db import connection
from django.utils import timezone

from samvad.content.models import Post
from samvad.publishing import dispatcher, publisher
from samvad.publishing.models import Attempt
from samvad.publishing.tests.helpers import approved, connect, empty_window, posts_sent


@pytest.fixture
def dm(sandbox, dausa):
    connect(sandbox, dausa)
    return dausa


@pytest.mark.django_db
def test_it_sleeps_until_the_next_post_is_due_or_a_paused_account_resumes(dm, world):
    now = timezone.now()
    with time_machine.travel(now, tick=False):
        assert dispatcher.next_wake(now) == now + dispatcher.LONGEST_SLEEP  # nothing to do
        approved(world, dm, "आधे मिनट बाद", at=now + timedelta(seconds=30))
        assert dispatcher.next_wake(now) == now + timedelta(seconds=30)
        empty_window(dm, until=now + timedelta(seconds=12))
        assert dispatcher.next_wake(now) == now + timedelta(seconds=12)


@pytest.mark.django_db(transaction=True)
def test_the_loop_publishes_a_post_on_its_time(sandbox, dm, world):
    due = timezone.now() + timedelta(seconds=2)
    [post] = approved(world, dm, "ठीक समय पर", at=due)
    stop = threading.Event()
    loop = threading.Thread(target=dispatcher.run, kwargs={"worker": "test:1", "stop": stop})
    loop.start()
    try:
        deadline = time.monotonic() + 30
        while Post.objects.get(pk=post.pk).state != Post.State.PUBLISHED:
            assert time.monotonic() < deadline, Post.objects.get(pk=post.pk).state
            time.sleep(0.1)  # the loop runs in its own thread: wait for it
    finally:
        stop.set()
        loop.join()
    post.refresh_from_db()
    assert post.published_at >= due
    assert Attempt.objects.get(post=post).worker == "test:1"
    assert len(posts_sent(sandbox)) == 1


@pytest.mark.django_db(transaction=True)
def test_a_worker_renews_its_lease_while_x_answers_slowly(sandbox, dm, world, settings):
    settings.SAMVAD_PUBLISH_LEASE_SECONDS = 0.6
    sandbox.fault(kind="latency", seconds=1.5)
    [post] = approved(world, dm, "धीमा उत्तर")

    assert publisher.publish_next()

    attempt = Attempt.objects.get(post=post)
    assert attempt.outcome == Attempt.Outcome.PUBLISHED
    # Renewed while the call lasted: the lease reached past the first one.
    assert attempt.lease_until > attempt.started + timedelta(seconds=0.9)
    assert Post.objects.get(pk=post.pk).state == Post.State.PUBLISHED


@pytest.mark.django_db(transaction=True)
def test_on_postgresql_a_post_that_becomes_due_wakes_the_sleeping_loop(dm, world):
    if connection.vendor != "postgresql":
        pytest.skip("NOTIFY is PostgreSQL's; SQLite polls")
    waker = dispatcher.Waker()
    try:
        waker.wait(threading.Event(), 0.01)  # listening from now on
        approved(world, dm, "अभी जागो")  # each step commits: the trigger notifies
        started = time.monotonic()
        waker.wait(threading.Event(), 30)
        assert time.monotonic() - started < 10  # woken, not timed out
    finally:
        waker.close()
