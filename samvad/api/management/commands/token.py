"""`samvad token create USERNAME [--name NAME] [--scopes read,submit] [--days 90]` prints a new
API token (and nothing else, so that scripts can capture it); `samvad token revoke PREFIX` revokes
one. People make their own on their profile's API tokens page."""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from samvad.api.models import READ, SCOPES, ApiToken


class Command(BaseCommand):
    help = "Create or revoke a user's API token."

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True)
        create = actions.add_parser("create", help="Create a token and print it (shown once).")
        create.add_argument("username")
        create.add_argument("--name", default="", help="What the token is for.")
        create.add_argument(
            "--scopes",
            default=READ,
            help=f"Comma-separated, of: {', '.join(SCOPES)} (default: {READ}).",
        )
        create.add_argument(
            "--days",
            type=int,
            default=None,
            help="Days until it expires (default SAMVAD_API_TOKEN_DAYS, 90).",
        )
        revoke = actions.add_parser("revoke", help="Revoke the token with this prefix.")
        revoke.add_argument("prefix")

    def handle(self, *args, action, **options):
        if action == "create":
            self.create(options["username"], options["name"], options["scopes"], options["days"])
        else:
            self.revoke(options["prefix"])

    def create(self, username: str, name: str, scopes: str, days: int | None) -> None:
        user = get_user_model().objects.filter(username=username, is_active=True).first()
        if user is None:
            raise CommandError(f"No active user {username!r}.")
        wanted = [s.strip() for s in scopes.split(",") if s.strip()]
        if not wanted or set(wanted) - set(SCOPES):
            raise CommandError(f"Scopes are some of: {', '.join(SCOPES)}.")
        if days is not None and not 0 < days <= 365:
            raise CommandError("--days is 1 to 365.")
        token, raw = ApiToken.issue(user=user, name=name, scopes=wanted, days=days)
        self.stdout.write(raw)
        self.stderr.write(f"Token {token.prefix} created for {username}; it is not shown again.")

    def revoke(self, prefix: str) -> None:
        tokens = list(ApiToken.objects.filter(prefix=prefix, revoked=False).select_related("user"))
        if not tokens:
            raise CommandError(f"No active token starts with {prefix!r}.")
        if len(tokens) > 1:
            raise CommandError(f"{len(tokens)} tokens start with {prefix!r}; revoke them by hand.")
        tokens[0].revoke()
        self.stdout.write(f"Revoked token {prefix} of {tokens[0].user.username}.")
