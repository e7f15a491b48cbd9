"""Personas for the API tests: Rajasthan with two districts; departments A and B in district 1 and
C in district 2; one user per role, each with a person record holding personal data."""

import pytest

from samvad.api.models import ApiToken
from samvad.org.models import (
    Department,
    District,
    OfficialAccount,
    Person,
    Role,
    RoleAssignment,
    State,
    User,
)


@pytest.fixture
def org(db):
    state = State.objects.create(code="rj", name_hi="राजस्थान", name_en="Rajasthan")
    d1 = District.objects.create(state=state, code="dausa", name_hi="दौसा", name_en="Dausa")
    d2 = District.objects.create(state=state, code="alwar", name_hi="अलवर", name_en="Alwar")

    def department(district, code, name_en):
        return Department.objects.create(
            district=district,
            code=code,
            name_hi=f"{name_en} विभाग",
            name_en=name_en,
            head_designation_hi="अधिकारी",
            head_designation_en="Officer",
        )

    a = department(d1, "a", "Agriculture")
    b = department(d1, "b", "Bijli")
    c = department(d2, "c", "Chikitsa")
    for district, handle in [(d1, "DmDausa"), (d2, "DmAlwar")]:
        OfficialAccount.objects.create(district=district, handle=handle)
    return {"state": state, "d1": d1, "d2": d2, "a": a, "b": b, "c": c}


def _persona(username, role, *, state=None, district=None, department=None, **kwargs):
    user = User.objects.create_user(username, password="x", **kwargs)
    RoleAssignment.objects.create(
        user=user, role=role, state=state, district=district, department=department
    )
    if district:
        Person.objects.create(
            user=user,
            district=district,
            department=department,
            name=username.title(),
            designation="Officer",
            employee_code=username,
            email=f"{username}@example.gov.in",
            mobile="9999999999",
        )
    return user


@pytest.fixture
def people(org):
    d1, d2, a, b, c = org["d1"], org["d2"], org["a"], org["b"], org["c"]
    return {
        "observer": _persona("observer", Role.STATE_OBSERVER, state=org["state"]),
        "admin1": _persona("admin1", Role.DISTRICT_ADMIN, district=d1),
        "admin2": _persona("admin2", Role.DISTRICT_ADMIN, district=d2),
        "editor1": _persona("editor1", Role.EDITOR, district=d1),
        "officer_a": _persona("officer_a", Role.OFFICER, district=d1, department=a),
        "officer_b": _persona("officer_b", Role.OFFICER, district=d1, department=b),
        "officer_c": _persona("officer_c", Role.OFFICER, district=d2, department=c),
        "employee_a": _persona("employee_a", Role.EMPLOYEE, district=d1, department=a),
        "outsider": User.objects.create_user("outsider", password="x"),
    }


@pytest.fixture
def bearer():
    """Headers that authenticate as the given user with a fresh token."""

    def headers(user):
        _, raw = ApiToken.issue(user=user, name="test")
        return {"Authorization": f"Bearer {raw}"}

    return headers


@pytest.fixture
def get(client, bearer):
    """GET an API path as a user; answers the response (its JSON in `.json()`)."""

    def call(user, path, **params):
        return client.get(f"/api/v1{path}", params, headers=bearer(user))

    return call
