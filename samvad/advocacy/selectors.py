"""Reads that other apps and this app's pages use."""

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.db import connection
from django.db.models import Count, Q
from django.utils import timezone

from samvad.advocacy.models import DepartmentSnapshot, StaffHandle, StaffRepost
from samvad.content.models import Post, PostState
from samvad.org import sql
from samvad.org.figures import following_rate

# An official post is an employee's task to repost for this long after it is published.
TASK_WINDOW = timedelta(hours=24)


@dataclass(frozen=True)
class OnboardingFacts:
    handle_registered: bool = False
    handle_verified: bool = False
    following_since: datetime | None = None
    first_repost_at: datetime | None = None


def onboarding_facts(person_ids=(), *, department_ids=()) -> dict[int, OnboardingFacts]:
    """Each person's account, follow and first repost, in one query however many people: the
    people named (each with its facts, none registered where there is no handle), or everyone with
    a handle in the departments named (a district's thousands, without naming each)."""
    ids = list(person_ids)
    facts = dict.fromkeys(ids, OnboardingFacts())
    if ids:
        where, params = f"h.person_id IN ({sql.placeholders(ids)})", ids
    elif departments := list(department_ids):
        where, params = f"p.department_id IN ({sql.placeholders(departments)})", departments
    else:
        return facts
    with connection.cursor() as cursor:
        cursor.execute(HANDLES.format(where=where), params)
        rows = sql.with_datetimes(cursor.fetchall(), 2, 3, 4)
    for person_id, *handle in rows:
        facts[person_id] = _facts(*handle)
    return facts


# Every onboarding checklist reads it (sql.py says why it is written out): each handle with the
# time of its person's first repost.
HANDLES = """
    SELECT h.person_id, h.status, h.following_since, h.stopped_following_at, MIN(r.seen_at)
    FROM advocacy_staffhandle h JOIN org_person p ON p.id = h.person_id
    LEFT JOIN advocacy_staffrepost r ON r.person_id = h.person_id
    WHERE {where}
    GROUP BY h.id, h.person_id, h.status, h.following_since, h.stopped_following_at"""


def handle_facts(handle: StaffHandle | None, *, first_repost_at) -> OnboardingFacts:
    """One person's facts from what their task page has read already: their handle (None when
    none is registered) and their first repost."""
    if handle is None:
        return OnboardingFacts()
    return _facts(
        handle.status, handle.following_since, handle.stopped_following_at, first_repost_at
    )


def _facts(status, following_since, stopped_following_at, first_repost_at) -> OnboardingFacts:
    return OnboardingFacts(
        handle_registered=True,
        handle_verified=status == StaffHandle.Status.VERIFIED,
        following_since=following_since if stopped_following_at is None else None,
        first_repost_at=first_repost_at,
    )


FIGURES = ("staff", "registered", "verified", "following", "reposts_total", "reposters")


def department_figures(departments) -> dict[int, dict]:
    """Each department's compliance now, from two grouped queries; `departments` is read once
    (a page passes those it lists)."""
    ids = [d.pk for d in departments]
    figures = {pk: dict.fromkeys(FIGURES, 0) for pk in ids}
    if ids:
        with connection.cursor() as cursor:
            cursor.execute(STAFF_FIGURES.format(ids=sql.placeholders(ids)), [VERIFIED, *ids])
            for department, *row in cursor.fetchall():
                figures[department].update(zip(FIGURES[:4], row, strict=True))
            cursor.execute(REPOST_FIGURES.format(ids=sql.placeholders(ids)), [*ids])
            for department, *row in cursor.fetchall():
                figures[department].update(zip(FIGURES[4:], row, strict=True))
    for row in figures.values():
        row["rate"] = following_rate(row["following"], row["staff"])
    return figures


# The figures' two queries written out: every manager's /advocacy/ reads them, and the ORM took
# longer to build them (about 2 ms a page) than the database took to answer. Following: a handle
# that follows the official account and has not stopped.
STAFF_FIGURES = """
    SELECT p.department_id, COUNT(p.id), COUNT(h.id),
        COUNT(CASE WHEN h.status = %s THEN 1 END),
        COUNT(CASE WHEN h.following_since IS NOT NULL AND h.stopped_following_at IS NULL
            THEN 1 END)
    FROM org_person p LEFT JOIN advocacy_staffhandle h ON h.person_id = p.id
    WHERE p.department_id IN ({ids}) GROUP BY p.department_id"""
VERIFIED = StaffHandle.Status.VERIFIED.value
REPOST_FIGURES = """
    SELECT p.department_id, COUNT(r.id), COUNT(DISTINCT r.person_id)
    FROM advocacy_staffrepost r JOIN org_person p ON p.id = r.person_id
    WHERE p.department_id IN ({ids}) GROUP BY p.department_id"""


def department_people(department):
    """The department's staff with their handle and repost count, for the compliance table."""
    return (
        department.people.select_related("x_handle")
        .annotate(repost_count=Count("x_reposts"))
        .order_by("name")
    )


def department_trend(department, *, days: int = 15) -> list[DepartmentSnapshot]:
    since = timezone.localdate() - timedelta(days=days)
    return list(DepartmentSnapshot.objects.filter(department=department, day__gte=since))


def latest_snapshots(departments, day: date | None = None) -> dict[int, DepartmentSnapshot]:
    """The newest record of each department (on or before `day`), in one query."""
    day = day or timezone.localdate()
    rows = DepartmentSnapshot.objects.filter(department__in=departments, day__lte=day).order_by(
        "department_id", "-day"
    )
    latest = {}
    for row in rows.filter(day__gte=day - timedelta(days=30)):
        latest.setdefault(row.department_id, row)
    return latest


def leaderboard(district, *, limit: int = 20) -> list[dict]:
    """Who reposted most. Only people who agreed are named; the rest are counted anonymously."""
    rows = (
        StaffRepost.objects.filter(person__district=district)
        .values(
            "person",
            "person__name",
            "person__department__name_hi",
            "person__department__name_en",
            "person__x_handle__on_leaderboard",
        )
        .annotate(reposts=Count("id"))
        .order_by("-reposts", "person")[:limit]
    )
    return [
        {
            "named": bool(r["person__x_handle__on_leaderboard"]),
            "name": r["person__name"] if r["person__x_handle__on_leaderboard"] else "",
            "department_hi": r["person__department__name_hi"],
            "department_en": r["person__department__name_en"],
            "reposts": r["reposts"],
        }
        for r in rows
    ]


def reminder_candidates(department, post_ids: list[str]):
    """People not yet following, or who have not reposted every one of these posts."""
    missing = Q(x_reposts__x_post_id__in=post_ids)
    people = department.people.select_related("x_handle").annotate(
        reposted=Count("x_reposts", filter=missing, distinct=True)
    )
    not_following = (
        Q(x_handle__isnull=True)
        | Q(x_handle__following_since__isnull=True)
        | Q(x_handle__stopped_following_at__isnull=False)
    )
    return people.filter(not_following | Q(reposted__lt=len(post_ids))).order_by("name")


def official_posts(district, *, since: datetime):
    """The district account's own posts published since then, newest first: what staff repost
    (a department's account's posts are not asked of them)."""
    return Post.objects.filter(
        district=district,
        state=PostState.PUBLISHED,
        x_post_id__isnull=False,
        published_at__gte=since,
        account__department__isnull=True,
    ).order_by("-published_at")


def repost_tasks_waiting(person, *, since: datetime):
    """The official posts published since then that the person has not reposted."""
    reposted = StaffRepost.objects.filter(person=person).values("x_post_id")
    return official_posts(person.district_id, since=since).exclude(x_post_id__in=reposted)
