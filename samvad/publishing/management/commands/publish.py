"""`samvad publish status`: per official account, the posts in flight, waiting and uncertain."""

from django.core.management.base import BaseCommand
from django.db.models import Count, Q
from django.utils import timezone

from samvad.content.models import WAITING, Post
from samvad.org.models import OfficialAccount

IN_FLIGHT, UNCERTAIN = Post.State.PUBLISHING, Post.State.UNCERTAIN


class Command(BaseCommand):
    help = "Show what the publisher has in hand, account by account."

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True)
        actions.add_parser("status", help="Posts in flight, waiting and uncertain per account.")

    def handle(self, *args, action, **options):
        now = timezone.now()
        rows = (
            Post.objects.filter(state__in=[IN_FLIGHT, UNCERTAIN, *WAITING], account__isnull=False)
            .values("account__handle", "state")
            .annotate(n=Count("id"), due=Count("id", filter=Q(scheduled_at__lte=now)))
            .order_by("account__handle", "state")
        )
        table: dict[str, dict[str, int]] = {}
        for row in rows:
            counts = table.setdefault(row["account__handle"], {})
            group = (
                "in flight"
                if row["state"] == IN_FLIGHT
                else "uncertain"
                if row["state"] == UNCERTAIN
                else "waiting"
            )
            counts[group] = counts.get(group, 0) + row["n"]
            if group == "waiting":
                counts["due now"] = counts.get("due now", 0) + row["due"]
        for handle in sorted(OfficialAccount.objects.values_list("handle", flat=True)):
            counts = table.get(handle, {})
            self.stdout.write(
                f"@{handle}: in flight {counts.get('in flight', 0)}, "
                f"waiting {counts.get('waiting', 0)} (due now {counts.get('due now', 0)}), "
                f"uncertain {counts.get('uncertain', 0)}"
            )
        for post in (
            Post.objects.filter(state__in=[IN_FLIGHT, UNCERTAIN])
            .select_related("account")
            .order_by("account__handle", "id")
        ):
            until = f" lease until {post.lease_until.isoformat()}" if post.lease_until else ""
            self.stdout.write(
                f"  post {post.pk} @{post.account.handle}: {post.state}{until}"
                f" after {post.attempts} attempt(s) {post.last_error}".rstrip()
            )
