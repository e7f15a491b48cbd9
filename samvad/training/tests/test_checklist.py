"""Each onboarding step is derived from data: attendance (the only hand-marked fact) or a session
given for "trained", and the advocacy app's records for the X steps."""

from datetime import UTC, datetime

import pytest
from django.urls import reverse

from samvad.training.checklist import checklist_for, checklists_for, progress_by_department

from .helpers import make_session

pytestmark = pytest.mark.django_db

# The X steps read the advocacy app's models; these tests wait for that app if it is not there.
advocacy = pytest.importorskip(
    "samvad.advocacy.models", reason="samvad.advocacy (handles, follows, reposts) is not installed"
)
SINCE = datetime(2025, 1, 11, 9, 0, tzinfo=UTC)


def register(person, *, status="unverified", following_since=None, stopped=None):
    return advocacy.StaffHandle.objects.create(
        person=person, district=person.district, handle=f"h{person.pk}", status=status,
        following_since=following_since, stopped_following_at=stopped,
    )  # fmt: skip


def done(person) -> dict[str, bool]:
    return {step.key: step.done for step in checklist_for(person).steps}


def test_nothing_is_done_for_a_newcomer(world):
    checklist = checklist_for(world.employee.person)
    assert not any(done(world.employee.person).values())
    assert checklist.next_step.key == "trained"


def test_trained_comes_from_attendance_at_a_session(world):
    person = world.employee.person
    session = make_session(world, departments=[world.water])
    session.mark_present([person], by=world.admin)
    step = checklist_for(person).step("trained")
    assert step.done and step.when == session.starts_at


def test_whoever_gave_a_session_is_trained_from_its_start_on(world):
    trainer = world.officer_a.person
    session = make_session(
        world, trainer=trainer, starts_at=datetime(2025, 1, 10, 5, 30, tzinfo=UTC)
    )
    make_session(world, trainer=trainer, starts_at=datetime(2099, 1, 10, tzinfo=UTC))
    assert checklist_for(trainer).step("trained").when == session.starts_at
    session.delete()
    assert not checklist_for(trainer).step("trained").done  # one still to come does not count


def test_handle_registered_comes_from_a_registered_handle(world):
    register(world.employee.person)
    assert done(world.employee.person) == {
        "trained": False, "handle_registered": True, "handle_verified": False,
        "following": False, "first_repost": False,
    }  # fmt: skip


def test_handle_verified_comes_from_the_check_with_x(world):
    handle = register(world.employee.person, status="not_found")
    assert not done(world.employee.person)["handle_verified"]
    handle.status = "verified"
    handle.save()
    assert done(world.employee.person)["handle_verified"]


def test_following_comes_from_the_follower_sync_and_ends_on_unfollow(world):
    person = world.employee.person
    handle = register(person, status="verified", following_since=SINCE)
    step = checklist_for(person).step("following")
    assert step.done and step.when == SINCE
    handle.stopped_following_at = datetime(2025, 1, 12, tzinfo=UTC)
    handle.save()
    assert not done(person)["following"]


def test_first_repost_comes_from_a_seen_repost(world):
    person = world.employee.person
    register(person, status="verified", following_since=SINCE)
    assert not done(person)["first_repost"]
    for day in (14, 12):
        advocacy.StaffRepost.objects.create(
            person=person, x_post_id=str(day), seen_at=datetime(2025, 1, day, tzinfo=UTC)
        )
    step = checklist_for(person).step("first_repost")
    assert step.done and step.when == datetime(2025, 1, 12, tzinfo=UTC)


def test_the_next_step_is_the_first_one_not_done(world):
    person = world.employee.person
    make_session(world).mark_present([person], by=world.admin)
    register(person, status="verified")
    checklist = checklist_for(person)
    assert checklist.next_step.key == "following"
    assert "@DmDausa" in checklist.next_hint
    advocacy.StaffRepost.objects.create(person=person, x_post_id="1")
    handle = person.x_handle
    handle.following_since = SINCE
    handle.save()
    assert checklist_for(person).complete


def test_checklists_take_a_fixed_number_of_queries(world, django_assert_max_num_queries):
    from samvad.org.models import Person

    people = list(Person.objects.all())
    for person in people:
        register(person, status="verified")
    with django_assert_max_num_queries(3):
        checklists = checklists_for(people)
    assert len(checklists) == len(people)


def test_progress_counts_each_step_per_department_and_in_total(world):
    from samvad.org.models import Department

    make_session(world).mark_present(
        [world.officer_a.person, world.officer_b.person], by=world.admin
    )
    register(world.employee.person, status="verified", following_since=SINCE)
    rows, total = progress_by_department(Department.objects.filter(district=world.dausa))
    by_name = {row.label: row for _, row in rows}
    water = by_name[world.water.name]
    assert (water.people, water.done["trained"], water.done["following"]) == (2, 1, 1)
    assert water.cells()[0] == (1, 50)
    assert (total.people, total.done["trained"], total.done["handle_verified"]) == (3, 2, 1)


def test_progress_counts_what_the_checklists_say(world):
    """The progress pages count from two plain reads; each person's checklist is built from the
    same facts: the counts are the checklists', step by step, including people who did every
    step, who stopped following, and who trained others."""
    from samvad.org.models import Department, Person

    officer_a, officer_b, employee = (p.person for p in (world.officer_a, world.officer_b,
                                                          world.employee))  # fmt: skip
    make_session(world).mark_present([officer_a, employee], by=world.admin)
    make_session(world, trainer=officer_b)
    register(officer_a, status="verified", following_since=SINCE)
    register(officer_b, status="verified", following_since=SINCE, stopped=SINCE)
    register(employee, status="verified", following_since=SINCE)
    advocacy.StaffRepost.objects.create(person=employee, x_post_id="1")
    advocacy.StaffRepost.objects.create(person=officer_b, x_post_id="2")

    departments = Department.objects.filter(district=world.dausa)
    rows, total = progress_by_department(departments)
    checklists = checklists_for(Person.objects.filter(department__in=departments))
    expected = {key: sum(c.step(key).done for c in checklists) for key in total.done}
    assert total.done == expected
    assert total.people == len(checklists) == 3
    assert total.complete == sum(c.complete for c in checklists) == 1
    for department, row in rows:
        mine = [c for c in checklists if c.person.department_id == department.pk]
        assert row.done == {key: sum(c.step(key).done for c in mine) for key in row.done}


def test_progress_takes_a_fixed_number_of_queries(world, django_assert_num_queries):
    from samvad.org.models import Department, Person

    for person in Person.objects.all():
        register(person, status="verified", following_since=SINCE)
    departments = list(Department.objects.all())
    with django_assert_num_queries(2):  # the handles, and the people with their training
        rows, total = progress_by_department(departments)
    assert total.people == Person.objects.filter(department__isnull=False).count()


def test_the_employee_sees_their_checklist_and_next_step(login, world):
    register(world.employee.person)
    page = login(world.employee).get(reverse("training")).content.decode()
    assert "training/materials/create-x-account/" in page
    assert page.count("✔") == 1
