"""Real processes for the several-hosts tests: gunicorn web processes and `samvad worker`s, each
with its own empty data directory, sharing only the environment, as separate hosts would."""

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
from django.conf import settings

from samvad.jobs.tests.test_two_workers import shared_database_url

ROOT = Path(__file__).resolve().parents[3]  # the repository


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def shared_env(*, database_url: str | None = None, **overrides) -> dict:
    """What every host is given: the database, SECRET_KEY and the token keys, nothing else."""
    return {
        **os.environ,
        "DATABASE_URL": database_url or shared_database_url(),
        "SECRET_KEY": settings.SECRET_KEY,
        "SAMVAD_TOKEN_KEYS": ",".join(settings.SAMVAD_TOKEN_KEYS),
        "SAMVAD_X_API_BASE_URL": settings.SAMVAD_X_API_BASE_URL,
        "SAMVAD_MFA_REQUIRED_ROLES": "",
        "LOG_LEVEL": "WARNING",
        **overrides,
    }


class Hosts:
    """Starts processes, each in a data directory of its own, and stops them all at the end."""

    def __init__(self, root: Path):
        self.root = root
        self.procs: list[tuple[str, subprocess.Popen]] = []

    def _start(self, name: str, argv: list[str], env: dict) -> subprocess.Popen:
        data = self.root / name
        data.mkdir()
        log = (self.root / f"{name}.log").open("w")
        proc = subprocess.Popen(
            argv, env={**env, "SAMVAD_DATA_DIR": str(data)}, stdout=log, stderr=subprocess.STDOUT
        )
        log.close()
        self.procs.append((name, proc))
        return proc

    def web(self, name: str, env: dict) -> str:
        """Start a gunicorn web host; returns its address (see ready())."""
        port = free_port()
        # DEBUG serves static files from the source tree: no collectstatic per host in a test.
        self._start(
            name,
            [
                sys.executable,
                "-m",
                "gunicorn",
                "samvad.wsgi:application",
                "--bind",
                f"127.0.0.1:{port}",
                "--workers",
                "1",
                "--no-control-socket",
            ],
            {**env, "DEBUG": "1"},
        )
        return f"http://127.0.0.1:{port}"

    def ready(self, *urls: str) -> None:
        """Wait until every web host answers."""
        deadline = time.monotonic() + 90
        for url in urls:
            while True:
                with contextlib.suppress(httpx.TransportError):
                    httpx.get(url + "/healthz", timeout=2)
                    break
                if time.monotonic() > deadline:
                    raise AssertionError(f"{url} did not start:\n{self.logs()}")
                time.sleep(0.2)  # a real process is starting: the test has to wait for it

    def worker(self, name: str, env: dict) -> subprocess.Popen:
        return self._start(name, [sys.executable, "-m", "samvad", "worker", "--poll", "0.2"], env)

    def logs(self) -> str:
        return "\n".join(
            f"== {p.name}\n{p.read_text()[-3000:]}" for p in sorted(self.root.glob("*.log"))
        )

    def stop(self) -> dict[str, int]:
        for _, proc in self.procs:
            proc.send_signal(signal.SIGTERM)
        return {name: proc.wait(timeout=30) for name, proc in self.procs}
