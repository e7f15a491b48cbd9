"""Acceptance 1, in a real browser: the sandbox's world posts a Hindi mention about electricity; the
worker's fetch puts it in the electricity department's queue; its officer drafts a reply; the
editor approves; the worker publishes it, and the sandbox holds it as a reply to that mention."""

import re

import pytest
from django.utils import timezone

from samvad.conftest import screenshot, switch_user
from samvad.content.models import Post
from samvad.inbox.jobs import fetch_all, follow_up
from samvad.inbox.models import Ticket
from samvad.inbox.tests.conftest import world_rates, x_replies
from samvad.publishing.publisher import publish_due

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

REPLY = "नमस्कार, आपके गाँव में बिजली आज शाम 6 बजे तक बहाल हो जाएगी। - जयपुर विद्युत वितरण निगम"


def slot() -> str:
    return timezone.now().isoformat()


def test_a_citizens_question_about_power_is_answered_on_x(page, world, dm, sandbox):
    # The world's citizens mention @DmDausa for two sandbox hours; the worker fetches them.
    world_rates(sandbox, mention=30)
    sandbox.advance(2 * 3600)
    fetch_all(slot=slot())
    ticket = Ticket.objects.filter(mention__text__contains="बिजली").first()
    assert ticket is not None, "the world posted no mention about electricity"
    assert ticket.department == world.power and ticket.matched_keyword == "बिजली"
    mention = ticket.mention
    assert sandbox.store.tweet(mention.x_post_id)["author_id"] == mention.author_x_user_id

    # The electricity officer finds it in the department's queue and drafts the reply.
    switch_user(page, "officer_b")
    page.goto("/inbox/")
    page.locator(f"a[href='/inbox/tickets/{ticket.pk}/']").first.click()
    page.wait_for_url(re.compile(rf"/inbox/tickets/{ticket.pk}/$"))
    screenshot(page, "inbox-ticket-officer")
    page.fill("#reply-form [name=text]", REPLY)
    page.click("#reply-form button")
    page.wait_for_load_state()
    ticket.refresh_from_db()
    assert ticket.status == Ticket.Status.IN_PROGRESS
    assert ticket.reply.state == Post.State.SUBMITTED and ticket.reply.text == REPLY

    # The DIPR editor approves it as it stands.
    switch_user(page, "editor")
    page.goto(f"/inbox/tickets/{ticket.pk}/")
    assert page.input_value("#approve-form [name=text]") == REPLY
    page.click("#approve-form button")
    page.wait_for_load_state()
    ticket.refresh_from_db()
    assert ticket.reply.state == Post.State.APPROVED

    # The worker publishes it through the one publisher, then follows the ticket up.
    publish_due()
    follow_up(slot=slot())
    ticket.refresh_from_db()
    assert ticket.status == Ticket.Status.ANSWERED
    [on_x] = x_replies(sandbox, dm, mention.x_post_id)
    assert on_x["text"] == REPLY and str(on_x["id"]) == ticket.reply.x_post_id

    # The editor sees it answered, with its link on X.
    page.goto(f"/inbox/tickets/{ticket.pk}/")
    assert page.locator(".lead .state-answered").count() == 1
    assert page.locator(f"a[href='{ticket.reply.x_url}']").count() == 1
    screenshot(page, "inbox-ticket-answered")
    page.goto("/inbox/?show=all")
    screenshot(page, "inbox-editor")
