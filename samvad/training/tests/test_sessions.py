"""Sessions: created by district admins, attendance marked one by one or from a pasted list, and
each persona sees only its own scope."""

from datetime import UTC, datetime

import pytest
from django.urls import reverse

from samvad.demo.dausa import DIRECTIVE_DEPARTMENTS, seed_dausa
from samvad.org.models import Department, Person, User
from samvad.training.checklist import checklists_for
from samvad.training.models import Attendance, Session

from .helpers import make_session

pytestmark = pytest.mark.django_db


def test_it_records_the_directives_meeting_and_the_thirteen_officers_are_trained(client):
    seed_dausa(employees_per_department=1)
    analyst = User.objects.get(username="sysanalyst")
    client.force_login(analyst)
    departments = Department.objects.filter(
        district__code="dausa", code__in=[d.code for d in DIRECTIVE_DEPARTMENTS]
    )
    assert departments.count() == 13

    response = client.post(reverse("training_session_new"), {
        "topic": "ट्विटर (X) के उपयोग पर प्रशिक्षण",
        "trainer": analyst.person.pk,
        "starts_at": "2025-01-10T11:00",
        "place": "कलक्ट्रेट सभागार, दौसा",
        "invited_departments": [d.pk for d in departments],
        "invited_roles": ["officer"],
    })  # fmt: skip
    session = Session.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("training_attendance", args=[session.pk])

    # The attendance page offers exactly the thirteen officers, not their staff.
    page = client.get(response["Location"])
    officers = Person.objects.filter(user__username__startswith="officer-")
    assert {p.pk for p in page.context["candidates"]} == {p.pk for p in officers}
    assert len(officers) == 13

    client.post(response["Location"], {"person": [p.pk for p in officers]})
    assert session.attendances.count() == 13
    checklists = checklists_for(officers)
    assert all(c.step("trained").done for c in checklists)
    staff = checklists_for(Person.objects.filter(user__isnull=True, district__code="dausa"))
    assert not any(c.step("trained").done for c in staff)
    assert session.trainer.designation == "सिस्टम एनालिस्ट (संयुक्त निदेशक)"


def test_it_takes_the_time_as_ist(login, world):
    trainer = world.officer_a.person
    login(world.admin).post(reverse("training_session_new"), {
        "topic": "प्रशिक्षण", "trainer": trainer.pk, "starts_at": "2025-01-10T11:00",
        "link": "https://meet.example.gov.in/abc",
    })  # fmt: skip
    assert Session.objects.get().starts_at == datetime(2025, 1, 10, 5, 30, tzinfo=UTC)


def test_it_needs_a_place_or_a_link(login, world):
    response = login(world.admin).post(reverse("training_session_new"), {
        "topic": "प्रशिक्षण", "trainer": world.officer_a.person.pk, "starts_at": "2025-01-10T11:00",
    })  # fmt: skip
    assert response.status_code == 200
    assert "place" in response.context["form"].errors
    assert not Session.objects.exists()


def test_it_offers_only_the_districts_people_as_trainers(login, world):
    response = login(world.admin).post(reverse("training_session_new"), {
        "topic": "प्रशिक्षण", "trainer": world.alwar_officer.person.pk,
        "starts_at": "2025-01-10T11:00", "place": "सभागार",
    })  # fmt: skip
    assert "trainer" in response.context["form"].errors


def test_it_lets_only_district_admins_create_sessions_and_mark_attendance(login, world):
    session = make_session(world, departments=[world.water])
    for persona in (world.editor, world.officer_a, world.employee, world.observer):
        client = login(persona)
        assert client.get(reverse("training_session_new")).status_code == 403
        url = reverse("training_attendance", args=[session.pk])
        assert client.post(url, {"person": [world.employee.person.pk]}).status_code == 403
    assert not session.attendances.exists()


def test_a_district_admin_never_sees_another_districts_session(login, world):
    alwar = make_session(
        world, district=world.alwar, trainer=world.alwar_officer.person, topic="अलवर सत्र"
    )
    client = login(world.admin)
    for name in ("training_session", "training_session_edit", "training_attendance"):
        assert client.get(reverse(name, args=[alwar.pk])).status_code == 404
    assert "अलवर सत्र" not in client.get(reverse("training")).content.decode()
    assert (
        login(world.alwar_admin).get(reverse("training_session", args=[alwar.pk])).status_code
        == 200
    )


def test_the_page_puts_the_next_session_first_and_those_held_apart(login, world):
    for topic, year in (("बाद वाला", 2099), ("अगला", 2098), ("हो चुका", 2025)):
        make_session(
            world, trainer=world.officer_a.person, topic=topic,
            starts_at=datetime(year, 1, 10, 5, 30, tzinfo=UTC),
        )  # fmt: skip
    page = login(world.admin).get(reverse("training"))
    assert [s.topic for s in page.context["upcoming"]] == ["अगला", "बाद वाला"]
    assert [s.topic for s in page.context["held"]] == ["हो चुका"]


def test_checkboxes_set_exactly_the_attendees(login, world):
    session = make_session(world, departments=[world.water], roles=["officer", "employee"])
    a, employee = world.officer_a.person, world.employee.person
    client = login(world.admin)
    url = reverse("training_attendance", args=[session.pk])
    assert {p.pk for p in client.get(url).context["candidates"]} == {a.pk, employee.pk}
    client.post(url, {"person": [a.pk, employee.pk]})
    client.post(url, {"person": [a.pk]})
    assert list(session.attendances.values_list("person", flat=True)) == [a.pk]
    # Someone of another district is never marked, whatever is posted.
    client.post(url, {"person": [a.pk, world.alwar_officer.person.pk]})
    assert list(session.attendances.values_list("person", flat=True)) == [a.pk]


def test_a_pasted_list_marks_people_by_code_or_name_and_reports_the_rest(login, world):
    session = make_session(world, departments=[world.water])
    Person.objects.create(district=world.dausa, department=world.power, name="सीमा जैन",
                          designation="लिपिक", employee_code="DSA-JVVNL-0007")  # fmt: skip
    pasted = "\n".join([
        "EMP-officer_a",  # a code
        "  employee   व्यक्ति ",  # a name, with stray spaces
        "1\tDSA-JVVNL-0007\tसीमा जैन",  # a row copied from Excel
        "",
        "राम अनजान",  # nobody
        "EMP-alwar_officer",  # another district's code: nobody here
    ])  # fmt: skip
    response = login(world.admin).post(
        reverse("training_attendance", args=[session.pk]), {"lines": pasted}
    )
    result = response.context["result"]
    assert sorted(p.name for p in result.matched) == ["employee व्यक्ति", "officer_a व्यक्ति",
                                                      "सीमा जैन"]  # fmt: skip
    assert result.unmatched == ["राम अनजान", "EMP-alwar_officer"]
    assert session.attendances.count() == 3
    page = response.content.decode()
    assert "राम अनजान" in page and "EMP-alwar_officer" in page


def test_a_name_that_two_people_share_is_not_guessed(login, world):
    session = make_session(world)
    for code in ("A-1", "A-2"):
        Person.objects.create(district=world.dausa, name="रमेश मीणा", designation="लिपिक",
                              employee_code=code)  # fmt: skip
    response = login(world.admin).post(
        reverse("training_attendance", args=[session.pk]), {"lines": "रमेश मीणा\nA-2"}
    )
    assert response.context["result"].ambiguous == ["रमेश मीणा"]
    assert [a.person.employee_code for a in session.attendances.all()] == ["A-2"]


def test_pasting_the_same_list_twice_marks_nobody_twice(login, world):
    session = make_session(world)
    client = login(world.admin)
    url = reverse("training_attendance", args=[session.pk])
    client.post(url, {"lines": "EMP-officer_a"})
    response = client.post(url, {"lines": "EMP-officer_a"})
    assert response.context["result"].added == 0
    assert session.attendances.count() == 1


def test_officers_see_only_their_departments_attendance(login, world):
    session = make_session(world, departments=[world.water, world.power])
    session.mark_present([world.officer_a.person, world.officer_b.person], by=world.admin)
    page = login(world.officer_a).get(reverse("training_session", args=[session.pk]))
    names = [a.person.name for a in page.context["attendances"]]
    assert names == [world.officer_a.person.name]
    assert world.officer_b.person.name not in page.content.decode()
    admin_page = login(world.admin).get(reverse("training_session", args=[session.pk]))
    assert len(admin_page.context["attendances"]) == 2


def test_employees_see_only_their_own_attendance(login, world):
    session = make_session(world, departments=[world.water])
    session.mark_present([world.officer_a.person, world.employee.person], by=world.admin)
    page = login(world.employee).get(reverse("training_session", args=[session.pk]))
    assert [a.person for a in page.context["attendances"]] == [world.employee.person]


def test_a_session_of_another_department_is_hidden_from_its_officers(login, world):
    session = make_session(world, departments=[world.power])
    assert (
        login(world.officer_a).get(reverse("training_session", args=[session.pk])).status_code
        == 404
    )
    assert (
        login(world.officer_b).get(reverse("training_session", args=[session.pk])).status_code
        == 200
    )


def test_an_attendee_rates_the_session(login, world):
    session = make_session(world, departments=[world.water])
    session.mark_present([world.employee.person], by=world.admin)
    client = login(world.employee)
    url = reverse("training_feedback", args=[session.pk])
    client.post(url, {"rating": 6, "comment": "?"})
    client.post(url, {"rating": 4, "comment": "उपयोगी सत्र"})
    attendance = Attendance.objects.get()
    assert (attendance.rating, attendance.comment) == (4, "उपयोगी सत्र")


def test_only_an_attendee_can_give_feedback(login, world):
    session = make_session(world, departments=[world.water])
    session.mark_present([world.employee.person], by=world.admin)
    url = reverse("training_feedback", args=[session.pk])
    assert login(world.officer_a).post(url, {"rating": 1}).status_code == 404
    assert Attendance.objects.get().rating is None


def test_editing_a_session_keeps_its_district(login, world):
    session = make_session(world)
    client = login(world.admin)
    response = client.post(reverse("training_session_edit", args=[session.pk]), {
        "topic": "नया विषय", "trainer": session.trainer.pk, "starts_at": "2025-01-11T10:00",
        "place": "सभागार", "invited_roles": ["employee"],
    })  # fmt: skip
    assert response.status_code == 302
    session.refresh_from_db()
    assert (session.topic, session.district, session.invited_roles) == (
        "नया विषय", world.dausa, ["employee"])  # fmt: skip


def test_a_session_for_every_department_is_visible_to_every_officer_of_the_district(login, world):
    session = make_session(world, departments=[])
    for officer in (world.officer_a, world.officer_b):
        page = login(officer).get(reverse("training_session", args=[session.pk]))
        assert page.status_code == 200
    assert (
        login(world.alwar_officer).get(reverse("training_session", args=[session.pk])).status_code
        == 404
    )
