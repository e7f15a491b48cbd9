"""Scoping of /api/v1/org/: the same people see the same things as on the pages."""

import pytest
from django.utils import translation

from samvad.api.problems import KINDS
from samvad.org.models import Person


def items(response):
    """The objects of a list answer, paginated (/people) or not."""
    assert response.status_code == 200
    body = response.json()
    return body["items"] if isinstance(body, dict) else body


def ids(response):
    return {item["id"] for item in items(response)}


def person_of(user):
    return Person.objects.get(user=user)


def test_me_lists_roles_with_their_scope(get, people, org):
    body = get(people["officer_a"], "/org/me").json()
    assert body["username"] == "officer_a"
    assert body["language"] == "hi"
    assert body["roles"] == [
        {
            "role": "officer",
            "state_id": None,
            "district_id": org["d1"].id,
            "department_id": org["a"].id,
        }
    ]
    assert "email" not in body


def test_schemas_carry_both_names(get, people, org):
    body = get(people["admin1"], f"/org/departments/{org['a'].id}").json()
    assert body["name_en"] == "Public Health Engineering"
    assert body["name_hi"] == "जन स्वास्थ्य अभियांत्रिकी विभाग"
    assert {"name_hi", "name_en"} <= set(get(people["admin1"], "/org/districts").json()["items"][0])


def test_it_answers_403_with_a_translated_message_to_a_role_without_access(get, people):
    response = get(people["employee_a"], "/org/districts")
    assert response.status_code == 403
    with translation.override("hi"):
        title = str(KINDS["forbidden"][1])
        assert response.json() == {
            "type": "urn:samvad:problem:forbidden",
            "title": title,
            "status": 403,
            "detail": title,
        }
    assert get(people["outsider"], "/org/accounts").status_code == 403


def test_an_officer_gets_404_for_another_departments_people(get, people, org):
    officer = people["officer_a"]
    assert get(officer, f"/org/people/{person_of(people['officer_b']).id}").status_code == 404
    assert get(officer, f"/org/people/{person_of(people['employee_a']).id}").status_code == 200
    assert get(officer, f"/org/departments/{org['b'].id}").status_code == 404


def test_an_officer_filtering_by_another_department_gets_nothing(get, people, org):
    response = get(people["officer_a"], "/org/people", department=org["b"].id)
    assert response.status_code == 200
    assert response.json() == {"items": [], "next": None, "count": 0}


def test_an_officer_lists_only_own_department_people(get, people):
    found = ids(get(people["officer_a"], "/org/people"))
    assert found == {person_of(people["officer_a"]).id, person_of(people["employee_a"]).id}


def test_people_carry_personal_fields(get, people):
    body = get(people["officer_a"], f"/org/people/{person_of(people['employee_a']).id}").json()
    assert body["email"] == "employee@example.gov.in"
    assert body["mobile"] == "9999999999"


def test_an_employee_sees_only_their_own_record(get, people):
    employee = people["employee_a"]
    assert get(employee, f"/org/people/{person_of(employee).id}").status_code == 200
    assert get(employee, f"/org/people/{person_of(people['officer_a']).id}").status_code == 404
    assert get(employee, "/org/people").status_code == 403


@pytest.mark.parametrize(
    "path", ["/org/districts", "/org/departments", "/org/people", "/org/accounts"]
)
def test_a_district_admin_sees_nothing_of_another_district(get, people, org, path):
    found = items(get(people["admin1"], path))
    assert found
    assert all(item.get("district_id", item["id"]) == org["d1"].id for item in found)


def test_a_district_admin_gets_404_for_another_districts_objects(get, people, org):
    admin = people["admin1"]
    assert get(admin, f"/org/districts/{org['d2'].id}").status_code == 404
    assert get(admin, f"/org/departments/{org['c'].id}").status_code == 404
    assert get(admin, f"/org/people/{person_of(people['officer_c']).id}").status_code == 404
    assert get(admin, "/org/departments", district=org["d2"].id).json()["items"] == []


def test_a_district_admin_lists_every_department_and_person_of_the_district(get, people, org):
    admin = people["admin1"]
    assert ids(get(admin, "/org/departments")) == {org["a"].id, org["b"].id}
    d1_people = Person.objects.filter(district=org["d1"]).values_list("id", flat=True)
    assert ids(get(admin, "/org/people")) == set(d1_people)


def test_a_state_observer_sees_the_states_districts_but_no_people(get, people, org):
    observer = people["observer"]
    assert ids(get(observer, "/org/districts")) == {org["d1"].id, org["d2"].id}
    assert get(observer, "/org/departments").json()["count"] == 3
    assert get(observer, "/org/accounts").json()["count"] == 2
    assert get(observer, "/org/people").status_code == 403
    assert get(observer, f"/org/people/{person_of(people['employee_a']).id}").status_code == 403


def test_a_missing_object_answers_a_translated_404(get, people):
    response = get(people["admin1"], "/org/districts/999999")
    assert response.status_code == 404
    assert response.json()["detail"]
