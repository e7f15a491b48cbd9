"""`samvad reconcile [--account HANDLE]`: run the reconciler now (it also runs every
SAMVAD_RECONCILE_SECONDS in the worker) and print what it settled."""

from django.core.management.base import BaseCommand, CommandError

from samvad.org.models import OfficialAccount
from samvad.publishing import publisher


class Command(BaseCommand):
    help = "Resolve uncertain posts and expired claims now, and print what was settled."

    def add_arguments(self, parser):
        parser.add_argument("--account", help="Only this official account's posts (its handle).")

    def handle(self, *args, account=None, **options):
        accounts = None
        if account:
            accounts = OfficialAccount.objects.filter(handle__iexact=account.lstrip("@"))
            if not accounts.exists():
                raise CommandError(f"No official account @{account.lstrip('@')}.")
        settled = publisher.reconcile(accounts=accounts)
        for post in settled:
            found = f" {post.x_url}" if post.x_post_id else ""
            self.stdout.write(f"post {post.pk} @{post.account.handle}: {post.state}{found}")
        self.stdout.write(f"{len(settled)} settled.")
