"""The `samvad` console script: Django's management commands under one name."""

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "samvad.settings")
    from samvad import datadir

    # Before the settings are read: they find the data directory and its dev secrets made.
    production = os.environ.get("SAMVAD_PRODUCTION", "").lower() in ("1", "true", "yes", "on")
    datadir.prepare(production=production)
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
