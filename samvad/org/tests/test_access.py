"""Every URL has an access rule, and no persona sees past its scope."""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse


def walk(patterns, prefix=""):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            yield from walk(pattern.url_patterns, prefix + str(pattern.pattern))
        elif isinstance(pattern, URLPattern):
            yield prefix + str(pattern.pattern), pattern.callback


def access_rule(callback):
    # Class-based views keep the wrapper's attributes; ninja's API views are checked in api tests.
    return getattr(callback, "access_rule", None)


def test_every_url_pattern_has_an_access_rule():
    missing = []
    for route, callback in walk(get_resolver().url_patterns):
        if route.startswith("api/v1/"):
            continue  # the API's operations carry their own rules: see test_every_api_operation...
        if not access_rule(callback):
            missing.append(route)
    assert missing == []


def test_every_api_operation_has_an_access_rule():
    api = pytest.importorskip("samvad.api.api")
    operations = list(api.operations())
    assert operations, "the API has no operations"
    assert [(path, method) for path, method, _, rule in operations if not rule] == []


def test_the_walk_notices_a_view_without_a_rule():
    def naked(request):
        return None

    assert access_rule(naked) is None


def test_anonymous_users_are_sent_to_log_in(client, world):
    response = client.get(reverse("department_list"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_officer_of_a_gets_403_or_404_for_every_page_and_object_of_b(login, world):
    b_person = world.officer_b.person
    client = login(world.officer_a)
    assert client.get(reverse("department_detail", args=[world.power.pk])).status_code == 404
    assert client.get(reverse("person_detail", args=[b_person.pk])).status_code == 404
    assert client.get(reverse("account_list")).status_code == 200
    own = client.get(reverse("department_detail", args=[world.water.pk]))
    assert own.status_code == 200
    assert b_person.name not in own.content.decode()


def test_officer_cannot_see_another_departments_staff_in_any_list(login, world):
    client = login(world.officer_a)
    for name in ("department_list", "home", "invite"):
        page = client.get(reverse(name)).content.decode()
        assert world.officer_b.person.name not in page


def test_district_admin_sees_nothing_of_another_district(login, world):
    client = login(world.admin)
    alwar_person = world.alwar_officer.person
    assert client.get(reverse("department_detail", args=[world.alwar_water.pk])).status_code == 404
    assert client.get(reverse("person_detail", args=[alwar_person.pk])).status_code == 404
    for name in ("home", "department_list", "account_list", "invite"):
        page = client.get(reverse(name)).content.decode()
        assert "DmAlwar" not in page
        assert world.alwar_water.name_hi not in page
    assert client.get(reverse("department_detail", args=[world.water.pk])).status_code == 200


def test_employee_sees_only_themself(login, world):
    client = login(world.employee)
    assert client.get(reverse("person_detail", args=[world.employee.person.pk])).status_code == 200
    assert client.get(reverse("person_detail", args=[world.officer_a.person.pk])).status_code == 404
    assert client.get(reverse("department_list")).status_code == 403
    assert client.get(reverse("invite")).status_code == 403


def test_state_observer_reads_every_district_but_no_personal_data(login, world):
    client = login(world.observer)
    home = client.get(reverse("home")).content.decode()
    assert "दौसा" in home and "अलवर" in home
    assert client.get(reverse("person_detail", args=[world.officer_a.person.pk])).status_code == 403
    assert client.get(reverse("department_detail", args=[world.water.pk])).status_code == 403


def test_editor_cannot_invite_or_manage_people(login, world):
    client = login(world.editor)
    assert client.get(reverse("invite")).status_code == 403
    assert client.get(reverse("department_detail", args=[world.water.pk])).status_code == 403


def test_user_without_a_role_sees_no_organisation_page(login, world):
    client = login(world.outsider)
    for name in ("department_list", "account_list", "invite"):
        assert client.get(reverse(name)).status_code == 403


def test_a_users_assignments_are_every_role_they_hold_and_no_one_elses(world):
    from samvad.org import access
    from samvad.org.models import RoleAssignment, User

    for user in (world.admin, world.editor, world.officer_a, world.employee, world.observer):
        fresh = User.objects.get(pk=user.pk)  # no assignments read yet
        expected = RoleAssignment.objects.filter(user=user)
        got = access.assignments(fresh)
        assert sorted(a.pk for a in got) == sorted(a.pk for a in expected) != []
        assert {a.role for a in got} == {a.role for a in expected}
