"""`samvad worker`: the job loop (samvad.jobs) and, beside it, the publishing loop. It lives in
publishing, which builds on jobs, so that jobs never needs to know about posts."""

import signal
import threading

from django.core.management.base import BaseCommand

from samvad.jobs.worker import loop, worker_id
from samvad.publishing import dispatcher, publisher


class Command(BaseCommand):
    help = "Run background jobs and publish due posts, until stopped."

    def add_arguments(self, parser):
        parser.add_argument(
            "--once",
            action="store_true",
            help="Publish the posts and run the jobs that are due, then exit.",
        )
        parser.add_argument(
            "--poll", type=float, default=1.0, help="Seconds to wait when no job is due."
        )

    def handle(self, *args, once: bool, poll: float, **options) -> None:
        stop = threading.Event()
        # The job and the post in hand are finished before the worker exits (cleanly, status 0).
        for signum in (signal.SIGTERM, signal.SIGINT):
            signal.signal(signum, lambda *_: stop.set())
        if once:
            publisher.publish_due(worker=worker_id())
            loop(stop=stop, poll=poll, once=True)
            return
        # Publishing has its own thread, so that a long job never makes a post late.
        publishing = threading.Thread(
            target=dispatcher.run, name="publishing", kwargs={"worker": worker_id(), "stop": stop}
        )
        publishing.start()
        try:
            loop(stop=stop, poll=poll)
        finally:
            stop.set()
            publishing.join()
