"""`samvad xsandbox --port 8100 --data DIR [--world dausa]` serves the local X sandbox;
`samvad xsandbox token USERNAME --data DIR` prints a user-context access token for it.
"""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from samvad.xsandbox import world
from samvad.xsandbox.api import USERNAME
from samvad.xsandbox.control import user_token
from samvad.xsandbox.server import Running
from samvad.xsandbox.store import Store


class Command(BaseCommand):
    help = "Serve the local X sandbox, or print an access token for one of its users."

    def add_arguments(self, parser):
        parser.add_argument("action", nargs="?", choices=["serve", "token"], default="serve")
        parser.add_argument("username", nargs="?")
        parser.add_argument("--port", type=int, default=8100)
        parser.add_argument("--data", default=str(settings.DATA_DIR / "xsandbox"))
        parser.add_argument("--world", choices=sorted(world.PRESETS))
        parser.add_argument("--app", action="store_true", help="print an app-only bearer token")

    def handle(self, *args, action, username, port, data, world, app, **options):
        if action == "token":
            self.stdout.write(self.token(data, username, app))
            return
        running = Running(data, port, world)
        self.stdout.write(f"X sandbox on {running.base_url} (data in {data}); Ctrl-C stops it.")
        try:
            running.thread.join()
        except KeyboardInterrupt:
            running.stop()

    def token(self, data, username, app):
        if not app and not USERNAME.match(username or ""):
            raise CommandError("Give a sandbox username (letters, digits, _; at most 15).")
        store = Store(data)
        try:
            if app:
                return store.issue_token("app")
            return user_token(store, store.create_user(username), ttl=None)["access_token"]
        finally:
            store.close()
