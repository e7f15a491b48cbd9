"""The full crash drill (a short variant is samvad/publishing/tests/test_crash.py): `posts`
scheduled posts across 5 accounts, the sandbox delaying every answer by `latency_s`, `workers`
real `samvad worker` processes with the default publishing settings (a 20 s lease renewed while
the worker works, the reconciler every 30 s with a 120 s grace), each killed with SIGKILL `kills`
times at a random moment (0 to `window_s` seconds) after it took a claim, and started again; on
PostgreSQL and on SQLite. Every post must end on X exactly once, none lost, none left uncertain;
for every kill that caught a worker holding a claim, the time its account stood still (from the
kill to the account's next claim) must stay short.

The baseline is the same posts published by the same two workers without kills (the cost of the
crashes in wall time).
"""

import os
import tempfile
from pathlib import Path

from bench import harness

PARAMS = {"posts": 200, "kills": 20, "workers": 3, "window_s": 0.8, "latency_s": 0.3,
          "idle_kill_s": 30, "seed": 7, "timeout_s": 400,
          "databases": "postgresql,sqlite"}  # fmt: skip
TARGETS = {"duplicates": ("==", 0), "lost": ("==", 0), "uncertain": ("==", 0),
           "p99_standstill_s": ("<=", 30)}  # fmt: skip
# The defaults of samvad/settings.py, spelled out so that the drill does not use the test ones.
DEFAULTS = {
    "SAMVAD_PUBLISH_LEASE_SECONDS": "20",
    "SAMVAD_RECONCILE_SECONDS": "30",
    "SAMVAD_RECONCILE_GRACE_SECONDS": "120",
    "SAMVAD_JOB_LEASE_SECONDS": "300",
}


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
            run = crash.drill(
                env=crash.worker_env(url, box, **DEFAULTS),
                logs=Path(folder),
                workers=params["workers"],
                kills=kills,
                seed=params["seed"],
                window=params["window_s"],
                timeout=params["timeout_s"],
                idle_kill_s=params["idle_kill_s"],
            )
            standstill = crash.standstills(run.pop("kill_log"))
            return run | crash.tally(box, accounts) | {"standstill": standstill}
        finally:
            box.control.close()
            box.running.stop()


def _one(database, params: dict, kills: int) -> dict:
    with database() as url:
        result, seconds, _ = harness.in_child(_drill, url, params, kills)
    return result | {"seconds": round(seconds, 1)}


def run(params: dict) -> dict:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "samvad.settings")
    databases = {
        "postgresql": lambda: harness.postgres_database("bench_publish_crash"),
        "sqlite": lambda: harness.sqlite_database("bench_publish_crash"),
    }
    runs = {
        name: _one(databases[name], params, params["kills"])
        for name in params["databases"].split(",")
    }
    baseline = {"postgresql": _one(databases["postgresql"], params, 0)}
    standstills = [s for r in runs.values() for s in r["standstill"]["seconds"]]
    return {
        "figures": {
            "duplicates": sum(r["duplicates"] for r in runs.values()),
            "lost": sum(r["lost"] for r in runs.values()),
            "uncertain": sum(r["uncertain"] for r in runs.values()),
            "kills_min": min(min(r["kills"]) for r in runs.values()),
            "p50_standstill_s": round(harness.percentile(standstills, 50), 1)
            if standstills
            else None,
            "p99_standstill_s": round(harness.percentile(standstills, 99), 1)
            if standstills
            else None,
            "runs": runs,
        },
        "baseline": baseline,
        "notes": (
            "default publishing settings (lease 20 s renewed every third, reconciler "
            "30 s, grace 120 s); a kill lands 0-window_s s after the worker took a claim "
            "(or after idle_kill_s of life: a worker that starts slowly on a busy "
            "machine must be given time to take one); standstill = the kill to its "
            "account's next claim"
        ),
    }
