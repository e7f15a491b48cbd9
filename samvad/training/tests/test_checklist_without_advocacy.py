"""Until the advocacy app answers, the X steps read as not done rather than failing."""

import sys

import pytest

from samvad.training import checklist

pytestmark = pytest.mark.django_db


def test_an_uninstalled_advocacy_app_means_no_data_yet(world, monkeypatch):
    monkeypatch.setattr(checklist.apps, "is_installed", lambda name: False)
    assert checklist.onboarding_facts([world.employee.person.pk]) == {}


def test_a_fault_inside_the_advocacy_app_is_not_hidden(world, monkeypatch):
    def broken(*args, **kwargs):
        raise ModuleNotFoundError("No module named 'somelib'", name="somelib")

    monkeypatch.setattr("samvad.advocacy.selectors.onboarding_facts", broken, raising=False)
    if "samvad.advocacy.selectors" not in sys.modules:
        pytest.skip("samvad.advocacy is not installed")
    with pytest.raises(ModuleNotFoundError):
        checklist.onboarding_facts([1])
