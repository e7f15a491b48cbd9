"""Each person's onboarding checklist, computed from data.

Only "trained" comes from a hand-marked fact (attendance at a session, or giving one). The X
steps come from the advocacy app through its one named function,
`samvad.advocacy.selectors.onboarding_facts`; until that app is installed they simply read as not
done.
"""

from dataclasses import dataclass, replace
from datetime import datetime

from django.apps import apps
from django.db import connection
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from samvad.org import sql
from samvad.org.models import Person, district_account

# (key, label, what to do next, the guide that helps). The order is the order people do them in.
STEPS = [
    ("trained", _("Trained"),
     _("Attend a training session. Until then, read the guides."), "create-x-account"),
    ("handle_registered", _("X handle registered"),
     _("Create an X account and register its handle in Samvad."), "create-x-account"),
    ("handle_verified", _("X handle verified"),
     _("Samvad is checking your handle with X. Make sure it is spelled exactly right."),
     "create-x-account"),
    ("following", _("Following the official account"),
     _("Follow @%(handle)s on X."), "follow-official-account"),
    ("first_repost", _("First repost"),
     _("Repost one of today's official posts."), "repost"),
]  # fmt: skip
STEP_KEYS = [key for key, *_ in STEPS]


@dataclass(frozen=True)
class Step:
    key: str
    label: str
    hint: str  # may name the account to follow as %(handle)s: read it through Checklist.next_hint
    material: str
    done: bool
    when: datetime | None = None


@dataclass(frozen=True)
class Checklist:
    person: Person
    steps: list[Step]
    handle: str = ""  # the district's account to follow, named by a hint

    @property
    def done_count(self) -> int:
        return sum(step.done for step in self.steps)

    @property
    def complete(self) -> bool:
        return self.done_count == len(self.steps)

    @property
    def next_step(self) -> Step | None:
        return next((step for step in self.steps if not step.done), None)

    @property
    def next_hint(self) -> str:
        return str(self.next_step.hint) % {"handle": self.handle or "?"}

    def step(self, key: str) -> Step:
        return next(step for step in self.steps if step.key == key)


def onboarding_facts(person_ids=(), *, department_ids=()) -> dict:
    """The advocacy app's facts per person id, or nothing while that app is not installed."""
    if not apps.is_installed("samvad.advocacy"):
        return {}
    from samvad.advocacy.selectors import onboarding_facts as advocacy_facts

    return advocacy_facts(list(person_ids), department_ids=list(department_ids))


def _trained_at(where: str, params: list) -> list[tuple[int, int, datetime | None]]:
    """(person id, department id, when first trained) of the people matching `where`: when
    they first attended a session or gave one (whoever trains the others is not asked to sit
    through a session)."""
    with connection.cursor() as cursor:
        cursor.execute(TRAINED.format(where=where), [sql.timestamp(timezone.now()), *params])
        rows = sql.with_datetimes(cursor.fetchall(), 2, 3)
    return [
        (pk, department, min(filter(None, days), default=None)) for pk, department, *days in rows
    ]


# Every onboarding checklist and the progress pages read it (org/sql.py says why it is written
# out).
TRAINED = """
    SELECT p.id, p.department_id,
        (SELECT MIN(s.starts_at) FROM training_attendance a
            JOIN training_session s ON s.id = a.session_id WHERE a.person_id = p.id),
        (SELECT MIN(s.starts_at) FROM training_session s
            WHERE s.trainer_id = p.id AND s.starts_at <= %s)
    FROM org_person p WHERE {where}"""


def _done(facts, trained_at: datetime | None) -> dict[str, tuple[bool, datetime | None]]:
    """Each step's key: whether it is done, and when where that is known. `facts` is the
    advocacy app's for the person (None: no handle, or no such app)."""
    following = getattr(facts, "following_since", None)
    first_repost = getattr(facts, "first_repost_at", None)
    return {
        "trained": (trained_at is not None, trained_at),
        "handle_registered": (bool(getattr(facts, "handle_registered", False)), None),
        "handle_verified": (bool(getattr(facts, "handle_verified", False)), None),
        "following": (following is not None, following),
        "first_repost": (first_repost is not None, first_repost),
    }


def _steps(facts, trained_at: datetime | None) -> list[Step]:
    done = _done(facts, trained_at)
    return [Step(key, label, hint, material, *done[key]) for key, label, hint, material in STEPS]


def checklists_for(people) -> list[Checklist]:
    """Checklists for many people with a fixed number of queries, without the hints' handle: the
    pages that list many people show no hint."""
    people = list(people)
    ids = [p.id for p in people]
    if not ids:
        return []
    facts = onboarding_facts(ids)
    trained = {pk: at for pk, _, at in _trained_at(f"p.id IN ({sql.placeholders(ids)})", ids)}
    return [Checklist(p, _steps(facts.get(p.id), trained.get(p.id))) for p in people]


def checklist_for(person: Person) -> Checklist:
    """One person's own checklist, with its next step's hint."""
    checklist = checklists_for([person])[0]
    if checklist.next_step and checklist.next_step.key == "following":  # the hint naming it
        account = district_account(person.district_id)  # the one everyone is asked to follow
        checklist = replace(checklist, handle=account.handle if account else "")
    return checklist


@dataclass
class Progress:
    """How many of a group of people have done each step."""

    label: str
    people: int = 0
    complete: int = 0

    def __post_init__(self):
        self.done = dict.fromkeys(STEP_KEYS, 0)

    def add(self, done: dict) -> None:
        """One person, as `_done` gives their steps."""
        self.people += 1
        self.complete += all(is_done for is_done, _when in done.values())
        for key, (is_done, _when) in done.items():
            self.done[key] += is_done

    def cells(self) -> list[tuple[int, int]]:
        """(count, percent) per step, in step order."""
        return [(self.done[k], round(100 * self.done[k] / self.people) if self.people else 0)
                for k in STEP_KEYS]  # fmt: skip


def progress_by_department(departments) -> tuple[list[tuple], Progress]:
    """Per department with people (department, Progress), sorted by name, and the total over
    all of them. The people are counted from two plain reads, not built into checklists: a
    district admin's page counts thousands of people, and their checklists took a second."""
    departments = {d.pk: d for d in departments}
    ids = sorted(departments)
    total = Progress(str(_("All departments")))
    if not ids:
        return [], total
    facts = onboarding_facts(department_ids=ids)
    rows: dict[int, Progress] = {}
    for pk, department, trained_at in _trained_at(
        f"p.department_id IN ({sql.placeholders(ids)})", ids
    ):
        done = _done(facts.get(pk), trained_at)
        if department not in rows:
            rows[department] = Progress(departments[department].name)
        rows[department].add(done)
        total.add(done)
    ordered = sorted(rows.items(), key=lambda item: item[1].label)
    return [(departments[pk], progress) for pk, progress in ordered], total
