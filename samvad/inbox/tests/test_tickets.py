"""A ticket's life: the department drafts, DIPR approves, the one publisher sends the reply to the
citizen's post; who may do what, and who sees what."""

from decimal import Decimal

import pytest
from django.urls import reverse

from samvad.content.models import Post
from samvad.inbox.models import InboxSettings, RoutingRule, Ticket
from samvad.inbox.tests.conftest import citizen_posts, fetch, publish_and_follow_up, x_replies
from samvad.platforms.x.models import LedgerEntry

REPLY = "नमस्कार, आपके गाँव की बिजली आज शाम तक चालू हो जाएगी। - विद्युत विभाग"


@pytest.fixture
def ticket(dm, sandbox):
    citizen_posts(sandbox, "@DmDausa हमारे गाँव में बिजली कल से नहीं है")
    [ticket] = fetch(dm)
    return ticket


def draft(client, ticket, text=REPLY):
    return client.post(reverse("inbox:ticket_reply", args=[ticket.pk]), {"text": text})


def approve(client, ticket, text=REPLY):
    return client.post(reverse("inbox:ticket_approve", args=[ticket.pk]), {"text": text})


def test_the_reply_goes_out_as_a_reply_to_the_citizens_mention(ticket, world, login, sandbox, dm):
    assert draft(login(world.officer_b), ticket).status_code == 302
    ticket.refresh_from_db()
    assert ticket.status == Ticket.Status.IN_PROGRESS and ticket.first_response_at
    assert ticket.reply.state == Post.State.SUBMITTED
    assert publish_and_follow_up() == 0  # nothing goes out before DIPR approves

    assert approve(login(world.editor), ticket).status_code == 302
    assert publish_and_follow_up() == 1
    ticket.refresh_from_db()
    reply = ticket.reply
    assert reply.state == Post.State.PUBLISHED and reply.department == world.power
    [on_x] = x_replies(sandbox, dm, ticket.mention.x_post_id)
    assert str(on_x["id"]) == reply.x_post_id and on_x["text"] == REPLY
    assert ticket.status == Ticket.Status.ANSWERED and ticket.resolved_at == reply.published_at
    # X's price for a reply to a mention, not a post's
    sent = LedgerEntry.objects.get(endpoint="POST /2/tweets")
    assert sent.cost == Decimal("0.010")


def test_the_reply_target_is_part_of_what_is_approved(ticket, world):
    from samvad.inbox.services import ticket_draft_reply

    post = ticket_draft_reply(ticket=ticket, by=world.officer_b, text=REPLY)
    elsewhere = Post(pk=post.pk, text=post.text, reply_to=None, in_reply_to_x_post_id="1")
    assert post.compute_hash() != elsewhere.compute_hash()


def test_the_editor_can_edit_while_approving_and_return_for_changes(ticket, world, login):
    draft(login(world.officer_b), ticket)
    editor = login(world.editor)
    editor.post(reverse("inbox:ticket_return", args=[ticket.pk]), {"comment": "समय बताइए"})
    ticket.refresh_from_db()
    assert ticket.reply.state == Post.State.CHANGES_REQUESTED
    officer = login(world.officer_b)
    assert (
        "समय बताइए"
        in officer.get(reverse("inbox:ticket_detail", args=[ticket.pk])).content.decode()
    )
    draft(officer, ticket, REPLY + " 1")
    ticket.refresh_from_db()
    assert ticket.reply.state == Post.State.SUBMITTED and ticket.reply.text.endswith(" 1")
    approve(login(world.editor), ticket, "संशोधित जवाब: बिजली शाम 6 बजे तक आएगी।")
    ticket.refresh_from_db()
    assert ticket.reply.state == Post.State.APPROVED
    assert ticket.reply.text == "संशोधित जवाब: बिजली शाम 6 बजे तक आएगी।"
    # Approved and on its way: the officer can no longer change it.
    draft(login(world.officer_b), ticket, "बदला")
    ticket.refresh_from_db()
    assert ticket.reply.text == "संशोधित जवाब: बिजली शाम 6 बजे तक आएगी।"


def test_a_reply_over_280_characters_is_refused(ticket, world, login):
    draft(login(world.officer_b), ticket, "ब" * 281)
    ticket.refresh_from_db()
    assert ticket.reply is None and ticket.status == Ticket.Status.NEW


def test_the_service_level_sets_the_deadline(dm, sandbox, world):
    InboxSettings.objects.update_or_create(district=world.dausa, defaults={"reply_hours": 48})
    RoutingRule.objects.filter(department=world.water).update(reply_hours=6)
    citizen_posts(sandbox, "@DmDausa पानी नहीं आया")
    citizen_posts(sandbox, "@DmDausa राशन नहीं मिला")
    water, triage = fetch(dm)
    assert (water.deadline - water.created).total_seconds() == 6 * 3600
    assert (triage.deadline - triage.created).total_seconds() == 48 * 3600


def test_the_editor_reassigns_from_triage(dm, sandbox, world, login):
    citizen_posts(sandbox, "@DmDausa राशन की दुकान बंद है")
    [ticket] = fetch(dm)
    assert ticket.department is None
    login(world.editor).post(
        reverse("inbox:ticket_assign", args=[ticket.pk]), {"department": world.water.pk}
    )
    ticket.refresh_from_db()
    assert (ticket.department, ticket.route) == (world.water, Ticket.Route.MANUAL)
    page = login(world.officer_a).get(reverse("inbox:inbox")).content.decode()
    assert "राशन की दुकान बंद है" in page


def test_the_editor_closes_or_marks_no_action(ticket, world, login):
    editor = login(world.editor)
    editor.post(reverse("inbox:ticket_status", args=[ticket.pk, "no_action"]))
    ticket.refresh_from_db()
    assert ticket.status == Ticket.Status.NO_ACTION and ticket.resolved_at
    editor.post(reverse("inbox:ticket_status", args=[ticket.pk, "reopen"]))
    ticket.refresh_from_db()
    assert ticket.status == Ticket.Status.NEW and ticket.resolved_at is None


# Who sees and does what ---------------------------------------------------------------------


def test_an_officer_sees_only_their_departments_tickets(ticket, world, login):
    power = login(world.officer_b)
    assert "बिजली" in power.get(reverse("inbox:inbox")).content.decode()
    water = login(world.officer_a)
    assert "बिजली" not in water.get(reverse("inbox:inbox")).content.decode()
    assert water.get(reverse("inbox:ticket_detail", args=[ticket.pk])).status_code == 404
    assert draft(water, ticket).status_code == 404
    ticket.refresh_from_db()
    assert ticket.reply is None


def test_another_district_gets_404(ticket, world, login):
    client = login(world.alwar_admin)
    assert client.get(reverse("inbox:ticket_detail", args=[ticket.pk])).status_code == 404
    assert approve(client, ticket).status_code == 404
    assert "बिजली" not in client.get(reverse("inbox:inbox")).content.decode()


def test_an_officer_cannot_approve_assign_or_close(ticket, world, login):
    officer = login(world.officer_b)
    draft(officer, ticket)
    assert approve(officer, ticket).status_code == 403
    assert (
        officer.post(
            reverse("inbox:ticket_assign", args=[ticket.pk]), {"department": world.water.pk}
        ).status_code
        == 403
    )
    assert (
        officer.post(reverse("inbox:ticket_status", args=[ticket.pk, "close"])).status_code == 403
    )
    ticket.refresh_from_db()
    assert ticket.reply.state == Post.State.SUBMITTED and ticket.department == world.power


def test_employees_observers_and_outsiders_have_no_inbox(ticket, world, login, client):
    for user in (world.employee, world.observer, world.outsider):
        assert login(user).get(reverse("inbox:inbox")).status_code == 403
    client.logout()
    assert client.get(reverse("inbox:inbox")).status_code == 302


def test_only_the_district_admin_edits_routing_rules(world, login, dm):
    assert login(world.editor).get(reverse("inbox:rules")).status_code == 403
    admin = login(world.admin)
    rule = RoutingRule.objects.get(department=world.power)
    response = admin.post(
        reverse("inbox:rule_edit", args=[rule.pk]),
        {"department": world.power.pk, "keywords": "बिजली, bijli, बत्ती", "reply_hours": 12},
    )
    assert response.status_code == 302
    rule.refresh_from_db()
    assert rule.keyword_list() == ["बिजली", "bijli", "बत्ती"] and rule.reply_hours == 12
    alwar = login(world.alwar_admin)
    assert alwar.get(reverse("inbox:rule_edit", args=[rule.pk])).status_code == 404


def test_the_admin_adds_the_suggested_rules_and_sets_the_service_level(world, login):
    admin = login(world.admin)
    assert admin.get(reverse("inbox:rules")).status_code == 200
    admin.post(reverse("inbox:rules_suggest"))
    assert set(RoutingRule.objects.values_list("department", flat=True)) == {
        world.water.pk,
        world.power.pk,
    }
    admin.post(reverse("inbox:settings"), {"reply_hours": 12, "public_fact_checks": "on"})
    settings = InboxSettings.objects.get(district=world.dausa)
    assert settings.reply_hours == 12 and settings.public_fact_checks
    page = admin.get(reverse("inbox:rules")).content.decode()
    assert reverse("inbox:public_fact_checks", args=["dausa"]) in page
    assert admin.get(reverse("inbox:rule_new")).status_code == 200


def test_every_page_renders_for_its_roles(ticket, world, login):
    pages = [
        reverse("inbox:inbox"),
        reverse("inbox:factcheck_list"),
        reverse("inbox:ticket_detail", args=[ticket.pk]),
    ]
    for user in (world.admin, world.editor, world.officer_b):
        client = login(user)
        for url in pages:
            assert client.get(url).status_code == 200, (user, url)
    assert login(world.editor).get(reverse("inbox:factcheck_new")).status_code == 200
    assert login(world.officer_b).get(reverse("inbox:factcheck_new")).status_code == 403
