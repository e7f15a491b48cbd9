from io import StringIO

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import call_command

from samvad.content.models import Media
from samvad.inbox.models import Evidence


def media_on_disk(world, root, name: str, data: bytes | None) -> Media:
    """A photo as an earlier release kept it: the row names a file on this host's disk."""
    if data is not None:
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_bytes(data)
    return Media.objects.create(
        district=world.dausa,
        uploaded_by=world.officer_a,
        file=name,
        sha256="",
        content_type="image/jpeg",
        size=len(data or b""),
        width=1,
        height=1,
        alt_text="नल",
    )


def test_files_move_from_disk_into_storage_and_a_second_run_changes_nothing(world, tmp_path):
    media_on_disk(world, tmp_path, "content/a.jpg", b"photo a")
    media_on_disk(world, tmp_path, "content/gone.jpg", None)  # uploaded through another host
    assert not default_storage.exists("content/a.jpg")

    first, errors = StringIO(), StringIO()
    call_command("movefiles", source=str(tmp_path), stdout=first, stderr=errors)
    assert "moved 1, already in storage 0, not on this host 1" in first.getvalue()
    assert "content/gone.jpg" in errors.getvalue()
    with default_storage.open("content/a.jpg") as f:
        assert f.read() == b"photo a"
    assert Media.objects.get(file="content/a.jpg").file.read() == b"photo a"

    again = StringIO()
    call_command("movefiles", source=str(tmp_path), stdout=again, stderr=StringIO())
    assert "moved 0, already in storage 1, not on this host 1" in again.getvalue()


def test_every_file_field_is_moved(world, tmp_path):
    """Evidence documents of fact checks as well as photos."""
    from samvad.ops.files import file_fields

    assert {(m, f) for m, f in file_fields()} >= {(Media, "file"), (Evidence, "document")}


def test_files_move_from_the_database_into_another_storage(world, tmp_path, settings):
    """Switching a large state to S3: here a folder stands in for the bucket."""
    from dbfiles.storage import DBStorage

    name = DBStorage().save("content/b.jpg", ContentFile(b"photo b"))
    media_on_disk(world, tmp_path, name, None)
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path / "bucket")},
        },
    }

    out = StringIO()
    call_command("movefiles", from_database=True, stdout=out, stderr=StringIO())
    assert "moved 1, already in storage 0, not on this host 0" in out.getvalue()
    assert (tmp_path / "bucket" / name).read_bytes() == b"photo b"
