"""Tokens sealed at rest with SAMVAD_TOKEN_KEYS (Fernet keys; the first seals, all of them open),
so a copy of the database alone, or SECRET_KEY alone, gives no one an account."""

from cryptography.fernet import Fernet, MultiFernet
from django.conf import settings


def _ring() -> MultiFernet:
    # Built per call so that a changed setting (key rotation, tests) takes effect at once.
    return MultiFernet([Fernet(key) for key in settings.SAMVAD_TOKEN_KEYS])


def seal(plain: str) -> str:
    return _ring().encrypt(plain.encode()).decode() if plain else ""


def unseal(sealed: str) -> str:
    return _ring().decrypt(sealed.encode()).decode() if sealed else ""


def reseal(sealed: str) -> str:
    """The same secret sealed under the current (first) key."""
    return _ring().rotate(sealed.encode()).decode() if sealed else ""
