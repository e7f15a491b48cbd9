"""`samvad demo`: Dausa's demo data, then the web server, the worker and the X sandbox, supervised.

The web server starts as soon as the data is seeded; the campaign's first days are replayed on the
sandbox by a child of their own (`samvad demo --replay-only`) while the pages already answer and
say how far the replay has got. The worker starts when the replay is done: its measurements
would otherwise read the sandbox while the replay has its clock set in the past.

The children run in their own sessions so that Ctrl-C reaches only this process, which then stops
them in order; a child that dies on its own takes the demo down with it, so a half-running demo is
never mistaken for a working one.
"""

import contextlib
import ctypes
import hashlib
import http.client
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.core.management import call_command, get_commands
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from samvad.demo.campaign import DAYS_BEHIND
from samvad.demo.dausa import (
    DEMO_LOGINS,
    DEMO_PASSWORD,
    DIRECTIVE_DEPARTMENTS,
    connect_demo_accounts,
    seed_dausa,
    start_demo_campaign,
)
from samvad.demo.models import Replay
from samvad.demo.training import seed_training

STOP_TIMEOUT = 10  # seconds a child gets to exit after SIGTERM before it is killed
START_TIMEOUT = 120


def _die_with_parent() -> None:
    """Runs in the child before exec: on Linux, ask for SIGTERM if the demo itself is killed -9,
    so that no server is left behind holding the port."""
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG


def _http_answers(port: int) -> bool:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
    try:
        connection.request("GET", "/")
        connection.getresponse()
        return True
    except OSError:
        return False
    finally:
        connection.close()


def _tcp_answers(port: int) -> bool:
    with socket.socket() as sock:
        sock.settimeout(1)
        return sock.connect_ex(("127.0.0.1", port)) == 0


def _collect_static() -> None:
    """The static files under their hashed names, as production serves them, but not compressed:
    compressing (brotli above all) takes minutes on a busy machine, and the demo serves one
    person on this machine. The manifest is the same one the compressing storage reads. Skipped
    when no source file changed since the last start (hashing them all again is most of the
    cost)."""
    from django.contrib.staticfiles.finders import get_finders
    from django.contrib.staticfiles.management.commands.collectstatic import (
        Command as CollectStatic,
    )
    from django.contrib.staticfiles.storage import ManifestStaticFilesStorage

    ignore = apps.get_app_config("staticfiles").ignore_patterns
    sources = []
    for finder in get_finders():
        for path, storage in finder.list(ignore):
            stat = os.stat(storage.path(path))
            sources.append(f"{path} {stat.st_size} {stat.st_mtime_ns}")
    stamp = hashlib.sha256("\n".join(sorted(sources)).encode()).hexdigest()
    stamp_file = Path(settings.STATIC_ROOT) / "demo-sources.sha256"
    if stamp_file.exists() and stamp_file.read_text() == stamp:
        return
    command = CollectStatic()
    command.storage = ManifestStaticFilesStorage()
    call_command(command, interactive=False, verbosity=0)
    stamp_file.write_text(stamp)


class Supervisor:
    def __init__(self, env: dict[str, str]):
        self.env = env
        self.children: list[tuple[str, subprocess.Popen]] = []
        self.finite: set[str] = set()  # children whose work ends: exit code 0 is their success
        self.waiting: list[tuple[str, str, list[str]]] = []  # (after, name, args)
        self.stopping = False

    def start(self, name: str, args: list[str], *, finite=False, after: str | None = None) -> None:
        """Start a child now, or once the finite child `after` has finished its work."""
        if finite:
            self.finite.add(name)
        if after:
            self.waiting.append((after, name, args))
            return
        process = subprocess.Popen(
            args, env=self.env, start_new_session=True, preexec_fn=_die_with_parent
        )
        self.children.append((name, process))

    def _start_waiting(self) -> None:
        finished = {n for n, p in self.children if n in self.finite and p.poll() == 0}
        for entry in [w for w in self.waiting if w[0] in finished]:
            self.waiting.remove(entry)
            self.start(entry[1], entry[2])

    def on_signal(self, signum, frame) -> None:
        self.stopping = True

    def dead_child(self) -> tuple[str, int] | None:
        for name, process in self.children:
            if process.poll() is not None and not (name in self.finite and process.returncode == 0):
                return name, process.returncode
        return None

    def wait_until(self, ready, timeout: float) -> bool:
        """Wait for ready() while watching the children; False if stopped or a child died."""
        deadline = time.monotonic() + timeout
        while not (self.stopping or self.dead_child()):
            self._start_waiting()
            if ready():
                return True
            if time.monotonic() > deadline:
                return False
            time.sleep(0.2)
        return False

    def stop(self) -> None:
        for _name, process in self.children:
            if process.poll() is None:
                process.terminate()
        deadline = time.monotonic() + STOP_TIMEOUT
        for _name, process in self.children:
            with contextlib.suppress(subprocess.TimeoutExpired):
                process.wait(timeout=max(deadline - time.monotonic(), 0.1))
        # Whatever is left in a child's session (gunicorn's workers, say) goes too.
        for _name, process in self.children:
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.killpg(process.pid, signal.SIGKILL)
            process.wait()


class Command(BaseCommand):
    help = "Set up the Dausa demo and run the web server, the worker and the X sandbox."

    def add_arguments(self, parser):
        parser.add_argument("--port", type=int, default=8000, help="web server port")
        parser.add_argument("--sandbox-port", type=int, default=8001, help="X sandbox port")
        parser.add_argument(
            "--no-serve", action="store_true", help="only migrate and seed the demo data"
        )
        parser.add_argument(
            "--employees", type=int, default=25, help="generated employees per department"
        )
        parser.add_argument(
            "--replay-only",
            action="store_true",
            help="connect the demo accounts to the running sandbox and replay the campaign's "
            "first days on it (what the demo runs in the background)",
        )

    def handle(self, *, port, sandbox_port, no_serve, employees, replay_only, **options):
        self.verbosity = options["verbosity"]
        if replay_only:
            return self.replay(sandbox_port)
        self.step(
            "migrate",
            call_command,
            "migrate",
            interactive=False,
            verbosity=max(self.verbosity - 1, 0),
        )
        if not no_serve:
            self.step("collectstatic", _collect_static)
        created = self.step("seed", seed_dausa, employees_per_department=employees)
        created["sessions"] = seed_training()
        if self.verbosity:
            self.stdout.write(_("Demo data ready; created now: %s") % created)
        if not no_serve:
            self.serve(port, sandbox_port)

    def step(self, name: str, func, *args, **kwargs):
        """Run one step of the start, saying how long it took with -v 2."""
        started = time.monotonic()
        result = func(*args, **kwargs)
        if self.verbosity >= 2:
            self.stdout.write(f"{name}: {time.monotonic() - started:.1f} s")
        return result

    def replay(self, sandbox_port: int) -> None:
        base_url = f"http://127.0.0.1:{sandbox_port}"
        deadline = time.monotonic() + START_TIMEOUT
        while not _tcp_answers(sandbox_port):
            if time.monotonic() > deadline:
                raise CommandError(_("The X sandbox did not answer in time."))
            time.sleep(0.2)
        data = str(settings.DATA_DIR / "xsandbox")
        self.step("connect accounts", connect_demo_accounts, data, base_url)
        self.step("replay", start_demo_campaign, base_url)

    def serve(self, port: int, sandbox_port: int) -> None:
        for busy in (port, sandbox_port):
            if _tcp_answers(busy):
                raise CommandError(_("Port %(port)s is already in use.") % {"port": busy})
        supervisor = Supervisor(self._child_env(sandbox_port))
        previous = {
            s: signal.signal(s, supervisor.on_signal) for s in (signal.SIGINT, signal.SIGTERM)
        }
        try:
            sandbox = apps.is_installed("samvad.xsandbox") and "xsandbox" in get_commands()
            if sandbox:  # said from the first page on; a replay done on an earlier start stays done
                Replay.objects.get_or_create(pk=1, defaults={"days": DAYS_BEHIND})
            self._start_web(supervisor, port)
            up = supervisor.wait_until(lambda: _http_answers(port), START_TIMEOUT)
            if up:
                # The rest starts once the first page is served, not to slow the web server's
                # start on a small machine.
                self._start_background(supervisor, sandbox, sandbox_port)
                self._print_welcome(port)
                supervisor.wait_until(lambda: False, float("inf"))
        finally:
            dead = None if supervisor.stopping else supervisor.dead_child()
            supervisor.stop()
            for signum, handler in previous.items():
                signal.signal(signum, handler)
        if dead:
            name, code = dead
            raise CommandError(
                _("%(name)s stopped unexpectedly (exit code %(code)s); the demo was stopped.")
                % {"name": name, "code": code}
            )
        if not up and not supervisor.stopping:
            raise CommandError(_("The web server did not answer in time; the demo was stopped."))
        self.stdout.write(_("Demo stopped."))

    def _child_env(self, sandbox_port: int) -> dict[str, str]:
        return {
            **os.environ,
            "SAMVAD_DEMO": "1",
            "SAMVAD_MFA_REQUIRED_ROLES": "",  # the demo's admin and editor need no phone
            "SAMVAD_X_API_BASE_URL": f"http://127.0.0.1:{sandbox_port}",
            "SAMVAD_X_WEB_BASE_URL": f"http://127.0.0.1:{sandbox_port}",
            "SAMVAD_CAMPAIGN_MEASURE_MINUTES": "1",
            "DJANGO_SETTINGS_MODULE": os.environ.get("DJANGO_SETTINGS_MODULE", "samvad.settings"),
        }

    def _start_web(self, supervisor: Supervisor, port: int) -> None:
        # --preload: the app is loaded once, in the master, and its workers are forked from it.
        supervisor.start(
            "web",
            [sys.executable, "-m", "gunicorn", "samvad.wsgi:application", "--preload",
             "--bind", f"127.0.0.1:{port}", "--workers", "2", "--graceful-timeout", "5"],
        )  # fmt: skip

    def _start_background(self, supervisor: Supervisor, sandbox: bool, sandbox_port: int) -> None:
        python = sys.executable
        # The sandbox and the worker are optional parts of the product; a demo without them still
        # shows every page.
        replay = None
        if sandbox:
            data = str(settings.DATA_DIR / "xsandbox")
            supervisor.start(
                "xsandbox",
                [python, "-m", "samvad", "xsandbox", "--port", str(sandbox_port),
                 "--data", data, "--world", "dausa"],
            )  # fmt: skip
            replay = "replay"
            supervisor.start(
                replay,
                [python, "-m", "samvad", "demo", "--replay-only", "--sandbox-port",
                 str(sandbox_port), "--verbosity", str(self.verbosity)],
                finite=True,
            )  # fmt: skip
        else:
            self.stderr.write(_("The X sandbox is not installed; it was not started."))
        if "worker" in get_commands():
            supervisor.start("worker", [python, "-m", "samvad", "worker"], after=replay)
        else:
            self.stderr.write(_("The worker is not available yet; it was not started."))

    def _print_welcome(self, port: int) -> None:
        write = self.stdout.write
        write("")
        write(_("Samvad is running at %(url)s") % {"url": f"http://127.0.0.1:{port}/"})
        write(_("Log in as any of these (password: %(password)s):") % {"password": DEMO_PASSWORD})
        width = max(len(username) for username, _role, _text in DEMO_LOGINS)
        for username, role, description in DEMO_LOGINS:
            write(f"  {username.ljust(width)}  {DEMO_PASSWORD}  {role}: {description}")
        codes = ", ".join(d.code for d in DIRECTIVE_DEPARTMENTS)
        write(_("Every department's officer: officer-<code>, code one of: %s") % codes)
        if Replay.running():
            write(
                _(
                    "The campaign's first %(days)s days are being replayed on the X sandbox; "
                    "the campaign dashboard shows how far."
                )
                % {"days": DAYS_BEHIND}
            )
        write(_("Press Ctrl-C to stop."))
        self.stdout.flush()
