"""Passwords are hashed with Argon2id at OWASP's parameters, and a hash made with other parameters
(Django's heavier defaults, or the 19 MiB that decision 014 chose first) is re-hashed with them
at the next log-in."""

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


class FirstOwaspArgon2(Argon2PasswordHasher):
    """What decision 014 chose first: 19 MiB, 2 passes."""

    time_cost, memory_cost, parallelism = 2, 19 * 1024, 1


@pytest.mark.parametrize("old", [Argon2PasswordHasher, FirstOwaspArgon2])
def test_an_old_argon2_hash_is_upgraded_at_the_next_login(world, settings, old):
    settings.PASSWORD_HASHERS = ARGON2
    employee = world.employee
    employee.password = old().encode("पुराना-पासवर्ड-123", "salt" * 4)
    employee.save(update_fields=["password"])
    assert parameters(employee.password)["memory_cost"] == old.memory_cost

    assert authenticate(username=employee.username, password="पुराना-पासवर्ड-123") == employee

    employee.refresh_from_db()
    used = parameters(employee.password)
    assert employee.password.startswith("argon2$argon2id$")
    assert (used["memory_cost"], used["time_cost"], used["parallelism"]) == (7 * 1024, 5, 1)
    assert employee.check_password("पुराना-पासवर्ड-123")
