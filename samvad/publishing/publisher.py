"""Putting approved posts on X exactly once (DESIGN.md, publishing invariants 3 to 7).

    attempt = claim()        # committed: the post is `publishing` under a fresh attempt id
    publish(attempt)         # media first, then one create call, then one fenced outcome

The lease on a claim is short (SAMVAD_PUBLISH_LEASE_SECONDS) and renewed while the worker works,
so a killed worker's account is free again within seconds; its post becomes uncertain.

A call to X either surely did not create the post (retry later), surely did (published), or may
have (uncertain). Uncertain posts are never sent again by the publisher: `reconcile()` reads the
account's own timeline and either finds them or, after a grace period, lets them be retried.
"""

import contextlib
import logging
import random
import re
import threading
from datetime import datetime, timedelta

from django.conf import settings
from django.db import DatabaseError, IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext_noop

from samvad.content.models import Post
from samvad.platforms.x.client import XClient
from samvad.platforms.x.errors import (
    BudgetExceeded,
    CreditsExhausted,
    NeedsReconnect,
    PermanentError,
    RateLimited,
    Uncertain,
    XError,
)
from samvad.platforms.x.models import post_url
from samvad.platforms.x.text import normalize
from samvad.publishing.models import Attempt

logger = logging.getLogger(__name__)

# Problems that people must fix (re-connect the account, clear the usage cap, raise the budget):
# the post waits and looks again now and then, it is not failed.
NEEDS_PEOPLE = (NeedsReconnect, CreditsExhausted, BudgetExceeded)
WAIT_FOR_PEOPLE = timedelta(minutes=30)
# X's clock and ours may differ a little; a post X dates this much before the attempt still counts.
CLOCK_SKEW = timedelta(minutes=2)
DUPLICATE = "duplicate content"
# Stored untranslated in last_error and translated where it is shown, in the reader's language.
NOT_FOUND_ON_X = gettext_noop("Not found on X; posting again.")
# A worker renews its lease at most this long: one that hangs must not hold its account for ever.
LONGEST_HOLD = timedelta(minutes=10)
URL = re.compile(r"https?://\S+")


def x_url(post: Post, x_id: str) -> str:
    return post_url(post.account.handle, x_id)


def lease() -> timedelta:
    return timedelta(seconds=settings.SAMVAD_PUBLISH_LEASE_SECONDS)


def backoff(attempts: int) -> timedelta:
    """For calls that surely created nothing: 15 s, 30 s, ... at most 30 minutes, jittered."""
    return timedelta(seconds=min(15 * 2 ** max(attempts - 1, 0), 1800) * random.uniform(0.8, 1))


# Claiming ---------------------------------------------------------------------------------------


def claim(now: datetime | None = None, *, worker: str = "") -> Attempt | None:
    """Claim the next due post and record the attempt, committed before X is called.

    One post per account is in flight: Post.claim skips accounts that have one, and the partial
    unique index of migration 0001 makes the database refuse a second one when two workers claim
    for the same account at the same instant (PostgreSQL, READ COMMITTED); the loser tries again.
    """
    for _try in range(5):
        now = now or timezone.now()
        try:
            with transaction.atomic():
                post = Post.claim(now, lease=lease())
                if post is None:
                    return None
                return Attempt.objects.create(
                    post=post,
                    attempt_id=post.attempt_id,
                    started=now,
                    lease_until=post.lease_until,
                    worker=worker,
                )
        except IntegrityError:
            now = None  # another worker won this account: look again
    return None


# Publishing one post ----------------------------------------------------------------------------


def publish_next(*, worker: str = "") -> bool:
    """Claim and publish one due post; False when none is due."""
    attempt = claim(worker=worker)
    if attempt is None:
        return False
    with holding(attempt):
        publish(attempt)
    return True


def publish_due(*, worker: str = "", stop: threading.Event | None = None) -> int:
    """Publish posts until none is due (or `stop` is set); how many were taken."""
    taken = 0
    while not (stop and stop.is_set()) and publish_next(worker=worker):
        taken += 1
    return taken


def expire_leases(now: datetime | None = None) -> int:
    """Claims whose worker vanished become uncertain, which frees their accounts."""
    return sum(post.expire_lease(now) for post in Post.objects.lease_expired(now))


@contextlib.contextmanager
def holding(attempt: Attempt):
    """Renew the attempt's lease (a third of it at a time) while the block runs, from a thread
    with its own database connection, so that the lease can stay short: a killed worker stops
    renewing and its claim runs out within one lease."""
    done = threading.Event()

    def renew() -> None:
        until_latest = timezone.now() + LONGEST_HOLD
        try:
            while not done.wait(lease().total_seconds() / 3) and timezone.now() < until_latest:
                until = timezone.now() + lease()
                renewed = Post.objects.filter(
                    pk=attempt.post_id, attempt_id=attempt.attempt_id, state=Post.State.PUBLISHING
                ).update(lease_until=until)
                Attempt.objects.filter(pk=attempt.pk, finished=None).update(lease_until=until)
                if not renewed:
                    return  # the outcome is written, or the lease was lost: nothing to hold
        except DatabaseError:
            # The claim runs out, the post becomes uncertain, and the reconciler settles it.
            logger.exception("Could not renew the lease of attempt %s", attempt.attempt_id)
        finally:
            connection.close()

    renewer = threading.Thread(target=renew, name=f"lease-{attempt.attempt_id}", daemon=True)
    renewer.start()
    try:
        yield
    finally:
        done.set()
        renewer.join()


def publish(attempt: Attempt) -> None:
    post = Post.objects.select_related("account", "reply_to").get(pk=attempt.post_id)
    client = XClient(post.account)
    try:
        media_ids = upload_media(client, post, attempt)
    except Uncertain as exc:
        # An upload that may have happened costs nothing to repeat: media ids are not posts.
        _retry(post, attempt, timezone.now() + backoff(post.attempts), exc.message)
        return
    except XError as exc:
        _refused(post, attempt, exc)
        return
    try:
        created = client.create_post(
            post.text,
            reply_to=reply_target(post),
            replying_to_mention=bool(post.in_reply_to_x_post_id),
            media_ids=media_ids,
        )
    except Uncertain as exc:
        _finish(attempt, Attempt.Outcome.UNCERTAIN)
        post.mark_uncertain(attempt.attempt_id, exc.message)
    except PermanentError as exc:
        if exc.status == 403 and DUPLICATE in exc.message.lower():
            # X has this text already, perhaps from an attempt whose answer was lost: the
            # reconciler looks for it rather than this post failing or being sent again.
            _finish(attempt, Attempt.Outcome.DUPLICATE)
            post.mark_uncertain(attempt.attempt_id, exc.message)
        else:
            _refused(post, attempt, exc)
    except XError as exc:
        _refused(post, attempt, exc)
    else:
        _finish(attempt, Attempt.Outcome.PUBLISHED)
        _published(post, attempt.attempt_id, created.id)
    # Invariant 4: nothing that could be retried runs after the create call in this step.


def reply_target(post: Post) -> str | None:
    """The X post this one answers: the previous post of its thread, or a citizen's mention."""
    if post.reply_to_id:
        return post.reply_to.x_post_id
    return post.in_reply_to_x_post_id or None


def upload_media(client: XClient, post: Post, attempt: Attempt) -> list[str]:
    ids = []
    for pm in post.attachments():
        category = "tweet_gif" if pm.media.content_type == "image/gif" else "tweet_image"
        # The storage's file goes to X as it is read, in chunks, not copied into memory first.
        with pm.media.file.open("rb") as f:
            media_id = client.upload_media(
                f, media_type=pm.media.content_type, media_category=category
            ).id
        client.set_alt_text(media_id, pm.alt_text)
        ids.append(media_id)
    if ids:
        Attempt.objects.filter(pk=attempt.pk).update(media_ids=ids)
    return ids


def _refused(post: Post, attempt: Attempt, exc: XError) -> None:
    """X (or the client, locally) said no before any post was created."""
    now = timezone.now()
    if isinstance(exc, RateLimited):
        # The client stored the empty window: Post.claim skips the whole account until its
        # reset, so this post's return to the queue is the one audit row of the pause.
        _retry(post, attempt, exc.reset_at, exc.message)
    elif isinstance(exc, NEEDS_PEOPLE):
        # The client already alerted the district admin; the account's other posts stay as they
        # are and meet the same local refusal, without a call to X, when they come due.
        _retry(post, attempt, now + WAIT_FOR_PEOPLE, exc.message)
    elif isinstance(exc, PermanentError):
        _finish(attempt, Attempt.Outcome.FAILED)
        post.mark_failed(attempt.attempt_id, exc.message)
    else:  # not sent at all (connection refused), or a read that failed
        _retry(post, attempt, now + backoff(post.attempts), exc.message)


def _retry(post: Post, attempt: Attempt, until: datetime, message: str) -> None:
    _finish(attempt, Attempt.Outcome.RETRY)
    post.mark_retry(attempt.attempt_id, until, str(message))


def _finish(attempt: Attempt, outcome: str) -> None:
    Attempt.objects.filter(pk=attempt.pk).update(outcome=outcome, finished=timezone.now())


def _published(post: Post, attempt_id, x_id: str, at: datetime | None = None) -> bool:
    try:
        return post.mark_published(attempt_id, x_id, x_url(post, x_id), now=at)
    except Exception:
        # The fenced update commits before the officer is told: a failed e-mail must not undo
        # the step (were the update itself lost, the lease and the reconciler would find it).
        logger.exception("Recording post %s as published (%s) raised", post.pk, x_id)
        return True


# Reconciling ------------------------------------------------------------------------------------


def reconcile(now: datetime | None = None, *, accounts=None) -> list[Post]:
    """Turn expired leases into uncertain posts, then resolve uncertain posts account by account
    (only `accounts`' when given). Returns the posts whose state changed, as they are now."""
    now = now or timezone.now()
    expired = Post.objects.lease_expired(now)
    uncertain = Post.objects.filter(state=Post.State.UNCERTAIN)
    if accounts is not None:
        expired, uncertain = (
            expired.filter(account__in=accounts),
            uncertain.filter(account__in=accounts),
        )
    changed = [post for post in expired if post.expire_lease(now)]
    by_account: dict[int, list[Post]] = {}
    for post in uncertain.select_related("account", "reply_to"):
        by_account.setdefault(post.account_id, []).append(post)
    for posts in by_account.values():
        try:
            reconcile_account(posts, now)
        except XError as exc:
            logger.warning("Could not read @%s's posts: %s", posts[0].account.handle, exc)
    settled = {p.pk for posts in by_account.values() for p in posts}
    settled -= set(
        Post.objects.filter(pk__in=settled, state=Post.State.UNCERTAIN).values_list("pk", flat=True)
    )
    changed += [post for posts in by_account.values() for post in posts if post.pk in settled]
    for post in changed:
        post.refresh_from_db()
    return list({post.pk: post for post in changed}.values())


def comparable(text: str) -> str:
    """Text as X shows it back, comparably: X rewrites links (t.co) and may add a media link."""
    return " ".join(URL.sub(" ", normalize(text)).split())


def reconcile_account(posts: list[Post], now: datetime) -> None:
    account = posts[0].account
    tries = {p.pk: list(Attempt.objects.filter(post=p).order_by("started")) for p in posts}
    posts = [p for p in posts if tries[p.pk]]  # every claim records its attempt in one commit
    if not posts:
        return
    # Matched from the first attempt on: a post created by any of its attempts is the post.
    earliest = min(tries[p.pk][0].started for p in posts) - CLOCK_SKEW
    timeline = recent_posts(XClient(account), account, since=earliest)
    taken = set(
        Post.objects.filter(x_post_id__in=[t.id for t in timeline]).values_list(
            "x_post_id", flat=True
        )
    )
    for post in posts:
        first, last = tries[post.pk][0], tries[post.pk][-1]
        match = find(
            post, [t for t in timeline if t.id not in taken], since=first.started - CLOCK_SKEW
        )
        if match:
            taken.add(match.id)
            _published(post, post.attempt_id, match.id, at=match.created_at)
        elif now >= uncertain_since(last) + grace():
            if last.outcome == Attempt.Outcome.DUPLICATE:
                # X refuses the text yet it is not ours: an older post by someone at X's side.
                post.mark_failed(post.attempt_id, post.last_error)
            else:
                post.mark_retry(post.attempt_id, now, NOT_FOUND_ON_X)


def grace() -> timedelta:
    return timedelta(seconds=settings.SAMVAD_RECONCILE_GRACE_SECONDS)


def uncertain_since(attempt: Attempt) -> datetime:
    """When the attempt's call surely ended: its worker said so, or else its lease ran out."""
    return attempt.finished or attempt.lease_until


def recent_posts(client: XClient, account, *, since: datetime) -> list:
    """The account's posts created after `since`, newest first (as few pages as will do)."""
    from samvad.platforms.x.client import pages

    user_id = account.x_user_id or account.x_connection.x_user_id
    # X's ids grow with time: nothing older than our last post published before `since` matters.
    older = (
        Post.objects.filter(
            account=account, state=Post.State.PUBLISHED, published_at__lt=since - CLOCK_SKEW
        )
        .exclude(x_post_id=None)
        .values_list("x_post_id", flat=True)
    )
    since_id = max(older, key=int, default=None)
    found = []
    for page in pages(client.user_posts, user_id, since_id=since_id):
        found += page.items
        if any(p.created_at and p.created_at < since for p in page.items):
            break
    return found


def find(post: Post, timeline: list, *, since: datetime):
    """The X post that is this post: same text and reply target, created after it was tried."""
    reply_to = reply_target(post)
    text = comparable(post.text)
    for candidate in timeline:
        replied = [
            r["id"]
            for r in candidate.raw.get("referenced_tweets", [])
            if r.get("type") == "replied_to"
        ]
        if (
            comparable(candidate.text) == text
            and replied == ([reply_to] if reply_to else [])
            and (candidate.created_at is None or candidate.created_at >= since)
        ):
            return candidate
    return None
