"""`samvad demo` from the command to the first page: on a fresh data directory and on a second
start of the same one, and how long the background replay of the campaign's first days takes.

The demo runs as `make demo` runs it (its own SQLite in a throwaway data directory, the sandbox,
the worker), with -v 2 so that it prints each step's time; those are in the figures too. The
baseline is what the first page cost when the demo compressed its static files and replayed
before serving: the same run's first page plus the replay plus a compressing collectstatic,
measured into a throwaway folder. The machine's load average is sampled while each start runs.
"""

import os
import re
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from bench import harness

PARAMS = {"employees": 25, "timeout_s": 600, "baseline": True}
TARGETS = {"first_page_fresh_s": ("<=", 20), "first_page_second_s": ("<=", 5)}

STEP = re.compile(r"^(migrate|collectstatic|seed|connect accounts|replay): ([\d.]+) s$", re.M)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _answers(port: int) -> bool:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=5) as response:
            return response.status == 200
    except OSError:
        return False


def _cpu_s(root: int) -> float:
    """CPU seconds used so far by `root` and every process below it (what a busy machine does not
    change much, unlike the wall time): user and system time, with its waited children's."""
    ticks, stats = os.sysconf("SC_CLK_TCK"), {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        stats[int(entry.name)] = fields
    family, frontier = {root}, [root]
    while frontier:
        parent = frontier.pop()
        children = [pid for pid, f in stats.items() if int(f[1]) == parent]
        family.update(children)
        frontier += children
    used = sum(sum(int(x) for x in stats[pid][11:15]) for pid in family if pid in stats)
    return round(used / ticks, 2)


def _replay_done(data: Path) -> bool:
    try:
        with sqlite3.connect(data / "samvad.sqlite3", timeout=5) as db:
            return db.execute("SELECT 1 FROM demo_replay WHERE done").fetchone() is not None
    except sqlite3.Error:  # not migrated yet
        return False


def _start(data: Path, employees: int, timeout: float, *, replay: bool) -> dict:
    """One `samvad demo` run: seconds to the first page (and to the replay's end), then Ctrl-C."""
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env["SAMVAD_DATA_DIR"] = str(data)
    port = _free_port()
    args = [sys.executable, "-m", "samvad", "demo", "-v", "2", "--employees", str(employees),
            "--port", str(port), "--sandbox-port", str(_free_port())]  # fmt: skip
    log_path = data / f"demo-{time.time_ns()}.log"
    loads = []
    with open(log_path, "w") as log:
        started = time.monotonic()
        demo = subprocess.Popen(args, env=env, stdout=log, stderr=subprocess.STDOUT)
    figures = {}
    try:
        deadline = started + timeout
        while not _answers(port):
            loads.append(os.getloadavg()[0])
            if demo.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"the demo did not serve:\n{log_path.read_text()[-3000:]}")
            time.sleep(0.1)
        figures["first_page_s"] = round(time.monotonic() - started, 2)
        figures["cpu_to_first_page_s"] = _cpu_s(demo.pid)
        if replay:
            while not _replay_done(data):
                loads.append(os.getloadavg()[0])
                if demo.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"the replay did not end:\n{log_path.read_text()[-3000:]}")
                time.sleep(0.5)
            figures["replay_done_s"] = round(time.monotonic() - started, 2)
    finally:
        if demo.poll() is None:
            demo.send_signal(signal.SIGINT)
            demo.wait(timeout=60)
    figures["load_average_1m"] = round(max(loads, default=os.getloadavg()[0]), 2)
    figures["steps_s"] = {name: float(s) for name, s in STEP.findall(log_path.read_text())}
    return figures


def _compressed_collectstatic_s() -> float:
    """The demo's collectstatic as it was: whitenoise compressing every file, in a new folder."""
    with tempfile.TemporaryDirectory() as static_root:
        env = {**os.environ, "SAMVAD_DATA_DIR": static_root}
        env.pop("DATABASE_URL", None)
        cmd = [sys.executable, "-m", "samvad", "collectstatic", "--no-input", "-v", "0"]
        return round(harness.run_measured(cmd, env).seconds, 2)


def run(params: dict) -> dict:
    with tempfile.TemporaryDirectory(prefix="bench_demo") as folder:
        data = Path(folder)
        fresh = _start(data, params["employees"], params["timeout_s"], replay=True)
        second = _start(data, params["employees"], params["timeout_s"], replay=False)
    figures = {
        "first_page_fresh_s": fresh["first_page_s"],
        "first_page_second_s": second["first_page_s"],
        "cpu_to_first_page_fresh_s": fresh["cpu_to_first_page_s"],
        "cpu_to_first_page_second_s": second["cpu_to_first_page_s"],
        "replay_s": round(fresh["replay_done_s"] - fresh["first_page_s"], 2),
        "load_average_1m_fresh": fresh["load_average_1m"],
        "load_average_1m_second": second["load_average_1m"],
        "steps_fresh_s": fresh["steps_s"],
        "steps_second_s": second["steps_s"],
    }
    baseline = {}
    if params["baseline"]:
        collect = _compressed_collectstatic_s()
        baseline = {
            "compressed_collectstatic_s": collect,
            "first_page_fresh_s": round(fresh["replay_done_s"] + collect, 2),
        }
    notes = (
        "The demo runs on its own SQLite (the machine's database above is not used). "
        "cpu_to_first_page_*: CPU seconds of the demo's processes until the first page, which a "
        "busy machine changes little; on 2 quiet cores the wall time is close to it."
    )
    return {"figures": figures, "baseline": baseline, "notes": notes}
