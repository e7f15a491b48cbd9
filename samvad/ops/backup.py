"""One archive holds the database and the uploaded files: a tar with `manifest.json`, the database
(`pg_dump`'s custom format on PostgreSQL, a copy made by SQLite's backup API on SQLite) and, when
the files live outside the database (S3), each file under `files/`."""

import io
import json
import os
import sqlite3
import subprocess
import tarfile
import tempfile
from datetime import UTC, datetime
from pathlib import Path

from django.conf import settings
from django.core.files.storage import default_storage
from django.db import connection

from samvad.ops.files import stored_names

FORMAT = 1
DUMPS = {"postgresql": "database.pgdump", "sqlite": "database.sqlite3"}


class BackupError(Exception):
    pass


def _engine() -> str:
    if connection.vendor not in DUMPS:
        raise BackupError(f"Backups know PostgreSQL and SQLite, not {connection.vendor}.")
    return connection.vendor


def _pg_env() -> dict:
    """libpq's own variables, so that no password appears on a command line."""
    db = connection.settings_dict
    pairs = {
        "PGHOST": db["HOST"],
        "PGPORT": db["PORT"],
        "PGUSER": db["USER"],
        "PGPASSWORD": db["PASSWORD"],
        "PGDATABASE": db["NAME"],
    }
    return {**os.environ, **{k: str(v) for k, v in pairs.items() if v}}


def _dump_database(engine: str, target: Path) -> None:
    if engine == "postgresql":
        # One snapshot of the whole database, however long the dump takes.
        subprocess.run(
            ["pg_dump", "--format=custom", "--file", str(target)], env=_pg_env(), check=True
        )
    else:
        source = sqlite3.connect(connection.settings_dict["NAME"])
        copy = sqlite3.connect(target)
        with copy:
            source.backup(copy)  # consistent even while workers write
        copy.close()
        source.close()


def files_inside_database() -> bool:
    return settings.SAMVAD_FILE_STORAGE == "database"


def backup(target: Path) -> dict:
    """Write the archive to `target` (via a temporary name, so that a half-written archive is
    never mistaken for a backup) and return its manifest."""
    engine = _engine()
    target.parent.mkdir(parents=True, exist_ok=True)
    names = [] if files_inside_database() else list(stored_names())
    manifest = {
        "format": FORMAT,
        "created": datetime.now(UTC).isoformat(),
        "engine": engine,
        "file_storage": settings.SAMVAD_FILE_STORAGE,
        "files": len(names),
    }
    with tempfile.TemporaryDirectory(dir=target.parent) as work:
        dump = Path(work) / DUMPS[engine]
        _dump_database(engine, dump)
        partial = Path(work) / "archive.tar"
        with tarfile.open(partial, "w") as tar:
            _add_bytes(tar, "manifest.json", json.dumps(manifest, indent=2).encode())
            tar.add(dump, arcname=dump.name)
            # Taken after the database: every file the dump names is there (files are never
            # changed in place), and one uploaded meanwhile is merely extra.
            for name in names:
                info = tarfile.TarInfo(f"files/{name}")
                info.size = default_storage.size(name)
                with default_storage.open(name, "rb") as f:
                    tar.addfile(info, f)
        partial.chmod(0o600)  # it holds every person's data and the sealed X tokens
        partial.replace(target)
    return manifest


def _add_bytes(tar: tarfile.TarFile, name: str, data: bytes) -> None:
    info = tarfile.TarInfo(name)
    info.size = len(data)
    tar.addfile(info, io.BytesIO(data))


def restore(archive: Path) -> dict:
    """Bring an archive back into this installation's database, which must be empty."""
    engine = _engine()
    with tarfile.open(archive, "r") as tar:
        manifest = json.load(tar.extractfile("manifest.json"))
        if manifest.get("format") != FORMAT:
            raise BackupError(f"{archive} is not a Samvad backup this release can read.")
        if manifest["engine"] != engine:
            raise BackupError(
                f"{archive} holds a {manifest['engine']} database; this installation uses {engine}."
            )
        if manifest["file_storage"] != settings.SAMVAD_FILE_STORAGE:
            raise BackupError(
                f"{archive} was made with SAMVAD_FILE_STORAGE="
                f"{manifest['file_storage']}; set the same before restoring."
            )
        if connection.introspection.table_names():
            raise BackupError("The database is not empty: restore only into a new, empty one.")
        with tempfile.TemporaryDirectory() as work:
            tar.extract(DUMPS[engine], work, filter="data")
            _load_database(engine, Path(work) / DUMPS[engine])
        for member in tar:
            if member.isfile() and member.name.startswith("files/"):
                name = member.name.removeprefix("files/")
                if not default_storage.exists(name):
                    default_storage.save(name, tar.extractfile(member))
    return manifest


def _load_database(engine: str, dump: Path) -> None:
    connection.close()
    if engine == "postgresql":
        subprocess.run(
            [
                "pg_restore",
                "--no-owner",
                "--no-privileges",
                "--exit-on-error",
                "--single-transaction",
                "--dbname",
                connection.settings_dict["NAME"],
                str(dump),
            ],
            env=_pg_env(),
            check=True,
        )
    else:
        source = sqlite3.connect(dump)
        target = sqlite3.connect(connection.settings_dict["NAME"])
        with target:
            source.backup(target)
        target.close()
        source.close()


def inventory() -> dict:
    """Every table's row count and every uploaded file's SHA-256: two installations with the same
    inventory hold the same data (used to check a restore)."""
    from samvad.ops.files import sha256

    with connection.cursor() as cursor:
        rows = {}
        for table in sorted(connection.introspection.table_names()):
            cursor.execute(f"SELECT COUNT(*) FROM {connection.ops.quote_name(table)}")  # noqa: S608
            rows[table] = cursor.fetchone()[0]
    return {"rows": rows, "files": {name: sha256(default_storage, name) for name in stored_names()}}
