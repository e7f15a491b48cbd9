"""Fetching an official account's mentions from X, incrementally.

Each fetch asks only for mentions newer than the newest one seen (X's since_id), newest first, 100
a page, and keeps each once. X reaches only an account's newest 800 mentions: a fetch that comes
back with 800 or more may have missed older ones, so the cursor records the span in which a gap
may lie and the inbox shows it. The fetch job runs every minute (SAMVAD_INBOX_FETCH_SECONDS), far
more often than a district receives 800 mentions.

The district's own accounts, its routing rules and the mentions it knows are read once per fetch,
and the new mentions, their tickets and audit rows are written together; the X client reads and
writes its bookkeeping once for the fetch (`client.batch()`) and bills each page with one
statement. A fetch's queries are a constant plus one a page of X's answer, never one per mention.

An account's first fetch takes only the last day's mentions: older ones are history, not questions
still waiting for an answer (and each read costs money).
"""

from datetime import timedelta

from django.utils import timezone

from samvad.inbox.models import Mention, MentionCursor
from samvad.inbox.services import mentions_record
from samvad.platforms.x.client import XClient, pages

REACH = 800  # X's limit: only the newest 800 mentions of an account can be read
PAGE = 100  # the most X returns a page
FIRST_FETCH = timedelta(days=1)


def fetch_mentions(account, *, client: XClient | None = None) -> int:
    """Read the account's new mentions and open a ticket for each; returns how many."""
    client = client or XClient(account)
    cursor = MentionCursor.objects.filter(account=account).first() or MentionCursor(account=account)
    history_before = None if cursor.newest_id else timezone.now() - FIRST_FETCH
    seen, users, referenced = [], {}, {}
    with client.batch():
        for page in pages(
            client.mentions, account.x_user_id, since_id=cursor.newest_id or None, max_results=PAGE
        ):
            seen += page.items
            users |= {u.id: u for u in page.users}
            referenced |= {p.id: p for p in page.referenced}
            if history_before and any(_older(p, history_before) for p in page.items):
                break  # newest first: the next pages are older still
    # Oldest first, so that a conversation's earlier mention is routed before its replies.
    found = sorted(
        (p for p in seen if not (history_before and _older(p, history_before))),
        key=lambda p: int(p.id),
    )
    opened = mentions_record(account, found, users=users, referenced=referenced)
    advance(cursor, seen)
    return len(opened)


def _older(post, moment) -> bool:
    return post.created_at is not None and post.created_at < moment


def advance(cursor: MentionCursor, seen: list) -> None:
    """Move the cursor past what was read; note a possible gap when X's reach was exhausted."""
    now = timezone.now()
    if cursor.newest_id and len(seen) >= REACH:
        oldest = min(seen, key=lambda p: int(p.id))
        previous = Mention.objects.filter(
            district_id=cursor.account.district_id, x_post_id=cursor.newest_id
        ).first()
        cursor.gap_from = (previous and previous.posted_at) or cursor.fetched_at
        cursor.gap_to = oldest.created_at or now
    if seen:
        cursor.newest_id = max((p.id for p in seen), key=int)
    cursor.fetched_at = now
    # One statement for a first fetch too, and no conflict when two workers fetch at once.
    MentionCursor.objects.bulk_create(
        [cursor],
        update_conflicts=True,
        unique_fields=["account"],
        update_fields=["newest_id", "fetched_at", "gap_from", "gap_to"],
    )
