"""The audit log page shows a page at a time (issue 19): a district's log grows by every
submission, post and ticket, and rendering its newest 200 rows on each opening was the heaviest
page a district admin opened. Older pages, and the downloads, hold the rest."""

from datetime import UTC, datetime

from django.urls import reverse

from samvad import audit
from samvad.content.models import Submission
from samvad.org.pages import PAGE_SIZE


def rows(page) -> int:
    return page.content.decode().count("<tr><td>")


def test_the_audit_log_shows_a_page_at_a_time(login, world):
    for _ in range(PAGE_SIZE + 2):
        audit.record(actor=world.editor, action="department.edit", obj=world.water)
    client = login(world.admin)

    first = client.get(reverse("audit:log"))

    assert rows(first) == PAGE_SIZE
    assert "?page=2" in first.content.decode()
    assert rows(client.get(reverse("audit:log") + "?page=2")) == 2


def test_each_row_shows_when_who_what_was_done_and_the_state_it_left(login, world):
    submission = Submission.send(
        by=world.officer_a, kind="meeting", department=world.water, title="बैठक"
    )
    submission.reject(by=world.editor, reason="दोहराव")
    by_the_worker = audit.event(
        actor=None, action="post.claim", obj=submission, district=world.dausa
    )
    by_the_worker.at = datetime(2026, 12, 2, 16, 20, 5, tzinfo=UTC)  # 21:50:05 in India
    by_the_worker.save()

    page = login(world.admin).get(reverse("audit:log")).content.decode()

    rejected = (
        f"<td>{world.editor.username}</td><td>प्रविष्टि अस्वीकार की गई → अस्वीकृत</td><td>बैठक</td>"
    )
    assert rejected in page
    assert f"<td>{world.officer_a.username}</td><td>प्रविष्टि भेजी गई</td><td>बैठक</td>" in page
    assert "<tr><td>2 दिसंबर 2026, 21:50:05</td><td>सिस्टम</td>" in page
