"""samvad rotate_token_keys: seal every stored X token again under the first SAMVAD_TOKEN_KEYS key.

Rotate by putting a new key first (keeping the old ones after it), running this, then dropping
the old keys from the setting.
"""

from django.core.management.base import BaseCommand
from django.db import transaction

from samvad.platforms.x.models import Connection, reseal

SEALED = ("access_token_sealed", "refresh_token_sealed", "token_secret_sealed")


class Command(BaseCommand):
    help = "Re-encrypt every stored X token under the first key of SAMVAD_TOKEN_KEYS."

    def handle(self, *args, **options):
        count = 0
        with transaction.atomic():
            for connection in Connection.objects.select_for_update():
                for name in SEALED:
                    setattr(connection, name, reseal(getattr(connection, name)))
                connection.save(update_fields=[*SEALED])
                count += 1
        self.stdout.write(f"Re-sealed the tokens of {count} connection(s).")
