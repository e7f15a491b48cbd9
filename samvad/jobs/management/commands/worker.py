import signal
import threading

from django.core.management.base import BaseCommand

from samvad.jobs.worker import loop


class Command(BaseCommand):
    help = "Run background jobs: claim due jobs from the database and run them, until stopped."

    def add_arguments(self, parser):
        parser.add_argument(
            "--once", action="store_true", help="Run the jobs that are due, then exit."
        )
        parser.add_argument(
            "--poll", type=float, default=1.0, help="Seconds to wait when no job is due."
        )

    def handle(self, *args, once: bool, poll: float, **options) -> None:
        stop = threading.Event()
        # The job in hand is finished before the worker exits (cleanly, with status 0).
        for signum in (signal.SIGTERM, signal.SIGINT):
            signal.signal(signum, lambda *_: stop.set())
        loop(stop=stop, poll=poll, once=once)
