"""`samvad backup`, then `samvad restore` into a new, empty database (SQLite or PostgreSQL, as
the suite runs): every table's row count and every file's hash match, and the restored
installation serves the district admin's dashboard."""

import hashlib
import json
import subprocess
import sys
from io import StringIO

import pytest
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.db import connection

from samvad.content.models import Media
from samvad.jobs.tests.test_two_workers import shared_database_url
from samvad.ops.backup import inventory
from samvad.ops.tests.hosts import shared_env

RESTORED = """
import json, django
django.setup()
from django.test import Client
from samvad.ops.backup import inventory
from samvad.org.models import User
restored = inventory()  # before logging in writes a session
client = Client()
client.force_login(User.objects.get(username="admin"))
page = client.get("/")
print(json.dumps({**restored, "dashboard": page.status_code,
                  "district": "दौसा" in page.content.decode()}))
"""


def photo(world, data: bytes) -> Media:
    return Media.objects.create(
        district=world.dausa,
        uploaded_by=world.officer_a,
        file=ContentFile(data, "nal.jpg"),
        sha256=hashlib.sha256(data).hexdigest(),
        content_type="image/jpeg",
        size=len(data),
        width=1,
        height=1,
        alt_text="नल",
    )


@pytest.fixture
def empty_database(tmp_path):
    """A new database beside the test database, dropped afterwards."""
    source = shared_database_url()
    if connection.vendor == "sqlite":
        yield f"sqlite:///{tmp_path / 'restored.sqlite3'}"
        return
    name = f"{connection.settings_dict['NAME']}_restored"
    with connection.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}"')
        cursor.execute(f'CREATE DATABASE "{name}"')
    yield source.rsplit("/", 1)[0] + "/" + name
    with connection.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_a_backup_restores_into_an_empty_database(world, tmp_path, empty_database):
    photo(world, b"\xff\xd8first photo")
    photo(world, bytes(range(256)) * 300)
    archive = tmp_path / "samvad.tar"
    call_command("backup", output=archive, stdout=StringIO())
    before = inventory()

    env = shared_env(database_url=empty_database, SAMVAD_DATA_DIR=str(tmp_path / "new-host"))
    run = subprocess.run(
        [sys.executable, "-m", "samvad", "restore", str(archive)],
        env=env,
        capture_output=True,
        text=True,
    )
    assert run.returncode == 0, run.stderr
    # DEBUG: static files from the source tree, as no collectstatic ran on the new host.
    checked = subprocess.run(
        [sys.executable, "-c", RESTORED], env={**env, "DEBUG": "1"}, capture_output=True, text=True
    )
    assert checked.returncode == 0, checked.stderr
    after = json.loads(checked.stdout.splitlines()[-1])

    assert after["rows"] == before["rows"]
    assert len(before["files"]) == 2 and after["files"] == before["files"]
    assert after["dashboard"] == 200 and after["district"]


@pytest.mark.django_db(transaction=True)
def test_restore_refuses_a_database_that_is_not_empty(world, tmp_path):
    archive = tmp_path / "samvad.tar"
    call_command("backup", output=archive, stdout=StringIO())
    with pytest.raises(Exception, match="not empty"):
        call_command("restore", archive, stdout=StringIO())
