"""`samvad x connect --account HANDLE --token-file F`: connect an official account with an access
token (and a refresh token) obtained elsewhere, sealed and checked like the OAuth flow's.

The file holds either X's token answer as JSON ({"access_token", "refresh_token", "expires_in",
"scope"}) or the access token alone. It is read from a file, never from the command line, so the
token is not left in the shell's history or the process list.
"""

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from samvad.org.models import OfficialAccount
from samvad.platforms.x.connect import connect_tokens
from samvad.platforms.x.errors import XError


class Command(BaseCommand):
    help = "Operations on the X side of official accounts."

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True)
        connect = actions.add_parser("connect", help="Connect an account with a token file.")
        connect.add_argument("--account", required=True, help="The official account's handle.")
        connect.add_argument("--token-file", required=True, type=Path)

    def handle(self, *args, action, account, token_file, **options):
        handle = account.lstrip("@")
        found = OfficialAccount.objects.filter(handle__iexact=handle).first()
        if found is None:
            raise CommandError(f"No official account @{handle}.")
        tokens = read_tokens(token_file)
        try:
            connection = connect_tokens(
                found,
                access=tokens["access_token"],
                refresh=tokens.get("refresh_token", ""),
                expires_in=tokens.get("expires_in"),
                scopes=tokens.get("scope", ""),
            )
        except XError as error:
            raise CommandError(f"X refused the token for @{found.handle}: {error}") from error
        self.stdout.write(f"@{found.handle} is connected (X user {connection.x_user_id}).")


def read_tokens(path: Path) -> dict:
    try:
        text = path.read_text().strip()
    except OSError as error:
        raise CommandError(f"Cannot read {path}: {error.strerror}.") from error
    try:
        tokens = json.loads(text) if text.startswith("{") else {"access_token": text}
    except ValueError as error:
        raise CommandError(f"{path} is neither JSON nor a token.") from error
    if not isinstance(tokens.get("access_token"), str) or not tokens["access_token"].strip():
        raise CommandError(f"{path} holds no access_token.")
    return tokens
