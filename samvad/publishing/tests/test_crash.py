"""Acceptance 2 (short variant; the full one is bench/publish_crash.py): two real workers,
each killed with SIGKILL at random moments and started again, while X answers slowly; every post
ends on X exactly once and none is left uncertain."""

import pytest

from samvad.jobs.tests.test_two_workers import shared_database_url
from samvad.publishing.tests import crash

POSTS, KILLS = 30, 5


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_killed_workers_publish_every_post_exactly_once(sandbox, world, tmp_path):
    accounts = crash.accounts(sandbox, world.dausa)
    crash.schedule_posts(world.editor, accounts, POSTS)
    sandbox.fault(kind="latency", seconds=0.3)  # every call to X answers slowly

    run = crash.drill(
        env=crash.worker_env(shared_database_url(), sandbox), logs=tmp_path, kills=KILLS, seed=4
    )

    result = crash.tally(sandbox, accounts)
    logs = "\n".join(p.read_text()[-3000:] for p in sorted(tmp_path.glob("worker*.log")))
    print(run, result)  # the figures, for `pytest -s`
    assert run["kills"] == [KILLS, KILLS]
    assert result["duplicates"] == 0 and result["lost"] == 0, (result, logs)
    assert result["on_x"] == POSTS and result["uncertain"] == 0, (result, logs)
    assert result["states"] == {"published": POSTS}, (result, logs)
    assert result["linked_right"] == POSTS
