from pathlib import Path

from dbfiles.storage import DBStorage
from django.conf import settings
from django.core.files.storage import FileSystemStorage, default_storage
from django.core.management.base import BaseCommand, CommandError

from samvad.ops.files import stored_names


class Command(BaseCommand):
    help = (
        "Copy uploaded files from this host's disk (SAMVAD_DATA_DIR/media), or from the database, "
        "into the file storage that every host shares. Files already there are left alone, so it "
        "can be run again, and on each host that has uploads on its disk."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--source",
            default=str(settings.MEDIA_ROOT),
            help="The folder uploads were kept in (default: %(default)s).",
        )
        parser.add_argument(
            "--from-database",
            action="store_true",
            help="Copy from the database instead, when switching to S3.",
        )

    def handle(self, *args, source: str, from_database: bool, **options) -> None:
        if from_database:
            disk = DBStorage()
        elif Path(source).is_dir():
            disk = FileSystemStorage(location=source)
        else:
            raise CommandError(f"{source} is not a folder.")
        moved = present = missing = 0
        for name in stored_names():
            if default_storage.exists(name):
                present += 1
            elif not disk.exists(name):
                missing += 1
                self.stderr.write(f"not on this host: {name}")
            else:
                with disk.open(name, "rb") as f:
                    saved = default_storage.save(name, f)
                if saved != name:  # exists() said no a moment ago: another host got there first
                    default_storage.delete(saved)
                moved += 1
        self.stdout.write(
            f"moved {moved}, already in storage {present}, not on this host {missing}"
        )
