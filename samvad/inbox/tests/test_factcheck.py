"""Acceptance 3: from a rumour mention to a published clarification in at most three of the
editor's actions once the department's statement exists, every step in the audit trail; and the
district's public page of fact checks."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from samvad.audit.models import AuditEvent
from samvad.content.models import Post
from samvad.inbox.models import Evidence, FactCheck, InboxSettings, Ticket
from samvad.inbox.tests.conftest import citizen_posts, fetch, publish_and_follow_up, x_replies

STATEMENT = "हर घर जल योजना बंद नहीं हुई है; नए कनेक्शन के आवेदन जारी हैं।"


class Editor:
    """The editor's browser: every POST is one action, counted."""

    def __init__(self, client):
        self.client, self.actions = client, 0

    def post(self, url, data=None):
        self.actions += 1
        response = self.client.post(url, data or {})
        assert response.status_code == 302, response.content[:500]
        return response

    def get(self, url):
        return self.client.get(url)


@pytest.fixture
def rumour(dm, sandbox):
    citizen_posts(sandbox, "@DmDausa सुना है हर घर जल योजना बंद हो गई है, पानी का कनेक्शन अब नहीं मिलेगा?")
    [ticket] = fetch(dm)
    return ticket


def test_a_rumour_becomes_a_published_clarification_in_two_actions(
    rumour, world, login, sandbox, dm, client
):
    assert rumour.department == world.water
    editor = Editor(login(world.editor))
    # 1. The editor marks the mention as a rumour: a case for the water department.
    response = editor.post(reverse("inbox:ticket_rumour", args=[rumour.pk]))
    case = FactCheck.objects.get()
    assert response["Location"] == reverse("inbox:factcheck_detail", args=[case.pk])
    assert (case.mention, case.department) == (rumour.mention, world.water)

    # The department's officer gives its statement.
    officer = login(world.officer_a)
    assert officer.get(reverse("inbox:inbox")).context["cases"].get() == case
    officer.post(
        reverse("inbox:evidence_add", args=[case.pk]), {"kind": "statement", "text": STATEMENT}
    )
    assert case.statement.text == STATEMENT

    # 2. The editor publishes the clarification the page offers, as it stands.
    editor.client = login(world.editor)
    form = editor.get(reverse("inbox:factcheck_detail", args=[case.pk])).context[
        "clarification_form"
    ]
    assert STATEMENT in form.initial["text"] and form.initial["as_reply"] is True
    editor.post(
        reverse("inbox:factcheck_publish", args=[case.pk]),
        {"text": form.initial["text"], "as_reply": "on"},
    )
    assert editor.actions == 2

    # The publisher sends it at once; the case is published, the mention's ticket answered.
    assert publish_and_follow_up() == 1
    case.refresh_from_db()
    rumour.refresh_from_db()
    assert case.status == FactCheck.Status.PUBLISHED and case.published_at
    assert case.clarification.state == Post.State.PUBLISHED
    assert rumour.status == Ticket.Status.ANSWERED and rumour.reply == case.clarification
    [on_x] = x_replies(sandbox, dm, rumour.mention.x_post_id)
    assert on_x["text"] == case.clarification.text and STATEMENT in on_x["text"]

    # Every step is in the audit trail, in order.
    steps = [
        e.action
        for e in AuditEvent.objects.filter(
            object_type__in=["inbox.factcheck", "content.post"],
            object_id__in=[str(case.pk), str(case.clarification_id)],
        ).order_by("at", "id")
        if e.object_type == "inbox.factcheck" or e.object_id == str(case.clarification_id)
    ]
    assert steps == [
        "factcheck.open",
        "factcheck.evidence",
        "post.create",
        "post.submit",
        "post.approve",
        "post.schedule",
        "factcheck.send",
        "post.claim",
        "post.published",
        "factcheck.published",
    ]
    ticket_steps = list(
        AuditEvent.objects.filter(object_type="inbox.ticket", object_id=str(rumour.pk))
        .order_by("at", "id")
        .values_list("action", flat=True)
    )
    assert ticket_steps == ["ticket.open", "ticket.rumour", "ticket.reply", "ticket.answered"]
    assert AuditEvent.objects.get(action="factcheck.evidence").actor == world.officer_a

    # The public page shows it, once the district chose to have one.
    public = reverse("inbox:public_fact_checks", args=["dausa"])
    assert client.get(public).status_code == 404
    InboxSettings.objects.update_or_create(
        district=world.dausa, defaults={"public_fact_checks": True}
    )
    client.logout()
    page = client.get(public).content.decode()
    assert STATEMENT in page and case.clarification.x_url in page


def test_a_claim_seen_elsewhere_gets_a_standalone_clarification(dm, world, login, sandbox):
    editor = Editor(login(world.editor))
    editor.post(
        reverse("inbox:factcheck_new"),
        {
            "claim": "व्हाट्सएप पर संदेश: जिला अस्पताल बंद है",
            "claim_url": "https://example.com/x",
            "department": world.power.pk,
        },
    )
    case = FactCheck.objects.get()
    editor.post(
        reverse("inbox:evidence_add", args=[case.pk]),
        {"kind": "link", "url": "https://dausa.rajasthan.gov.in/notice"},
    )
    editor.post(
        reverse("inbox:factcheck_publish", args=[case.pk]),
        {"text": "तथ्य जाँच: जिला अस्पताल खुला है, सभी सेवाएँ जारी हैं।"},
    )
    assert editor.actions == 3
    publish_and_follow_up()
    case.refresh_from_db()
    assert case.status == FactCheck.Status.PUBLISHED
    post = case.clarification
    assert post.in_reply_to_x_post_id == "" and post.account == dm
    on_x = sandbox.store.tweet(post.x_post_id)
    assert on_x["reply_to"] is None


def test_documents_are_checked_and_shown_only_within_scope(rumour, world, login):
    login(world.editor).post(reverse("inbox:ticket_rumour", args=[rumour.pk]))
    case = FactCheck.objects.get()
    officer = login(world.officer_a)
    html = SimpleUploadedFile("note.pdf", b"<html><script>x</script>", "application/pdf")
    officer.post(
        reverse("inbox:evidence_add", args=[case.pk]), {"kind": "document", "document": html}
    )
    assert not Evidence.objects.exists()
    pdf = SimpleUploadedFile("note.pdf", b"%PDF-1.4 the department's order", "application/pdf")
    officer.post(
        reverse("inbox:evidence_add", args=[case.pk]), {"kind": "document", "document": pdf}
    )
    item = Evidence.objects.get()
    url = reverse("inbox:evidence_document", args=[item.pk])
    response = officer.get(url)
    assert response.status_code == 200 and response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    for outsider in (world.officer_b, world.alwar_admin):
        assert login(outsider).get(url).status_code == 404
        assert (
            login(outsider).get(reverse("inbox:factcheck_detail", args=[case.pk])).status_code
            == 404
        )


def test_an_officer_cannot_publish_a_clarification(rumour, world, login):
    login(world.editor).post(reverse("inbox:ticket_rumour", args=[rumour.pk]))
    case = FactCheck.objects.get()
    response = login(world.officer_a).post(
        reverse("inbox:factcheck_publish", args=[case.pk]), {"text": "तथ्य जाँच: योजना जारी है"}
    )
    assert response.status_code == 403
    case.refresh_from_db()
    assert case.status == FactCheck.Status.OPEN and case.clarification is None


def test_the_public_page_lists_only_that_districts_published_fact_checks(world, client):
    from samvad.inbox.services import factcheck_open

    for district in (world.dausa, world.alwar):
        InboxSettings.objects.create(district=district, public_fact_checks=True)
    factcheck_open(by=world.editor, district=world.dausa, claim="अभी खुला मामला")
    alwar = factcheck_open(by=world.alwar_admin, district=world.alwar, claim="अलवर का दावा")
    alwar.mark_published(at=alwar.opened_at)
    page = client.get(reverse("inbox:public_fact_checks", args=["dausa"])).content.decode()
    assert "अभी खुला मामला" not in page and "अलवर का दावा" not in page
    page = client.get(reverse("inbox:public_fact_checks", args=["alwar"])).content.decode()
    assert "अलवर का दावा" in page


@pytest.mark.parametrize("name", ["note.html", "logo.svg"])
def test_evidence_is_downloaded_with_a_type_no_browser_renders(login, world, name):
    # Issue 16, finding 12: a file kept as "note.html" or "logo.svg" was served as text/html or
    # image/svg+xml; now every document is an attachment the browser saves, never shows.
    from django.core.files.base import ContentFile

    case = FactCheck.objects.create(
        district=world.dausa, claim="योजना बंद हो गई", department=world.water, opened_by=world.editor
    )
    item = Evidence.objects.create(
        case=case,
        kind=Evidence.Kind.DOCUMENT,
        added_by=world.editor,
        document=ContentFile(b"<svg onload=alert(1)>", name=name),
    )

    response = login(world.editor).get(reverse("inbox:evidence_document", args=[item.pk]))

    assert response["Content-Type"] == "application/octet-stream"
    assert response["Content-Disposition"].startswith("attachment;")
