"""`samvad generate --scale district|state|nation`: synthetic data of the right shape and size.

See samvad/demo/generate.py for how apps plug in their own generators, and docs/performance.md for
the figures. Generated users have unusable passwords and usernames starting with "gen-".
"""

import time
from datetime import date

from django.apps import apps
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.utils.translation import gettext as _

from samvad.demo import generate as synthetic


class Command(BaseCommand):
    help = "Fill an empty database with deterministic synthetic data at a given scale."
    requires_system_checks = []  # a data tool; benchmarks run it while other apps are mid-change

    def add_arguments(self, parser):
        parser.add_argument(
            "--scale", choices=list(synthetic.SCALES), default="district",
            metavar="{district,state,nation}",
        )  # fmt: skip
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument(
            "--end", type=date.fromisoformat, default=None,
            help="last day of the daily history, YYYY-MM-DD (default: today)",
        )  # fmt: skip
        parser.add_argument(
            "--reset", action="store_true",
            help="first delete all organisation data, what refers to it and the generated users",
        )  # fmt: skip
        parser.add_argument(
            "--dry-run", action="store_true",
            help="print the rows and an estimate of size and time; write nothing",
        )  # fmt: skip
        parser.add_argument(
            "--apps", default="", dest="only_apps",
            help="comma-separated app labels to generate for (default: every app that can)",
        )  # fmt: skip

    def handle(self, *args, scale, seed, end, reset, dry_run, only_apps, **options):
        chosen = synthetic.SCALES[scale]
        if dry_run:
            return self.dry_run(chosen)
        if settings.PRODUCTION:
            raise CommandError(_("Synthetic data is never generated in production."))
        only = {"org", *only_apps.split(",")} if only_apps else None
        with transaction.atomic():
            if reset:
                synthetic.reset()
            elif synthetic.has_data():
                raise CommandError(
                    _("This database already holds districts. Generate into an empty database, "
                      "or pass --reset to delete the organisation data first.")
                )  # fmt: skip
            ctx = self.generate(chosen, seed, end, only)
        if connection.vendor == "postgresql" and ctx.counts:
            # Fresh statistics for the tables just filled, so that the first queries plan well.
            tables = [apps.get_model(label)._meta.db_table for label in ctx.counts]
            with connection.cursor() as cursor:
                cursor.execute(f"ANALYZE {', '.join(map(connection.ops.quote_name, tables))}")

    def generate(self, scale, seed, end, only) -> synthetic.Context:
        ctx = synthetic.make_context(scale, seed=seed, today=end)
        started = time.perf_counter()

        def report(label, rows, seconds):
            self.stdout.write(f"{label:<12} {rows:>12,} rows {seconds:>8.1f} s")

        synthetic.run_generators(ctx, synthetic.generators(only), report)
        rows, seconds = sum(ctx.counts.values()), time.perf_counter() - started
        self.stdout.write(
            _("%(rows)s rows in %(seconds).1f s (%(rate)s rows a second).")
            % {"rows": f"{rows:,}", "seconds": seconds, "rate": f"{rows / seconds:,.0f}"}
        )
        return ctx

    def dry_run(self, scale) -> None:
        lines = synthetic.dry_run(scale)
        for name, rows, size in lines:
            self.stdout.write(f"{name:<52} {rows:>14,} {size / 2**20:>12,.0f} MB")
        rows, size = sum(n for _, n, _ in lines), sum(b for _, _, b in lines)
        self.stdout.write(
            _("%(rows)s rows, about %(size)s GB, about %(minutes)s minutes to generate.")
            % {
                "rows": f"{rows:,}",
                "size": f"{size / 2**30:,.1f}",
                "minutes": f"{rows / synthetic.ROWS_PER_SECOND / 60:,.1f}",
            }
        )
