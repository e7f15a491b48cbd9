"""Many people at once (issue 9): the app under gunicorn on loopback, on a fresh database holding
the demo's Dausa, with `users` simulated people for `seconds`.

Each simulated person logs in as one of the demo logins (taken in turn: the state observer, district
admins, the DIPR editor, every department's officer, an employee), then, until the time is up,
opens its role's main pages one after another with a `think_s` pause (0.5-1.5 x) between them;
officers also send a submission through the form, with its CSRF token, every few pages. People
arrive evenly over `ramp_s`. Every
answer must be a 200 (after redirects) that is not the login page, and every submission must
arrive: any other answer or a network error is an error, and the target is none.

The baseline is one person doing the same, alone, for `baseline_seconds`, in the same run against
the same server: how much the crowd slows each page down. The load generator runs on the same
machine as gunicorn and the database, so all three share its cores (see `machine`).
"""

import os
import random
import re
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from bench import harness

PARAMS = {"users": 50, "seconds": 120, "ramp_s": 10, "workers": 4, "think_s": 1.0,
          "baseline_seconds": 20, "port": 8765}  # fmt: skip
# No error and no lost submission; the latencies are recorded (they depend on the machine).
TARGETS = {"errors": ("==", 0), "submissions_lost": ("==", 0)}

PASSWORD = "samvad-demo"
PAGES = {
    "state_observer": ["/", "/campaigns/state/", "/campaigns/", "/org/accounts/"],
    "district_admin": ["/", "/campaigns/", "/org/departments/", "/advocacy/", "/content/audit/",
                       "/training/"],
    "editor": ["/", "/content/review/", "/content/calendar/", "/content/submissions/",
               "/x/ledger/"],
    "officer": ["/", "/content/submissions/", "/advocacy/", "/training/progress/"],
    "employee": ["/", "/advocacy/me/", "/training/", "/training/materials/"],
}
SUBMIT_EVERY = 4  # an officer sends a submission every this many pages
FORM = "/content/submissions/new/achievement/"


def _logins() -> list[tuple[str, str]]:
    """(username, role) of every demo login, from the demo's own list."""
    from samvad.org.demo import _demo_users

    return [(u.username, str(u.role)) for u in _demo_users()]


def _csrf(html: str) -> str:
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)


class Person(threading.Thread):
    """One simulated person: logs in, then browses (and submits) until `until`."""

    def __init__(self, base_url: str, username: str, role: str, *, start: float, until: float,
                 think_s: float, seed: int):
        super().__init__(daemon=True)
        self.base_url, self.username, self.role = base_url, username, role
        self.start_at, self.until, self.think_s = start, until, think_s
        self.random = random.Random(seed)
        self.latencies_ms: dict[str, list[float]] = {"page": [], "login": [], "submit": []}
        self.errors: list[str] = []
        self.submitted = 0

    def request(self, client, method: str, path: str, kind: str = "page", **kwargs):
        started = time.perf_counter()
        try:
            response = client.request(method, path, **kwargs)
        except Exception as error:  # a refused or reset connection is an error like a 500
            self.errors.append(f"{method} {path}: {type(error).__name__}: {error}")
            return None
        self.latencies_ms[kind].append((time.perf_counter() - started) * 1000)
        if response.status_code != 200 or response.url.path == "/login/" and path != "/login/":
            self.errors.append(f"{method} {path}: {response.status_code} at {response.url.path}")
            return None
        return response

    def log_in(self, client) -> bool:
        page = self.request(client, "GET", "/login/")
        if page is None:
            return False
        answer = self.request(client, "POST", "/login/", kind="login", data={
            "csrfmiddlewaretoken": _csrf(page.text), "username": self.username,
            "password": PASSWORD})
        return answer is not None and answer.url.path != "/login/"

    def submit(self, client) -> None:
        form = self.request(client, "GET", FORM)
        if form is None:
            return
        department = re.search(r'<select name="department".*?<option value="(\d+)"', form.text,
                               re.S)
        answer = self.request(client, "POST", FORM, kind="submit", data={
            "csrfmiddlewaretoken": _csrf(form.text), "department": department.group(1),
            "title": f"भार परीक्षण {self.name}", "what": "हर घर जल: नए नल कनेक्शन",
            "language": "hi", "priority": "0", "photos-TOTAL_FORMS": "0",
            "photos-INITIAL_FORMS": "0"})
        if answer is not None:
            self.submitted += 1

    def run(self) -> None:
        import httpx

        time.sleep(max(0.0, self.start_at - time.monotonic()))
        with httpx.Client(base_url=self.base_url, follow_redirects=True, timeout=60) as client:
            if not self.log_in(client):
                return
            pages, n = PAGES[self.role], 0
            while time.monotonic() < self.until:
                n += 1
                if self.role == "officer" and n % SUBMIT_EVERY == 0:
                    self.submit(client)
                else:
                    self.request(client, "GET", pages[n % len(pages)])
                time.sleep(self.think_s * self.random.uniform(0.5, 1.5))


def _crowd(base_url: str, users: int, seconds: float, think_s: float, ramp_s: float = 0) -> dict:
    """`users` people, arriving evenly over `ramp_s` (nobody logs in at the same instant), all
    browsing until `seconds` after the first arrived."""
    logins = _logins()
    now = time.monotonic()
    people = [Person(base_url, *logins[i % len(logins)], start=now + ramp_s * i / users,
                     until=now + seconds, think_s=think_s, seed=i)
              for i in range(users)]
    started = time.perf_counter()
    for person in people:
        person.start()
    for person in people:
        person.join()
    wall = time.perf_counter() - started
    def ms(kind: str, p: float):
        values = [v for person in people for v in person.latencies_ms[kind]]
        return round(harness.percentile(values, p), 1) if values else None

    requests = sum(len(v) for person in people for v in person.latencies_ms.values())
    errors = [e for person in people for e in person.errors]
    return {
        "users": users,
        "requests": requests,
        "requests_per_s": round(requests / wall, 1),
        "errors": len(errors),
        "first_errors": errors[:10],
        "submissions": sum(person.submitted for person in people),
        # Pages (GET, after redirects); logging in and submitting are counted apart: the
        # password hash (Argon2) is slow on purpose.
        "p50_ms": ms("page", 50),
        "p95_ms": ms("page", 95),
        "p99_ms": ms("page", 99),
        "max_ms": ms("page", 100),
        "login_p50_ms": ms("login", 50),
        "login_p95_ms": ms("login", 95),
        "submit_p50_ms": ms("submit", 50),
        "submit_p95_ms": ms("submit", 95),
    }


def _seed(url: str) -> None:
    harness.django_setup(url)
    from samvad.org.demo import seed_dausa

    seed_dausa()
    harness._close_django_connections()


def _wait_until_up(base_url: str, process: subprocess.Popen, timeout: float = 60) -> None:
    import httpx

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"gunicorn exited {process.returncode}")
        try:
            if httpx.get(base_url + "/login/", timeout=5).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.5)
    raise RuntimeError("gunicorn did not answer in time")


def run(params: dict) -> dict:
    base_url = f"http://127.0.0.1:{params['port']}"
    with harness.postgres_database("bench_load") as url, \
            tempfile.TemporaryDirectory(prefix="bench-load-") as data_dir:
        # The demo's logins, without two-step verification (as `make demo` has it).
        env = {**os.environ, "DATABASE_URL": url, "SAMVAD_DATA_DIR": data_dir,
               "SAMVAD_MFA_REQUIRED_ROLES": "", "LOG_LEVEL": "WARNING"}
        harness.run_measured([sys.executable, "-m", "samvad", "collectstatic", "--noinput",
                              "-v", "0"], env)
        _seed(url)
        log = Path(data_dir) / "gunicorn.log"
        gunicorn = [str(Path(sys.executable).with_name("gunicorn")), "samvad.wsgi:application",
                    "--bind", f"127.0.0.1:{params['port']}", "--workers", str(params["workers"]),
                    "--log-file", str(log)]
        with subprocess.Popen(gunicorn, env=env, cwd=harness.REPO) as server:
            try:
                _wait_until_up(base_url, server)
                baseline = _crowd(base_url, 1, params["baseline_seconds"], params["think_s"])
                figures = _crowd(base_url, params["users"], params["seconds"], params["think_s"],
                                 params["ramp_s"])
            finally:
                server.terminate()
                server.wait(30)
        stored = harness.query(url, "SELECT count(*) FROM content_submission")[0][0]
        figures["submissions_stored"] = stored - baseline["submissions"]
        figures["submissions_lost"] = figures["submissions"] - figures["submissions_stored"]
        figures["engine"] = harness._database_server(url)["engine"]
    figures["p95_vs_alone"] = (round(figures["p95_ms"] / baseline["p95_ms"], 1)
                               if figures["p95_ms"] and baseline["p95_ms"] else None)
    return {"figures": figures, "baseline": baseline,
            "notes": f"{params['users']} people for {params['seconds']} s, gunicorn with "
                     f"{params['workers']} workers, think time {params['think_s']} s"}
