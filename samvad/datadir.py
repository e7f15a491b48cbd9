"""The data directory (SAMVAD_DATA_DIR, default ./var) and, outside production, the secrets made
once per data directory so that no key is ever in the repository.

Settings only read them: the directory and the secrets are made by `prepare()`, which the `samvad`
command runs before Django starts (samvad/__main__.py), so that every process of a development
install (the demo's web server, worker and sandbox included) reads the same keys.
"""

import base64
import os
import secrets
from pathlib import Path

DEV_SECRETS = {
    "secret_key": lambda: secrets.token_urlsafe(50),  # SECRET_KEY
    "token_keys": lambda: base64.urlsafe_b64encode(secrets.token_bytes(32)).decode(),  # Fernet
}


def data_dir() -> Path:
    default = Path(__file__).resolve().parent.parent / "var"
    return Path(os.environ.get("SAMVAD_DATA_DIR") or default).resolve()


def dev_secret(name: str) -> str:
    """The data directory's secret NAME; a process started on a directory that `prepare()` has not
    seen (a bare `pytest` on a fresh checkout) gets one of its own for its lifetime."""
    path = data_dir() / name
    return path.read_text().strip() if path.exists() else DEV_SECRETS[name]()


def prepare(*, production: bool) -> None:
    directory = data_dir()
    (directory / "static").mkdir(parents=True, exist_ok=True)  # STATIC_ROOT, for whitenoise
    if production:
        return  # production secrets come from the environment (docs/deploy.md)
    for name, make in DEV_SECRETS.items():
        path = directory / name
        if not path.exists():
            path.write_text(make())
            path.chmod(0o600)
