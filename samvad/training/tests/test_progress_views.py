"""Onboarding progress pages: per department and district, scoped like the people in them."""

import pytest
from django.urls import reverse

from .helpers import make_session

pytestmark = pytest.mark.django_db


def test_a_district_admin_sees_every_department_and_the_total(login, world):
    make_session(world).mark_present([world.officer_a.person], by=world.admin)
    response = login(world.admin).get(reverse("training_progress"))
    labels = [row.label for _, row in response.context["rows"]]
    assert labels == sorted([world.water.name, world.power.name])
    assert response.context["total"].done["trained"] == 1
    assert world.alwar_water.name_hi not in response.content.decode()


def test_an_officer_sees_only_their_department(login, world):
    client = login(world.officer_a)
    response = client.get(reverse("training_progress"))
    assert [row.label for _, row in response.context["rows"]] == [world.water.name]
    assert (
        client.get(reverse("training_progress_department", args=[world.power.pk])).status_code
        == 404
    )
    page = client.get(reverse("training_progress_department", args=[world.water.pk]))
    names = [c.person.name for c in page.context["checklists"]]
    assert world.employee.person.name in names and world.officer_b.person.name not in names


def test_others_cannot_see_progress(login, world):
    for persona in (world.employee, world.editor, world.observer):
        assert login(persona).get(reverse("training_progress")).status_code == 403
    assert (
        login(world.alwar_admin)
        .get(reverse("training_progress_department", args=[world.water.pk]))
        .status_code
        == 404
    )


def test_every_training_page_renders_for_each_persona(login, world):
    session = make_session(world, departments=[world.water])
    session.mark_present([world.employee.person], by=world.admin)
    for persona in ("admin", "editor", "officer_a", "employee", "observer", "outsider"):
        client = login(getattr(world, persona))
        for name in ("training", "training_materials"):
            assert client.get(reverse(name)).status_code == 200, (persona, name)
    assert (
        login(world.admin).get(reverse("training_session_edit", args=[session.pk])).status_code
        == 200
    )
