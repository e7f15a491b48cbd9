"""What every benchmark measures with: wall time, peak RSS of the measured process, medians of
repeated short runs, and a throwaway database (PostgreSQL by default) migrated for the run.

BENCH_DATABASE_URL names the server to create throwaway databases on (its database part is only
used to connect); a sqlite:/// URL makes each throwaway database a temporary SQLite file instead.
"""

import contextlib
import os
import pickle
import platform
import resource
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
import traceback
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from types import SimpleNamespace
from urllib.parse import urlsplit, urlunsplit

REPO = Path(__file__).resolve().parent.parent
DEFAULT_SERVER_URL = "postgres://postgres@127.0.0.1:5432/postgres"


def server_url() -> str:
    return os.environ.get("BENCH_DATABASE_URL", DEFAULT_SERVER_URL)


def is_sqlite(url: str) -> bool:
    return url.startswith("sqlite:")


# Time and memory ---------------------------------------------------------------------------------


@contextlib.contextmanager
def timer() -> Iterator[SimpleNamespace]:
    """`with timer() as t: ...` then t.seconds is the wall time of the block."""
    t = SimpleNamespace(seconds=None)
    started = time.perf_counter()
    try:
        yield t
    finally:
        t.seconds = time.perf_counter() - started


def percentile(values: list[float], p: float) -> float:
    """The p-th percentile (0-100) with linear interpolation between the closest ranks."""
    ordered = sorted(values)
    if not ordered:
        raise ValueError("no values")
    rank = (len(ordered) - 1) * p / 100
    low, high = int(rank), min(int(rank) + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (rank - low)


def repeat(func: Callable[[], object], runs: int = 5, warmup: int = 1) -> dict:
    """Wall times of `runs` calls after `warmup` unmeasured ones: short measurements are medians."""
    for _ in range(warmup):
        func()
    seconds = []
    for _ in range(runs):
        with timer() as t:
            func()
        seconds.append(t.seconds)
    return {
        "median_s": statistics.median(seconds),
        "p95_s": percentile(seconds, 95),
        "min_s": min(seconds),
        "runs": runs,
    }


def _rss_bytes(usage) -> int:
    # Linux reports ru_maxrss in KiB (macOS in bytes).
    return usage.ru_maxrss * (1 if sys.platform == "darwin" else 1024)


def peak_rss_self() -> int:
    return _rss_bytes(resource.getrusage(resource.RUSAGE_SELF))


def peak_rss_children() -> int:
    """The largest peak of any child already waited for (not their sum)."""
    return _rss_bytes(resource.getrusage(resource.RUSAGE_CHILDREN))


@dataclass
class Measured:
    seconds: float
    peak_rss: int  # bytes, of the measured process alone
    returncode: int
    output: str


def run_measured(cmd: list[str], env: dict | None = None, check: bool = True) -> Measured:
    """Run a command; its wall time and its own peak RSS (from wait4, so no other child's)."""
    with tempfile.TemporaryFile() as out:
        started = time.perf_counter()
        process = subprocess.Popen(cmd, env=env, cwd=REPO, stdout=out, stderr=subprocess.STDOUT)
        _, status, usage = os.wait4(process.pid, 0)
        seconds = time.perf_counter() - started
        process.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        output = out.read().decode(errors="replace")
    if check and process.returncode:
        raise RuntimeError(f"{' '.join(cmd)} exited {process.returncode}:\n{output[-4000:]}")
    return Measured(seconds, _rss_bytes(usage), process.returncode, output)


def in_child(func: Callable, *args) -> tuple[object, float, int]:
    """Run func(*args) in a forked child: (its result, its wall seconds, the child's peak RSS).

    The child starts as a copy of this process, so its peak includes what this process already
    held; call it before loading anything large. Django connections are closed first so that the
    child opens its own.
    """
    _close_django_connections()
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child
        os.close(read)
        try:
            with timer() as t:
                result = func(*args)
            answer = ("ok", result, t.seconds)
        except BaseException:  # anything, so that the parent always hears back
            answer = ("error", traceback.format_exc(), 0.0)
        with os.fdopen(write, "wb") as pipe:
            pickle.dump(answer, pipe)
        os._exit(0)
    os.close(write)
    with os.fdopen(read, "rb") as pipe:
        data = pipe.read()
    _, _, usage = os.wait4(pid, 0)
    kind, result, seconds = pickle.loads(data)  # noqa: S301 -- from our own child
    if kind == "error":
        raise RuntimeError(f"the measured child failed:\n{result}")
    return result, seconds, _rss_bytes(usage)


# Databases ---------------------------------------------------------------------------------------


def _close_django_connections() -> None:
    if "django.db" in sys.modules:
        from django.db import connections

        with contextlib.suppress(Exception):
            connections.close_all()


def _with_database(url: str, name: str) -> str:
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path=f"/{name}"))


def _psycopg_url(url: str) -> str:
    return url.replace("postgres://", "postgresql://", 1) if url.startswith("postgres://") else url


def migrate(url: str) -> None:
    """`samvad migrate` in a subprocess (settings are read once per process, from the env)."""
    env = {**os.environ, "DATABASE_URL": url}
    # --skip-checks: a benchmark needs the tables, not every app's URLs to be importable.
    run_measured([sys.executable, "-m", "samvad", "migrate", "--skip-checks", "-v", "0"], env)


@contextlib.contextmanager
def postgres_database(prefix: str = "bench", migrated: bool = True) -> Iterator[str]:
    """A fresh database for one benchmark, migrated, dropped afterwards; yields its URL."""
    server = server_url()
    if is_sqlite(server):
        with tempfile.TemporaryDirectory(prefix=f"{prefix}-") as folder:
            url = f"sqlite:///{folder}/{prefix}.sqlite3"
            if migrated:
                migrate(url)
            yield url
            _close_django_connections()
        return
    import psycopg

    name = f"{prefix}_{os.getpid()}_{time.monotonic_ns() % 10**9}"
    with psycopg.connect(_psycopg_url(server), autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        url = _with_database(server, name)
        if migrated:
            migrate(url)
        yield url
    finally:
        _close_django_connections()
        with psycopg.connect(_psycopg_url(server), autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@contextlib.contextmanager
def sqlite_database(prefix: str = "bench") -> Iterator[str]:
    """A fresh, migrated SQLite database in a temporary folder; yields its URL."""
    with tempfile.TemporaryDirectory(prefix=f"{prefix}-") as folder:
        url = f"sqlite:///{folder}/{prefix}.sqlite3"
        migrate(url)
        yield url


def django_setup(url: str) -> None:
    """Configure Django in this process against `url` (once per process: settings read the env)."""
    import django
    from django.conf import settings

    if settings.configured:
        current = os.environ.get("DATABASE_URL")
        if current != url:
            raise RuntimeError("Django is already set up on another database in this process")
        return
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "samvad.settings")
    django.setup()


def query(url: str, sql: str, params: tuple = ()) -> list[tuple]:
    """Rows of one query on the database at `url`, outside Django."""
    if is_sqlite(url):
        with contextlib.closing(sqlite3.connect(urlsplit(url).path)) as db:
            return db.execute(sql.replace("%s", "?"), params).fetchall()
    import psycopg

    with psycopg.connect(_psycopg_url(url)) as db:
        return db.execute(sql, params).fetchall()


def database_size(url: str) -> int:
    if is_sqlite(url):
        return Path(urlsplit(url).path).stat().st_size
    return query(url, "SELECT pg_database_size(current_database())")[0][0]


def table_rows(url: str) -> dict[str, int]:
    """Exact row counts of every table, by name."""
    if is_sqlite(url):
        names = [r[0] for r in query(url, "SELECT name FROM sqlite_master WHERE type='table'")]
    else:
        names = [r[0] for r in query(url, "SELECT tablename FROM pg_tables "
                                          "WHERE schemaname = 'public'")]  # fmt: skip
    # Names come from the database's own catalogue.
    return {n: query(url, f'SELECT count(*) FROM "{n}"')[0][0] for n in names}  # noqa: S608


def machine(url: str | None = None) -> dict:
    """The machine and the database server the benchmark ran on."""
    url = url or server_url()
    pages = os.sysconf("SC_PHYS_PAGES") * os.sysconf("SC_PAGE_SIZE")
    return {
        "cores": os.cpu_count(),
        "cpu": _cpu_model(),
        "memory_bytes": pages,
        "os": platform.platform(),
        "python": platform.python_version(),
        # Other work on the machine skews every figure; the record says how busy it was.
        "load_average_1m": round(os.getloadavg()[0], 2),
        "database": _database_server(url),
    }


def core_speed_ms() -> float:
    """CPU milliseconds one core takes for a fixed piece of pure Python (the best of 3). A
    virtual machine's cores are as fast as its host lets them be: one of ours ran the same loop
    1.7 times slower in one hour than in the hour before, with nothing else running in it. Every
    record says how fast its cores were at its start and end."""
    best = float("inf")
    for _ in range(3):
        started = time.process_time()
        total = 0
        for i in range(2_000_000):
            total += i
        best = min(best, time.process_time() - started)
    return round(1000 * best, 1)


def _cpu_model() -> str:
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    return platform.processor()


def _database_server(url: str) -> dict:
    if is_sqlite(url):
        return {"engine": "sqlite", "version": sqlite3.sqlite_version}
    try:
        version = query(url, "SHOW server_version")[0][0]
    except Exception as e:  # the record says why, rather than no record at all
        return {"engine": "postgresql", "version": None, "error": str(e)}
    parts = urlsplit(url)
    return {"engine": "postgresql", "version": version, "host": parts.hostname, "port": parts.port}
