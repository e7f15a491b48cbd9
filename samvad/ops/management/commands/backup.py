from datetime import UTC, datetime
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from samvad.ops.backup import BackupError, backup


class Command(BaseCommand):
    help = (
        "Write one archive of the database and the uploaded files, consistent even while "
        "Samvad runs. Restore it with `samvad restore`."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dir",
            type=Path,
            default=settings.DATA_DIR / "backups",
            help="Where to write samvad-<UTC time>.tar (default: %(default)s).",
        )
        parser.add_argument("--output", type=Path, help="The archive to write, instead.")

    def handle(self, *args, dir: Path, output: Path | None, **options) -> None:  # noqa: A002
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
        target = output or dir / f"samvad-{stamp}.tar"
        try:
            manifest = backup(target)
        except BackupError as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(
            f"{target} ({manifest['engine']}, {manifest['files']} files outside the database)"
        )
