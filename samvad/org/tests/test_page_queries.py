"""Every page that the crowd of `bench/load` opens reads in a small, fixed number of queries
(issue 19): a page that asks once more for each row it lists, or a new query on every page, fails
here instead of slowing 200 people down.

The pages are read from `bench/locustfile.py` itself, so a page added to the crowd without a
budget here fails too. Each is opened as its role's persona, once with a little of what the crowd
leaves behind (submissions with their audit rows, notifications), then again with more of it:
the count must not grow, and must stay within the page's budget.
"""

import ast
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from samvad.conftest import PASSWORD

LOCUSTFILE = Path(__file__).resolve().parents[3] / "bench" / "locustfile.py"
PERSONAS = {
    "state_observer": "observer",
    "district_admin": "admin",
    "editor": "editor",
    "officer": "officer_a",
    "employee": "employee",
}
# The most queries each page may take. Every logged-in page pays four before its own work: the
# session, the user, the user's roles and the unread count in the navigation.
BUDGETS = {
    ("state_observer", "/"): 6,
    ("state_observer", "/campaigns/state/"): 7,
    ("state_observer", "/campaigns/"): 5,
    ("state_observer", "/org/accounts/"): 5,
    ("district_admin", "/"): 7,
    ("district_admin", "/campaigns/"): 6,
    ("district_admin", "/org/departments/"): 7,
    ("district_admin", "/advocacy/"): 8,
    ("district_admin", "/content/audit/"): 7,
    ("district_admin", "/training/"): 8,
    ("editor", "/"): 4,
    ("editor", "/content/review/"): 7,
    ("editor", "/content/calendar/"): 9,
    ("editor", "/content/submissions/"): 4,
    ("editor", "/x/ledger/"): 9,
    ("officer", "/"): 5,
    ("officer", "/content/submissions/"): 6,
    ("officer", "/advocacy/"): 7,
    ("officer", "/training/progress/"): 7,
    ("officer", "/content/submissions/new/achievement/"): 5,
    ("employee", "/"): 7,
    ("employee", "/advocacy/me/"): 10,
    ("employee", "/training/"): 8,
    ("employee", "/training/materials/"): 4,
}
LOG_IN_BUDGET = 10


def crowd_pages() -> list[tuple[str, str]]:
    """(role, path) of each page the crowd opens, read without importing the locustfile (Locust
    patches the standard library with gevent when imported)."""
    names = {
        node.targets[0].id: ast.literal_eval(node.value)
        for node in ast.parse(LOCUSTFILE.read_text()).body
        if isinstance(node, ast.Assign) and getattr(node.targets[0], "id", "") in ("PAGES", "FORM")
    }
    pages = [(role, path) for role, paths in names["PAGES"].items() for path in paths]
    return [*pages, ("officer", names["FORM"])]


def leave_behind(world, n: int) -> None:
    """What the crowd adds while it browses: officers' submissions (each with its audit row), one
    returned to its officer with a notification, and an unread notification for everyone."""
    from samvad.content.models import Submission
    from samvad.notifications.models import Notification

    for i in range(n):
        for officer, department in ((world.officer_a, world.water), (world.officer_b, world.power)):
            Submission.send(by=officer, kind="achievement", department=department,
                            title=f"भार परीक्षण {i}", details={"what": "नए नल कनेक्शन"})  # fmt: skip
    Submission.objects.filter(state=Submission.State.SUBMITTED).first().return_for_changes(
        by=world.editor, comment="फ़ोटो जोड़ें"
    )
    Notification.objects.bulk_create(
        Notification(user=getattr(world, persona), message="सूचना", link="/")
        for persona in PERSONAS.values()
    )


def queries(client, path: str) -> int:
    client.get(path, follow=True)  # what only a session's first page does is not counted
    with CaptureQueriesContext(connection) as captured:
        assert client.get(path, follow=True).status_code == 200
    return len(captured)


def test_every_page_of_the_crowd_has_a_budget():
    assert sorted(crowd_pages()) == sorted(BUDGETS)


@pytest.fixture
def clock():
    """Still: the session's idle clock, and what is asked once per tick of it, stays put."""
    with time_machine.travel(datetime(2026, 12, 2, 10, 0, tzinfo=UTC), tick=False) as traveller:
        yield traveller


@pytest.mark.parametrize(("role", "path"), crowd_pages())
def test_each_page_of_the_crowd_reads_in_a_fixed_number_of_queries(login, world, clock, role, path):
    client = login(getattr(world, PERSONAS[role]))
    leave_behind(world, 2)
    few = queries(client, path)
    leave_behind(world, 10)
    many = queries(client, path)
    assert many == few, f"{path}: {few} queries with a few rows, {many} with more"
    assert many <= BUDGETS[role, path]


def session_writes(client, path: str) -> list[str]:
    with CaptureQueriesContext(connection) as captured:
        client.get(path)
    return [q["sql"] for q in captured if "django_session" in q["sql"] and "UPDATE" in q["sql"]]


def test_the_session_is_written_when_its_idle_clock_moves_not_on_every_page(login, world, clock):
    client = login(world.officer_a)
    client.get("/training/")
    clock.shift(timedelta(seconds=59))
    assert session_writes(client, "/training/") == []
    clock.shift(timedelta(seconds=2))
    assert len(session_writes(client, "/training/")) == 1


def test_a_log_in_takes_a_fixed_number_of_queries(client, world):
    """The throttle's checks, the session, the security log: the crowd's first request."""
    client.get("/login/")
    with CaptureQueriesContext(connection) as captured:
        response = client.post("/login/", {"username": "officer_a", "password": PASSWORD})
    assert response.status_code == 302
    assert len(captured) <= LOG_IN_BUDGET


# The session, the user, the roles, the chosen department (with its district, for the audit row),
# the submission and its audit row; the transaction's savepoint and its release.
SUBMIT_BUDGET = 8


def test_the_crowds_submission_takes_a_fixed_number_of_queries(login, world, clock):
    """What an officer of the crowd sends (bench/locustfile.py `submit`): no photos."""
    client = login(world.officer_a)
    form = crowd_pages()[-1][1]
    client.get(form)
    data = {"department": world.water.pk, "title": "भार परीक्षण", "what": "नए नल कनेक्शन",
            "language": "hi", "priority": "0",
            "photos-TOTAL_FORMS": "0", "photos-INITIAL_FORMS": "0"}  # fmt: skip
    with CaptureQueriesContext(connection) as captured:
        assert client.post(form, data).status_code == 302
    assert len(captured) <= SUBMIT_BUDGET, "\n".join(q["sql"][:80] for q in captured)
