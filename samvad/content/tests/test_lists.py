"""The review queue and a department's submissions show a page at a time (issue 19): on a
campaign's last day they hold thousands, and each opening must cost what it cost on the first."""

import re

from django.urls import reverse

from samvad.content.models import Submission
from samvad.org import access
from samvad.org.pages import PAGE_SIZE


def submissions(world, n: int, **fields) -> None:
    Submission.objects.bulk_create(
        Submission(department=world.water, created_by=world.officer_a, kind="scheme",
                   title=f"प्रविष्टि {i}", **fields)
        for i in range(n)
    )  # fmt: skip


def rows(page) -> int:
    """How many submissions the page links to."""
    return len(re.findall(r'href="/content/submissions/\d+/"', page.content.decode()))


def test_the_review_queue_shows_a_page_at_a_time_and_keeps_its_filters(login, world):
    high = Submission.Priority.HIGH
    submissions(world, PAGE_SIZE + 3, priority=high)
    client = login(world.editor)
    query = f"priority={high}&kind=scheme"

    first = client.get(f"{reverse('content:review_queue')}?{query}")
    second = client.get(f"{reverse('content:review_queue')}?{query}&page=2")

    assert rows(first) == PAGE_SIZE and rows(second) == 3
    assert f"?priority={high}&amp;kind=scheme&amp;page=2" in first.content.decode()
    assert "पृष्ठ 2 / 2" in second.content.decode()


def test_a_departments_submissions_show_a_page_at_a_time(login, world):
    submissions(world, PAGE_SIZE + 1)
    client = login(world.officer_a)

    assert rows(client.get(reverse("content:submission_list"))) == PAGE_SIZE
    assert rows(client.get(reverse("content:submission_list") + "?page=2")) == 1
    # A page past the end, or not a number, shows the last or the first: never an error.
    assert rows(client.get(reverse("content:submission_list") + "?page=99")) == 1
    assert rows(client.get(reverse("content:submission_list") + "?page=x")) == PAGE_SIZE


def test_the_list_holds_the_submissions_of_the_departments_the_user_manages(login, world):
    """The list's queries are written out: they choose what access.managed_departments chooses
    (an admin's district, an officer's own department, nothing of an editor's), and filter on
    the state the home links to."""
    for department in (world.water, world.power, world.alwar_water):
        for state in (Submission.State.SUBMITTED, Submission.State.CHANGES_REQUESTED):
            Submission.objects.create(
                department=department, created_by=world.officer_a, kind="scheme", state=state
            )
    url = reverse("content:submission_list")
    for user in (world.admin, world.officer_a, world.officer_b, world.editor):
        managed = Submission.objects.filter(department__in=access.managed_departments(user))
        for state in ("", Submission.State.CHANGES_REQUESTED):
            page = login(user).get(f"{url}?state={state}")
            expected = managed.filter(state=state) if state else managed
            listed = [row["pk"] for row in page.context["submissions"]]
            assert listed == list(expected.values_list("pk", flat=True)), (user, state)


def test_each_row_links_to_its_submissions_page(login, world):
    """The lists write each link from one address a page, not a reverse a row: the same links."""
    submissions(world, 3)
    links = {
        reverse("content:submission_detail", args=[pk])
        for pk in Submission.objects.values_list("pk", flat=True)
    }
    for user, page in (
        (world.officer_a, "content:submission_list"),
        (world.editor, "content:review_queue"),
    ):
        html = login(user).get(reverse(page)).content.decode()
        assert set(re.findall(r'href="(/content/submissions/\d+/)"', html)) == links


def test_a_lists_labels_are_those_django_would_show_in_either_language():
    """Submission's own get_FOO_display, cheaper in a list, answers as Django's would."""
    from django.db.models import Model
    from django.utils import translation

    for language in ("hi", "en"):
        with translation.override(language):
            for field, values in (
                ("kind", [*Submission.Kind.values, "", "unknown"]),
                ("priority", [*Submission.Priority.values, 7, None]),
                ("state", [*Submission.State.values, "unknown"]),
            ):
                for value in values:
                    submission = Submission(**{field: value})
                    ours = getattr(submission, f"get_{field}_display")()
                    model_field = Submission._meta.get_field(field)
                    djangos = Model._get_FIELD_display(submission, model_field)
                    assert (ours, type(ours)) == (djangos, type(djangos))
