"""Samvad's WSGI application for one test: the first request that carries an Idempotency-Key
kills its gunicorn worker after Samvad has handled it (the transaction is committed) and before a
byte of the answer is sent. Gunicorn starts a new worker; the client sees a broken connection."""

import os
import signal
from pathlib import Path

from samvad.wsgi import application as samvad

DIED = Path(os.environ["SAMVAD_TEST_DIED_MARKER"])


def application(environ, start_response):
    answer = samvad(environ, start_response)  # gunicorn writes nothing until this is iterated
    if environ.get("HTTP_IDEMPOTENCY_KEY") and not DIED.exists():
        DIED.touch()
        os.kill(os.getpid(), signal.SIGKILL)
    return answer
