"""The inbox's background work: fetching mentions of every connected account, and following up
on tickets (replies that went out, deadlines that passed)."""

import logging
from datetime import timedelta

from django.conf import settings

from samvad.inbox.fetch import fetch_mentions
from samvad.inbox.models import record_published_replies
from samvad.inbox.services import escalate_overdue
from samvad.jobs.registry import periodic
from samvad.platforms.x.client import usable_accounts
from samvad.platforms.x.errors import XError

logger = logging.getLogger(__name__)


def _every() -> float:
    # Every minute: X shows only an account's newest 800 mentions, so fetching often is what
    # keeps a busy day from pushing some out of reach before they are read.
    return settings.SAMVAD_INBOX_FETCH_SECONDS


@periodic(every=_every, name="inbox.fetch_mentions")
def fetch_all(*, slot: str) -> None:
    for account in usable_accounts().select_related("district", "department"):
        try:
            fetch_mentions(account)
        except XError as exc:
            # One account's trouble does not stop the rest; the next slot tries again.
            logger.warning("Fetching @%s's mentions stopped: %s", account.handle, exc.message)


@periodic(every=timedelta(minutes=1), name="inbox.follow_up")
def follow_up(*, slot: str) -> None:
    record_published_replies()
    escalate_overdue()
