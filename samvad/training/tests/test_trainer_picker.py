"""Issue 14, item 6: the session form's trainer picker finds a person by name, employee code,
designation or department, lists each person once, and only the admin's own district."""

import re

import pytest
from django.urls import reverse

from samvad.org.models import Person
from samvad.training.models import Session
from samvad.training.trainers import SHOWN

from .helpers import make_session

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_sunitas(world):
    """Two people of the same name, told apart by code, designation and department."""
    water = Person.objects.create(
        district=world.dausa,
        department=world.water,
        name="सुनीता शर्मा",
        designation="कनिष्ठ अभियंता",
        employee_code="PHED-0417",
    )
    power = Person.objects.create(
        district=world.dausa,
        department=world.power,
        name="सुनीता शर्मा",
        designation="सहायक लेखाधिकारी",
        employee_code="JVVNL-2203",
    )
    return water, power


def search(client, query, **extra):
    response = client.get(reverse("training_trainers"), {"q": query, **extra})
    assert response.status_code == 200
    html = response.content.decode()
    return html, [int(pk) for pk in re.findall(r'name="trainer" value="(\d+)"', html)]


@pytest.mark.parametrize(
    "query",
    ["PHED-0417", "phed-04", "कनिष्ठ अभियंता", "जन स्वास्थ्य", "Public Health", "सुनीता phed"],
)
def test_it_finds_a_person_by_code_designation_or_department(login, world, two_sunitas, query):
    water, power = two_sunitas
    html, found = search(login(world.admin), query)
    assert found.count(water.pk) == 1 and power.pk not in found
    assert len(found) == len(set(found))
    assert "PHED-0417" in html and "कनिष्ठ अभियंता" in html and "जन स्वास्थ्य" in html


def test_two_people_of_one_name_are_each_listed_once_and_told_apart(login, world, two_sunitas):
    html, found = search(login(world.admin), "सुनीता")
    assert sorted(found) == sorted(p.pk for p in two_sunitas)
    assert "PHED-0417" in html and "JVVNL-2203" in html


def test_it_searches_only_the_admins_district(login, world, two_sunitas):
    Person.objects.create(
        district=world.alwar, name="सुनीता शर्मा", designation="लिपिक", employee_code="ALW-1"
    )
    _, found = search(login(world.admin), "सुनीता")
    assert len(found) == 2
    assert login(world.officer_a).get(reverse("training_trainers"), {"q": "x"}).status_code == 403


def test_it_shows_a_screenful_in_a_few_queries(login, world, django_assert_max_num_queries):
    Person.objects.bulk_create(
        Person(
            district=world.dausa,
            department=world.water,
            name=f"कर्मचारी {n}",
            designation="सहायक",
            employee_code=f"E-{n:03}",
        )
        for n in range(SHOWN + 15)
    )
    client = login(world.admin)
    with django_assert_max_num_queries(12):
        html, found = search(client, "कर्मचारी")
    assert len(found) == SHOWN and len(set(found)) == SHOWN
    assert "केवल पहले 20 दिखाए गए हैं" in html


def test_the_chosen_trainer_stays_on_top_of_a_new_search(login, world, two_sunitas):
    water, power = two_sunitas
    html, found = search(login(world.admin), "JVVNL", trainer=water.pk)
    assert found == [water.pk, power.pk]
    assert re.search(rf'value="{water.pk}" checked', html)


def test_the_session_form_sends_only_the_chosen_trainer_with_the_page(login, world, two_sunitas):
    water, _ = two_sunitas
    session = make_session(world, trainer=water)
    client = login(world.admin)

    html = client.get(reverse("training_session_edit", args=[session.pk])).content.decode()

    assert re.findall(r'name="trainer" value="(\d+)"', html) == [str(water.pk)]
    assert 'hx-get="/training/sessions/trainers/"' in html
    assert '<label for="id_trainer_q"' in html and "नाम, कर्मचारी कोड, पदनाम या विभाग लिखें" in html


def test_a_session_is_saved_with_the_trainer_picked(login, world, two_sunitas):
    _, power = two_sunitas
    response = login(world.admin).post(
        reverse("training_session_new"),
        {
            "topic": "X पर फ़ॉलो करना",
            "trainer": power.pk,
            "starts_at": "2025-01-10T11:00",
            "place": "कलक्ट्रेट सभागार",
            "invited_roles": ["officer"],
        },
    )
    assert response.status_code == 302
    assert Session.objects.get().trainer == power


@pytest.mark.parametrize("query", ["\x00", "क" * 101])
def test_a_search_that_cannot_be_read_gets_a_hindi_400(login, world, query):
    url = reverse("training_trainers")
    answer = login(world.admin).get(url, {"q": query})
    assert answer.status_code == 400
    assert "अनुरोध स्वीकार नहीं हुआ" in answer.content.decode()  # the bilingual 400 page
