"""The acceptance test: two real `samvad worker` processes on one database run a periodic job
exactly once per slot."""

import os
import signal
import subprocess
import sys
import time
from datetime import timedelta
from urllib.parse import quote

import pytest
from django.db import connection
from django.db.models import Count

from samvad.jobs.models import Heartbeat

# Enough one-second slots for both workers to race for each several times; the same check holds at
# any count, so a short run keeps the suite quick.
SLOTS = 8


def shared_database_url() -> str:
    """The pytest test database, for the worker processes to share."""
    db = connection.settings_dict
    if db["ENGINE"] == "django.db.backends.sqlite3":
        return f"sqlite:///{db['NAME']}"
    user = quote(db["USER"] or "") + (f":{quote(db['PASSWORD'])}" if db["PASSWORD"] else "")
    port = f":{db['PORT']}" if db["PORT"] else ""
    return f"postgres://{user}@{db['HOST']}{port}/{db['NAME']}"


def slots_seen() -> int:
    return Heartbeat.objects.values("slot").distinct().count()


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_two_workers_run_each_heartbeat_slot_exactly_once(tmp_path):
    env = {**os.environ, "DATABASE_URL": shared_database_url(), "SAMVAD_HEARTBEAT_SECONDS": "1"}
    logs = [open(tmp_path / f"worker{i}.log", "w") for i in range(2)]  # noqa: SIM115
    workers = [
        subprocess.Popen(
            [sys.executable, "-m", "samvad", "worker", "--poll", "0.2"],
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        for log in logs
    ]
    try:
        # Generous for a busy machine (each worker imports Django first); a healthy run ends as
        # soon as every slot is seen.
        deadline = time.monotonic() + 90
        while slots_seen() < SLOTS + 1 and time.monotonic() < deadline:
            time.sleep(0.5)  # real processes at work: this test has to wait for them
    finally:
        for worker in workers:
            worker.send_signal(signal.SIGTERM)
        codes = [worker.wait(timeout=30) for worker in workers]
        for log in logs:
            log.close()

    output = "\n".join(p.read_text() for p in sorted(tmp_path.glob("worker*.log")))
    assert codes == [0, 0], output

    counts = dict(Heartbeat.objects.values_list("slot").annotate(n=Count("id")).order_by("slot"))
    slots = list(counts)
    every_slot = [slots[0] + timedelta(seconds=i) for i in range(len(slots))]
    assert slots == every_slot, "a slot was skipped"
    assert set(counts.values()) == {1}, "a slot ran twice"
    assert len(slots) >= SLOTS - 2
