"""The API tests' names for the root conftest's personas (one world for every test): district 1 is
Dausa with departments a (water) and b (power), district 2 is Alwar with department c (water)."""

import pytest

from samvad.api.models import ApiToken


@pytest.fixture
def org(world):
    return {
        "state": world.rajasthan,
        "d1": world.dausa,
        "d2": world.alwar,
        "a": world.water,
        "b": world.power,
        "c": world.alwar_water,
    }


@pytest.fixture
def people(world):
    return {
        "observer": world.observer,
        "admin1": world.admin,
        "admin2": world.alwar_admin,
        "editor1": world.editor,
        "officer_a": world.officer_a,
        "officer_b": world.officer_b,
        "officer_c": world.alwar_officer,
        "employee_a": world.employee,
        "outsider": world.outsider,
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
