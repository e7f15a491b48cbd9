"""Mentions come in incrementally (since_id), once each, with their conversation's context; when
X's reach of 800 may have left some out, the inbox says so."""

import re
import sqlite3
from contextlib import contextmanager
from datetime import timedelta
from unittest.mock import patch
from urllib.parse import parse_qs

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from samvad.audit.models import AuditEvent
from samvad.inbox.fetch import PAGE, REACH, fetch_mentions
from samvad.inbox.jobs import fetch_all
from samvad.inbox.models import Mention, MentionCursor, Ticket
from samvad.inbox.tests.conftest import citizen_posts, fetch
from samvad.platforms.x.client import usable_accounts
from samvad.platforms.x.models import LedgerEntry
from samvad.publishing.tests.helpers import approved, publish_all


def mention_requests(box):
    return [
        parse_qs(r["query"]) for r in box.requests(method="GET") if r["path"].endswith("/mentions")
    ]


def test_a_mention_becomes_a_routed_ticket_with_its_author(dm, sandbox, world):
    x_id = citizen_posts(sandbox, "@DmDausa हमारे गाँव में बिजली कल से नहीं है")
    [ticket] = fetch(dm)
    assert ticket.mention.x_post_id == x_id
    assert ticket.mention.author_username == "ramesh_1"
    assert ticket.department == world.power
    assert ticket.status == Ticket.Status.NEW
    assert ticket.deadline - ticket.created == timedelta(hours=24)  # the district's default


def test_each_fetch_asks_only_for_newer_mentions_and_keeps_each_once(dm, sandbox):
    first = citizen_posts(sandbox, "@DmDausa पानी नहीं आया")
    assert len(fetch(dm)) == 1
    second = citizen_posts(sandbox, "@DmDausa सड़क टूटी है")
    assert [t.mention.x_post_id for t in fetch(dm)] == [second]
    assert fetch(dm) == []
    asked = mention_requests(sandbox)
    assert "since_id" not in asked[0]
    assert asked[1]["since_id"] == [first] and asked[2]["since_id"] == [second]
    assert asked[0]["max_results"] == ["100"]
    assert Mention.objects.count() == Ticket.objects.count() == 2


def test_a_post_seen_again_is_not_kept_twice(dm, sandbox):
    citizen_posts(sandbox, "@DmDausa पानी नहीं आया")
    fetch(dm)
    MentionCursor.objects.update(newest_id="")  # as if the cursor were lost
    assert fetch(dm) == []
    assert Mention.objects.count() == 1


def test_a_reply_to_an_official_post_carries_its_context(dm, sandbox, world):
    [post] = approved(world, dm, "कल से नई बिजली दरें लागू होंगी")
    publish_all()
    post.refresh_from_db()
    # On X a reply mentions whom it answers, even without "@DmDausa" in its text.
    x_id = citizen_posts(sandbox, "नई दरें कितनी हैं?", reply_to=post.x_post_id)
    [ticket] = fetch(dm)
    mention = ticket.mention
    assert mention.x_post_id == x_id and mention.in_reply_to_x_post_id == post.x_post_id
    assert mention.conversation_id == post.x_post_id
    assert mention.context == [
        {
            "id": post.x_post_id,
            "type": "replied_to",
            "text": "कल से नई बिजली दरें लागू होंगी",
            "username": "DmDausa",
        }
    ]


def test_a_follow_up_in_the_conversation_shows_the_earlier_ticket(dm, sandbox, world, login):
    first = citizen_posts(sandbox, "@DmDausa bijli nahi hai")
    citizen_posts(sandbox, "@DmDausa अभी तक नहीं आई", reply_to=first)
    one, two = fetch(dm)
    assert two.department == one.department == world.power
    assert two.route == Ticket.Route.CONVERSATION
    page = login(world.officer_b).get(reverse("inbox:ticket_detail", args=[two.pk]))
    assert "bijli nahi hai" in page.content.decode()


def test_the_accounts_own_posts_are_not_tickets(dm, sandbox):
    sandbox.call("POST", "tweets", json={"username": "DmDausa", "text": "@DmDausa नमस्ते"})
    assert fetch(dm) == []


def test_the_job_fetches_every_connected_account(dm, sandbox):
    citizen_posts(sandbox, "@DmDausa पानी नहीं आया")
    fetch_all(slot="2026-01-01T00:00:00+00:00")
    assert Ticket.objects.count() == 1


def test_more_than_800_new_mentions_flag_a_possible_gap(dm, sandbox, world, login, settings):
    settings.SAMVAD_X_DAILY_BUDGET_INR = 100_000  # 800 mentions read in a day: past the default
    citizen_posts(sandbox, "@DmDausa पहला उल्लेख")
    fetch(dm)
    citizen = sandbox.store.user(username="ramesh_1")
    for i in range(REACH + 5):  # more than X reaches, between two fetches
        sandbox.store.create_tweet(citizen["id"], f"@DmDausa उल्लेख {i}")
    assert len(fetch(dm)) == REACH
    cursor = MentionCursor.objects.get(account=dm)
    assert cursor.gap_from and cursor.gap_to and cursor.gap_from <= cursor.gap_to
    page = login(world.editor).get(reverse("inbox:inbox")).content.decode()
    assert "800" in page and "@DmDausa" in page
    # A fetch that gets everything leaves the note where it was and adds none.
    citizen_posts(sandbox, "@DmDausa एक और")
    assert len(fetch(dm)) == 1
    assert MentionCursor.objects.get(account=dm).gap_to == cursor.gap_to


def test_an_accounts_first_fetch_takes_only_the_last_days_mentions(dm, sandbox):
    citizen_posts(sandbox, "@DmDausa नमस्ते")  # the citizen joins
    sandbox.call(
        "POST",
        "tweets",
        json={
            "username": "ramesh_1",
            "text": "@DmDausa पुराना उल्लेख",
            "at": sandbox.store.now() - 2 * 86400,
        },
    )
    recent = citizen_posts(sandbox, "@DmDausa नया उल्लेख")
    assert [t.mention.text for t in fetch(dm)] == ["@DmDausa नमस्ते", "@DmDausa नया उल्लेख"]
    assert MentionCursor.objects.get(account=dm).newest_id == recent


def test_800_new_mentions_take_a_constant_and_one_query_a_page(dm, sandbox, world, settings):
    """Acceptance: a fetch that reaches X's 800 mentions makes at most 20 queries and one a page
    of X's answer. The fetch reads and writes a fixed number of times; the X client reads its
    bookkeeping when the fetch opens and writes it when it closes, and bills each page with one
    statement. A bulk insert counts once, as on PostgreSQL: SQLite is let take as many values a
    statement as it can (Django assumes 999, so 800 tickets would go in several)."""
    settings.SAMVAD_X_DAILY_BUDGET_INR = 100_000  # 800 mentions read in a day: past the default
    citizen = sandbox.create_user("ramesh_1")
    for i in range(REACH):
        sandbox.store.create_tweet(citizen["id"], f"@DmDausa गाँव {i} में बिजली नहीं है")
    account = usable_accounts().select_related("district", "department").get(pk=dm.pk)  # as the job
    with one_statement_a_bulk_insert(), CaptureQueriesContext(connection) as queries:
        assert fetch_mentions(account) == REACH
    pages = REACH // PAGE
    client = [q for q in queries if re.search(r'(FROM|INTO|UPDATE) "x_', q["sql"])]
    assert len(queries) <= 20 + pages
    assert len(client) <= 6 + pages
    assert Ticket.objects.filter(department=world.power).count() == REACH
    assert AuditEvent.objects.filter(action="ticket.open").count() == REACH
    assert LedgerEntry.objects.filter(endpoint="GET /2/users/:id/mentions").count() == pages


@contextmanager
def one_statement_a_bulk_insert():
    """Django sends SQLite at most 999 values a statement, whatever the build takes (250,000
    here): let it send each bulk insert whole, as it does to PostgreSQL."""
    if connection.vendor != "sqlite":
        yield
        return
    connection.ensure_connection()
    limit = connection.connection.getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER)
    with patch.object(connection.features, "max_query_params", limit):
        yield
