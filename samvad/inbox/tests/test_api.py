"""The inbox in the API (issue 21): a department's grievance system reads its own tickets with
their conversation and drafts replies; an editor's token approves them; nobody else sees them."""

import json
from datetime import timedelta

import pytest
from django.utils import timezone

from samvad.api.models import EDITORIAL, READ, SCOPES, SUBMIT, ApiToken
from samvad.content.models import Post
from samvad.inbox.models import Mention, Ticket
from samvad.org.models import OfficialAccount


def ticket(world, x_id, *, department=None, hours=24, conversation="", text="पानी नहीं आ रहा"):
    account = OfficialAccount.objects.get(handle="DmDausa")
    mention = Mention.objects.create(
        district=world.dausa,
        account=account,
        x_post_id=x_id,
        author_x_user_id="42",
        author_username="ramesh",
        text=f"@DmDausa {text}",
        conversation_id=conversation,
        context=[{"id": "77", "type": "replied_to", "username": "DmDausa", "text": "जल आपूर्ति"}],
    )
    return Ticket.objects.create(
        district=world.dausa,
        mention=mention,
        department=department or world.water,
        route=Ticket.Route.KEYWORD,
        deadline=timezone.now() + timedelta(hours=hours),
    )


@pytest.fixture
def api(client):
    def call(user, method, path, body=None, scopes=SCOPES):
        headers = {"Authorization": f"Bearer {ApiToken.issue(user=user, scopes=scopes)[1]}"}
        if method == "get":
            return client.get(f"/api/v1{path}", headers=headers)
        return client.post(
            f"/api/v1{path}",
            json.dumps(body or {}),
            content_type="application/json",
            headers=headers,
        )

    return call


def test_an_officer_lists_the_departments_tickets_with_filters_and_paging(api, world):
    late = ticket(world, "1", hours=-2)
    fresh = ticket(world, "2")
    ticket(world, "3", department=world.power)
    listed = api(world.officer_a, "get", "/tickets").json()
    assert [t["id"] for t in listed["items"]] == [fresh.pk, late.pk]
    assert listed["count"] == 2 and listed["next"] is None
    overdue = api(world.officer_a, "get", "/tickets?overdue=true").json()["items"]
    assert [(t["id"], t["overdue"]) for t in overdue] == [(late.pk, True)]
    first = api(world.officer_a, "get", "/tickets?limit=1").json()
    assert [t["id"] for t in first["items"]] == [fresh.pk]
    second = api(world.officer_a, "get", first["next"].removeprefix("/api/v1")).json()
    assert [t["id"] for t in second["items"]] == [late.pk] and second["next"] is None
    assert api(world.officer_a, "get", "/tickets?status=answered").json()["items"] == []
    assert len(api(world.editor, "get", "/tickets").json()["items"]) == 3


def test_a_ticket_reads_with_its_conversation(api, world):
    earlier = ticket(world, "1", conversation="500")
    later = ticket(world, "2", conversation="500", text="अब भी पानी नहीं")
    body = api(world.officer_a, "get", f"/tickets/{later.pk}").json()
    assert body["mention_text"] == "@DmDausa अब भी पानी नहीं"
    assert body["context"][0]["text"] == "जल आपूर्ति"
    assert body["earlier_ticket_ids"] == [earlier.pk]
    assert body["reply"] is None


def test_another_department_or_district_gets_404(api, world):
    water = ticket(world, "1")
    for user in (world.officer_b, world.alwar_officer, world.alwar_editor):
        assert api(user, "get", f"/tickets/{water.pk}").status_code == 404
        assert (
            api(user, "post", f"/tickets/{water.pk}/reply", {"text": "जाँच करेंगे"}).status_code == 404
        )
    assert api(world.officer_b, "get", "/tickets").json()["items"] == []
    assert api(world.employee, "get", "/tickets").status_code == 403


def test_the_officer_drafts_and_the_editor_approves_the_reply(api, world):
    water = ticket(world, "1")
    drafted = api(
        world.officer_a, "post", f"/tickets/{water.pk}/reply", {"text": "कल सुबह तक आपूर्ति शुरू होगी।"}
    )
    assert drafted.status_code == 200, drafted.content
    assert drafted.json()["status"] == "in_progress"
    assert drafted.json()["reply"]["state"] == "submitted"
    assert api(world.officer_a, "post", f"/tickets/{water.pk}/approve").status_code == 403

    approved = api(world.editor, "post", f"/tickets/{water.pk}/approve", {})
    assert approved.status_code == 200, approved.content
    reply = Post.objects.get(pk=approved.json()["reply"]["id"])
    assert reply.state == Post.State.APPROVED and reply.in_reply_to_x_post_id == "1"
    again = api(world.officer_a, "post", f"/tickets/{water.pk}/reply", {"text": "बदला"})
    assert again.status_code == 409
    assert again.json()["type"] == "urn:samvad:problem:conflict"


def test_the_tokens_scopes_decide_what_it_may_do(api, world):
    water = ticket(world, "1")
    assert api(world.officer_a, "get", "/tickets", scopes=[READ]).status_code == 200
    refused = api(
        world.officer_a, "post", f"/tickets/{water.pk}/reply", {"text": "ठीक"}, scopes=[READ]
    )
    assert refused.status_code == 403
    assert refused.json()["type"] == "urn:samvad:problem:insufficient-scope"
    assert (
        api(
            world.officer_a, "post", f"/tickets/{water.pk}/reply", {"text": "ठीक"}, scopes=[SUBMIT]
        ).status_code
        == 200
    )
    assert (
        api(world.editor, "post", f"/tickets/{water.pk}/approve", {}, scopes=[SUBMIT]).status_code
        == 403
    )
    assert (
        api(
            world.editor, "post", f"/tickets/{water.pk}/approve", {}, scopes=[EDITORIAL]
        ).status_code
        == 200
    )


def test_a_reply_that_breaks_xs_rules_is_refused_field_by_field(api, world):
    water = ticket(world, "1")
    refused = api(world.officer_a, "post", f"/tickets/{water.pk}/reply", {"text": "जल " * 200})
    assert refused.status_code == 422
    assert refused.json()["errors"][0]["pointer"] == "#/text"
