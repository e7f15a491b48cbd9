"""A department's system sends a submission; an editor's token makes it a thread, approves and
schedules it: through /api/v1/, with the pages' rules."""

import json
from datetime import datetime, timedelta

from samvad.api.models import SCOPES, ApiToken
from samvad.content.models import IST, Blackout, Post, Submission

SCHEME = {
    "kind": "scheme",
    "title": "मुख्यमंत्री निःशुल्क दवा योजना",
    "language": "hi",
    "details": {
        "scheme_name": "निःशुल्क दवा योजना",
        "beneficiaries": "सभी मरीज़",
        "eligibility": "राजस्थान के निवासी",
        "how_to_apply": "अस्पताल में पर्ची दिखाएँ",
        "helpline": "104",
    },
}
AT = datetime(2026, 12, 1, 10, 0, tzinfo=IST)


def call(client, user, method, path, body=None):
    _, raw = ApiToken.issue(user=user, name="test", scopes=SCOPES)
    headers = {"Authorization": f"Bearer {raw}"}
    if method == "get":
        return client.get(f"/api/v1{path}", headers=headers)
    return client.post(
        f"/api/v1{path}",
        data=json.dumps(body or {}),
        content_type="application/json",
        headers=headers,
    )


def test_a_department_system_sends_a_submission_and_the_editor_publishes_it(
    client, world, dausa_account
):
    sent = call(client, world.officer_a, "post", "/submissions", SCHEME)
    assert sent.status_code == 201, sent.content
    submission = Submission.objects.get(pk=sent.json()["id"])
    assert (submission.department, submission.created_by) == (world.water, world.officer_a)
    assert submission.details["helpline"] == "104"
    listed = call(client, world.officer_a, "get", "/submissions").json()
    assert [s["id"] for s in listed["items"]] == [submission.pk]
    assert (listed["next"], listed["count"]) == (None, 1)

    text = "जल जीवन मिशन: " + "हर घर नल से जल पहुँचाने का काम तेज़ी से चल रहा है। " * 10
    made = call(
        client, world.editor, "post", f"/submissions/{submission.pk}/thread", {"text": text}
    )
    assert made.status_code == 201, made.content
    posts = made.json()
    assert len(posts) >= 2 and {p["state"] for p in posts} == {"draft"}
    root = posts[0]["id"]

    approved = call(client, world.editor, "post", f"/posts/{root}/approve").json()
    assert {p["state"] for p in approved} == {"approved"}
    assert all(
        p.approved_hash == p.compute_hash()
        for p in Post.objects.filter(pk__in=[p["id"] for p in posts])
    )
    scheduled = call(
        client, world.editor, "post", f"/posts/{root}/schedule", {"scheduled_at": AT.isoformat()}
    ).json()
    assert {datetime.fromisoformat(p["scheduled_at"]) for p in scheduled} == {AT}
    submission.refresh_from_db()
    assert submission.state == Submission.State.ACCEPTED


def test_the_forms_rules_apply_with_a_clear_message(client, world):
    missing = call(client, world.officer_a, "post", "/submissions", {**SCHEME, "details": {}})
    assert missing.status_code == 422
    assert "#/scheme_name" in {e["pointer"] for e in missing.json()["errors"]}
    foreign = call(
        client, world.officer_a, "post", "/submissions", {**SCHEME, "department_id": world.power.pk}
    )
    assert foreign.status_code == 422
    assert "#/department" in {e["pointer"] for e in foreign.json()["errors"]}
    assert (
        call(
            client, world.officer_a, "post", "/submissions", {**SCHEME, "kind": "poem"}
        ).status_code
        == 422
    )
    assert not Submission.objects.exists()


def test_an_officer_cannot_approve_and_another_district_cannot_touch(client, world, make_thread):
    [post] = make_thread("जल")
    assert call(client, world.officer_a, "post", f"/posts/{post.pk}/approve").status_code == 403
    assert call(client, world.alwar_editor, "post", f"/posts/{post.pk}/approve").status_code == 404
    assert call(client, world.employee, "post", "/submissions", SCHEME).status_code == 403
    post.refresh_from_db()
    assert post.state == Post.State.DRAFT


def test_nothing_is_scheduled_in_a_blackout(client, world, make_thread):
    [post] = make_thread("जल")
    Blackout.objects.create(
        district=world.dausa,
        starts_at=AT - timedelta(hours=1),
        ends_at=AT + timedelta(days=1),
        reason="आदर्श आचार संहिता",
        created_by=world.admin,
    )
    call(client, world.editor, "post", f"/posts/{post.pk}/approve")
    refused = call(
        client, world.editor, "post", f"/posts/{post.pk}/schedule", {"scheduled_at": AT.isoformat()}
    )
    assert refused.status_code == 422 and "आदर्श आचार संहिता" in refused.json()["detail"]
    post.refresh_from_db()
    assert post.scheduled_at is None
