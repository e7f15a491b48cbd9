"""Acceptance 1 of issue 21 with a real gunicorn: the web server dies between the database commit
and the answer; the client's retry with the same Idempotency-Key gets the stored answer, and one
submission exists."""

import os
import socket
import subprocess
import sys
import time

import httpx
import pytest

from samvad.api.models import SCOPES, ApiToken
from samvad.api.tests.test_contract import ADVISORY
from samvad.content.models import Submission
from samvad.jobs.tests.test_two_workers import shared_database_url


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_until_listening(port: int, process, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline and process.poll() is None:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return
        except OSError:
            time.sleep(0.1)
    raise AssertionError("gunicorn did not start")


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_a_retry_after_the_server_died_gets_the_stored_answer(world, tmp_path):
    _, raw = ApiToken.issue(user=world.officer_a, scopes=SCOPES)
    port = free_port()
    env = {
        **os.environ,
        "DATABASE_URL": shared_database_url(),
        "SAMVAD_TEST_DIED_MARKER": str(tmp_path / "died"),
    }
    log = open(tmp_path / "gunicorn.log", "wb")  # noqa: SIM115  (closed below)
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "samvad.api.tests.dying_wsgi:application",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "1",
            "--graceful-timeout",
            "1",
        ],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        wait_until_listening(port, server)
        headers = {"Authorization": f"Bearer {raw}", "Idempotency-Key": "lost-answer-1"}
        with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=30) as client:
            with pytest.raises(httpx.TransportError):
                client.post("/api/v1/submissions", json=ADVISORY, headers=headers)
            assert (tmp_path / "died").exists()
            assert Submission.objects.count() == 1  # committed, though the answer was lost

            retry = client.post("/api/v1/submissions", json=ADVISORY, headers=headers)
        assert retry.status_code == 201, retry.text
        assert retry.headers["Idempotent-Replayed"] == "true"
        assert retry.json()["id"] == Submission.objects.get().pk
        assert Submission.objects.count() == 1
    finally:
        server.terminate()
        server.wait(timeout=30)
        log.close()
