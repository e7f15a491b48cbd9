"""The publishing loop that every `samvad worker` runs in a thread beside its job loop: publish
what is due, then sleep until the next moment something can be claimed (a post's due time, a
lease running out, a paused account's reset), woken early when a post may have become claimable.

On PostgreSQL the wake-up is LISTEN/NOTIFY: a trigger (migration 0002) notifies `CHANNEL` when a
post becomes approved or retry_wait, or leaves publishing. SQLite has no such thing, so there the
loop looks again every SAMVAD_PUBLISH_POLL_SECONDS.
"""

import contextlib
import logging
import threading
import time
from datetime import datetime, timedelta

from django.conf import settings
from django.db import DatabaseError, close_old_connections, connection, connections
from django.db.models import Min
from django.utils import timezone

from samvad.content.models import Blackout, Post
from samvad.platforms.x.models import RateWindow
from samvad.publishing import publisher

logger = logging.getLogger(__name__)

CHANNEL = "samvad_publishing"
# However quiet it is, look again this often: a district's publishing switched back on, say, does
# not notify.
LONGEST_SLEEP = timedelta(seconds=60)


def next_wake(now: datetime) -> datetime:
    """The first moment after `now` at which a post may become claimable without anyone saying."""
    State = Post.State
    moments = [
        Post.objects.filter(state=State.APPROVED, scheduled_at__gt=now).aggregate(
            m=Min("scheduled_at")
        )["m"],
        Post.objects.filter(state=State.RETRY_WAIT, retry_at__gt=now).aggregate(m=Min("retry_at"))[
            "m"
        ],
        Post.objects.filter(state=State.PUBLISHING).aggregate(m=Min("lease_until"))["m"],
        RateWindow.objects.paused(now).aggregate(m=Min("reset_at"))["m"],
        Blackout.objects.filter(ends_at__gt=now).aggregate(m=Min("ends_at"))["m"],
    ]
    return min([m for m in moments if m is not None] + [now + LONGEST_SLEEP])


class Waker:
    """Sleeps until a moment, or until the database says a post changed (PostgreSQL)."""

    def __init__(self):
        self.listener = None

    def _listen(self):
        if self.listener is None and connection.vendor == "postgresql":
            wrapper = connections.create_connection("default")
            wrapper.ensure_connection()  # autocommit, so LISTEN takes effect at once
            wrapper.connection.execute(f"LISTEN {CHANNEL}")
            self.listener = wrapper
        return self.listener

    def wait(self, stop: threading.Event, seconds: float) -> None:
        deadline = time.monotonic() + max(seconds, 0)
        while not stop.is_set() and (left := deadline - time.monotonic()) > 0:
            try:
                listener = self._listen()
            except DatabaseError:
                logger.exception("Could not listen for posts; polling instead")
                listener = None
            if listener is None:
                stop.wait(min(left, settings.SAMVAD_PUBLISH_POLL_SECONDS))
                if connection.vendor != "postgresql":
                    return
                continue
            try:
                # At most a second at a time, so that a stop request is heard.
                for _note in listener.connection.notifies(timeout=min(left, 1.0), stop_after=1):
                    return
            except Exception:  # the listening connection broke: make a new one next time
                logger.exception("The listening connection broke")
                self.close()

    def close(self) -> None:
        if self.listener is not None:
            with contextlib.suppress(DatabaseError):
                self.listener.close()
            self.listener = None


def run(*, worker: str, stop: threading.Event) -> None:
    """Publish until `stop` is set; the post in hand is finished first."""
    waker = Waker()
    try:
        while not stop.is_set():
            try:
                publisher.expire_leases()
                publisher.publish_due(worker=worker, stop=stop)
                now = timezone.now()
                sleep = (next_wake(now) - now).total_seconds()
            except DatabaseError:
                # A locked or lost database is waited out; a claimed post's lease runs out.
                logger.exception("Worker %s could not publish", worker)
                sleep = 1.0
            close_old_connections()
            waker.wait(stop, sleep)
    finally:
        waker.close()
        connection.close()
