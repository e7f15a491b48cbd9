"""Passwords are hashed with Argon2id at OWASP's parameters, and a hash made with Django's
heavier defaults is re-hashed with them at the next log-in (decision 014)."""

import pytest
from django.contrib.auth import authenticate
from django.contrib.auth.hashers import Argon2PasswordHasher

from samvad.accounts_security.hashers import OwaspArgon2PasswordHasher

pytestmark = pytest.mark.django_db

ARGON2 = [
    "samvad.accounts_security.hashers.OwaspArgon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]


def parameters(encoded: str) -> dict:
    return OwaspArgon2PasswordHasher().decode(encoded)


def test_an_old_argon2_hash_is_upgraded_at_the_next_login(world, settings):
    settings.PASSWORD_HASHERS = ARGON2
    employee = world.employee
    employee.password = Argon2PasswordHasher().encode("पुराना-पासवर्ड-123", "salt" * 4)
    employee.save(update_fields=["password"])
    assert parameters(employee.password)["memory_cost"] == 102400

    assert authenticate(username=employee.username, password="पुराना-पासवर्ड-123") == employee

    employee.refresh_from_db()
    used = parameters(employee.password)
    assert employee.password.startswith("argon2$argon2id$")
    assert (used["memory_cost"], used["time_cost"], used["parallelism"]) == (19 * 1024, 2, 1)
    assert employee.check_password("पुराना-पासवर्ड-123")
