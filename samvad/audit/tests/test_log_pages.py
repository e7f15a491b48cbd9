"""The audit log page shows a page at a time (issue 19): a district's log grows by every
submission, post and ticket, and rendering its newest 200 rows on each opening was the heaviest
page a district admin opened. Older pages, and the downloads, hold the rest."""

from django.urls import reverse

from samvad import audit
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
