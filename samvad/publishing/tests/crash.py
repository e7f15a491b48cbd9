"""The crash drill shared by test_crash.py and bench/publish_crash.py: real `samvad worker`
processes publish to the sandbox while they are killed with SIGKILL at random moments and started
again; afterwards every post must be on X exactly once."""

import os
import random
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

from django.conf import settings
from django.utils import timezone

from samvad.audit.models import AuditEvent
from samvad.content.models import Post
from samvad.org.models import OfficialAccount
from samvad.platforms.x.models import Connection, seal
from samvad.publishing.models import Attempt

HANDLES = ["DmDausa", "DmAlwar", "DausaPhed", "DausaPower", "DausaHealth"]


def connect(box, account: OfficialAccount) -> None:
    """Connect an account with a sandbox token that never expires."""
    if not box.store.user(username=account.handle):
        box.create_user(account.handle)
    answer = box.call("POST", "tokens", json={"username": account.handle, "expires_in": None})
    account.x_user_id = answer["user_id"]
    account.save(update_fields=["x_user_id"])
    Connection.objects.update_or_create(
        account=account,
        defaults={
            "kind": Connection.Kind.OAUTH2,
            "status": Connection.Status.CONNECTED,
            "x_user_id": answer["user_id"],
            "access_token_sealed": seal(answer["access_token"]),
            "scopes": answer["scope"],
        },
    )


def accounts(box, district, names=HANDLES) -> list[OfficialAccount]:
    found = []
    for handle in names:
        account = OfficialAccount.objects.filter(
            handle=handle
        ).first() or OfficialAccount.objects.create(district=district, handle=handle)
        connect(box, account)
        found.append(account)
    return found


def schedule_posts(editor, accounts: list, count: int, *, at=None, tag: str = "") -> list[int]:
    """`count` approved single posts, round-robin over the accounts, all due at `at` (now)."""
    at = at or timezone.now()
    ids = []
    for n in range(count):
        account = accounts[n % len(accounts)]
        post = Post.create_thread(
            by=editor,
            district=account.district,
            account=account,
            texts=[f"सूचना {tag}{n}: जिला प्रशासन की ओर से जानकारी"],
        )
        post.submit(by=editor)
        post.approve(by=editor)
        post.schedule(at=at, by=editor)
        ids.append(post.pk)
    return ids


def worker_env(database_url: str, box, **overrides) -> dict:
    return {
        **os.environ,
        "DATABASE_URL": database_url,
        "SAMVAD_X_API_BASE_URL": box.base_url,
        "SAMVAD_TOKEN_KEYS": ",".join(settings.SAMVAD_TOKEN_KEYS),
        "SAMVAD_PUBLISH_LEASE_SECONDS": "4",
        "SAMVAD_RECONCILE_SECONDS": "1",
        "SAMVAD_RECONCILE_GRACE_SECONDS": "2",
        "SAMVAD_JOB_LEASE_SECONDS": "10",
        "SAMVAD_HEARTBEAT_SECONDS": "3600",
        "LOG_LEVEL": "WARNING",
        # Thousands of posts in one district and day: far past a district's daily X budget.
        "SAMVAD_X_DAILY_BUDGET_INR": "100000000",
        **overrides,
    }


def start(env: dict, log) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "samvad", "worker", "--poll", "0.2"],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )


def publishing(proc: subprocess.Popen) -> bool:
    """Whether this worker process holds a claim on a post right now."""
    return Attempt.objects.filter(worker__endswith=f":{proc.pid}", finished=None).exists()


def drill(
    *,
    env: dict,
    logs: Path,
    workers: int = 2,
    kills: int = 5,
    seed: int = 1,
    window: float = 0.8,
    timeout: float = 120,
    idle_kill_s: float = 10,
) -> dict:
    """Run `workers` processes and SIGKILL each one `kills` times, every time at a random moment
    (0 to `window` seconds) after it began a publishing run, so that kills land between the
    claim, the call to X and the outcome; then let them finish. Each kill is listed with the
    worker's pid and the moment, for `standstills()`."""
    rng = random.Random(seed)
    files = [open(logs / f"worker{i}.log", "a") for i in range(workers)]  # noqa: SIM115
    procs = [start(env, f) for f in files]
    killed = [0] * workers
    kill_at: list[float | None] = [None] * workers
    born = [time.monotonic()] * workers
    started = time.monotonic()
    kill_log = []
    try:
        while min(killed) < kills:
            now = time.monotonic()
            for i, proc in enumerate(procs):
                if killed[i] >= kills:
                    continue
                if kill_at[i] is None and (publishing(proc) or now - born[i] > idle_kill_s):
                    kill_at[i] = now + rng.uniform(0, window)
                if kill_at[i] is not None and now >= kill_at[i]:
                    proc.send_signal(signal.SIGKILL)
                    proc.wait()
                    kill_log.append((proc.pid, timezone.now()))
                    killed[i] += 1
                    procs[i], kill_at[i], born[i] = start(env, files[i]), None, time.monotonic()
            time.sleep(0.05)  # real processes at work: the drill has to wait for them
        killing_s = time.monotonic() - started
        deadline = time.monotonic() + timeout
        while Post.objects.exclude(state=Post.State.PUBLISHED).exists():
            if time.monotonic() > deadline:
                break
            time.sleep(0.25)
    finally:
        for proc in procs:
            proc.send_signal(signal.SIGTERM)
        codes = [proc.wait(timeout=60) for proc in procs]
        for f in files:
            f.close()
    return {
        "kills": killed,
        "killing_s": round(killing_s, 1),
        "total_s": round(time.monotonic() - started, 1),
        "exit_codes": codes,
        "kill_log": kill_log,
    }


def standstills(kill_log: list) -> dict:
    """For each kill that caught a worker holding a claim: how long its account stood still, from
    the kill until the next claim of any post of that account (kills after which the account had
    nothing left to publish are counted apart)."""
    seconds, idle = [], 0
    for pid, at in kill_log:
        held = (
            Attempt.objects.filter(worker__endswith=f":{pid}", finished=None, started__lte=at)
            .select_related("post")
            .order_by("-started")
            .first()
        )
        if held is None:
            continue
        following = (
            Attempt.objects.filter(post__account_id=held.post.account_id, started__gt=at)
            .order_by("started")
            .first()
        )
        if following is None:
            idle += 1
        else:
            seconds.append((following.started - at).total_seconds())
    return {
        "seconds": seconds,
        "kills_holding_a_claim": len(seconds) + idle,
        "nothing_left_after": idle,
    }


def tally(box, accounts: list) -> dict:
    """What ended where: posts on X per text, and our posts per state."""
    ids = [box.store.user(username=a.handle)["id"] for a in accounts]
    marks = ",".join("?" * len(ids))
    sql = f"SELECT id, text FROM tweets WHERE deleted = 0 AND author_id IN ({marks})"  # noqa: S608
    rows = box.store.all(sql, *ids)
    on_x = Counter(r["text"] for r in rows)
    posts = list(Post.objects.values_list("text", "state", "x_post_id"))
    states = Counter(state for _, state, _ in posts)
    x_ids = {str(r["id"]) for r in rows}
    return {
        "posts": len(posts),
        "on_x": len(rows),
        "duplicates": sum(n - 1 for n in on_x.values() if n > 1),
        "lost": sum(1 for text, _, _ in posts if on_x[text] == 0),
        "states": dict(states),
        "uncertain": states.get(Post.State.UNCERTAIN, 0),
        "linked_right": sum(1 for _, _, x_id in posts if x_id in x_ids),
        # How often the drill hit a post in flight, and what resolved it.
        "events": dict(
            Counter(
                AuditEvent.objects.filter(
                    action__in=[
                        "post.claim",
                        "post.lease_expired",
                        "post.uncertain",
                        "post.retry_wait",
                    ]
                ).values_list("action", flat=True)
            )
        ),
    }
