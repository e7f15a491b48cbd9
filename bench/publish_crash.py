"""The full crash drill (acceptance 2; a short variant is samvad/publishing/tests/test_crash.py):
`posts` scheduled posts across 5 accounts, the sandbox delaying every answer by `latency_s`, two
real `samvad worker` processes, each killed with SIGKILL `kills` times at random moments of a
publishing run and started again; on PostgreSQL and on SQLite. Every post must end on X exactly
once, none lost, none left uncertain.

The baseline is the same posts published by the same two workers without kills (the cost of the
crashes in wall time).
"""

import contextlib
import os
import tempfile
from pathlib import Path

from bench import harness

PARAMS = {"posts": 200, "kills": 20, "latency_s": 0.3, "seed": 7, "timeout_s": 300}
TARGETS = {"duplicates": ("==", 0), "lost": ("==", 0), "uncertain": ("==", 0),
           "kills_min": (">=", 20)}  # fmt: skip


def _drill(url: str, params: dict, kills: int) -> dict:
    """In a forked child: Django on `url`, the sandbox in a thread, the drill, the tally."""
    harness.django_setup(url)
    from django.contrib.auth import get_user_model

    from samvad.org.models import District, Role, RoleAssignment, State
    from samvad.publishing.tests import crash
    from samvad.xsandbox.server import Running
    from samvad.xsandbox.testing import Sandbox

    state = State.objects.create(code="rajasthan", name_hi="राजस्थान", name_en="Rajasthan")
    dausa = District.objects.create(state=state, code="dausa", name_hi="दौसा", name_en="Dausa")
    editor = get_user_model().objects.create_user("editor", "editor@example.gov.in", "x" * 20)
    RoleAssignment.objects.create(user=editor, role=Role.EDITOR, district=dausa)
    with tempfile.TemporaryDirectory(prefix="bench-crash-") as folder:
        box = Sandbox(Running(Path(folder) / "xsandbox"))
        try:
            accounts = crash.accounts(box, dausa)
            crash.schedule_posts(editor, accounts, params["posts"])
            box.fault(kind="latency", seconds=params["latency_s"])
            run = crash.drill(env=crash.worker_env(url, box), logs=Path(folder), kills=kills,
                              seed=params["seed"], timeout=params["timeout_s"])
            return run | crash.tally(box, accounts)
        finally:
            box.control.close()
            box.running.stop()


@contextlib.contextmanager
def _sqlite_database():
    with tempfile.TemporaryDirectory(prefix="bench-crash-db-") as folder:
        url = f"sqlite:///{folder}/crash.sqlite3"
        harness.migrate(url)
        yield url


def _one(database, params: dict, kills: int) -> dict:
    with database() as url:
        result, seconds, _ = harness.in_child(_drill, url, params, kills)
    return result | {"seconds": round(seconds, 1)}


def run(params: dict) -> dict:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "samvad.settings")
    postgres = lambda: harness.postgres_database("bench_publish_crash")  # noqa: E731
    runs = {"postgresql": _one(postgres, params, params["kills"]),
            "sqlite": _one(_sqlite_database, params, params["kills"])}
    baseline = {"postgresql": _one(postgres, params, 0)}
    return {
        "figures": {
            "duplicates": sum(r["duplicates"] for r in runs.values()),
            "lost": sum(r["lost"] for r in runs.values()),
            "uncertain": sum(r["uncertain"] for r in runs.values()),
            "kills_min": min(min(r["kills"]) for r in runs.values()),
            "runs": runs,
        },
        "baseline": baseline,
        "notes": "kills land 0-0.8 s after a worker begins a publishing run; lease 4 s, grace 2 s",
    }
