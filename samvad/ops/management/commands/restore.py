from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from samvad.ops.backup import BackupError, restore


class Command(BaseCommand):
    help = (
        "Bring back an archive written by `samvad backup` into a new, empty database (and "
        "its files into the file storage). Run `samvad migrate` afterwards when restoring "
        "into a newer release."
    )

    def add_arguments(self, parser):
        parser.add_argument("archive", type=Path)

    def handle(self, *args, archive: Path, **options) -> None:
        if not archive.is_file():
            raise CommandError(f"{archive} is not a file.")
        try:
            manifest = restore(archive)
        except BackupError as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(f"restored {archive} (made {manifest['created']})")
