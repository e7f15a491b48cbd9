"""Issue 16, acceptance 2: with a real worker running, the 1.6 KB crash file of finding 1 and the
memory bomb of finding 2 are uploaded. Each import is refused in Hindi, the worker is the same
process afterwards, and a post scheduled for the same moment is published."""

import io
import signal
import time
import zipfile

import pytest
from django.utils import timezone

from samvad.advocacy.models import StaffImport
from samvad.advocacy.tests.conftest import upload
from samvad.advocacy.tests.test_hostile_files import SHEET, _book, _moved_sheet
from samvad.content.models import Post
from samvad.jobs.models import Heartbeat, Job
from samvad.jobs.tests.test_two_workers import shared_database_url
from samvad.publishing.models import Attempt
from samvad.publishing.tests import crash

CELL = b'<c r="A1"/>'


def crash_file() -> bytes:
    """Finding 1: one cell at XFD1048576, in a sheet part outside xl/worksheets/."""
    return _moved_sheet(
        SHEET % b'<row r="1048576"><c r="XFD1048576" t="inlineStr"><is><t>x</t></is></c></row>'
    )


def memory_bomb(inflated_mb: int = 185) -> bytes:
    """Finding 2: a sheet that inflates to about 185 MB of empty cells, from a few hundred KB."""
    book, out = _book(), io.BytesIO()
    chunk = CELL * (2**20 // len(CELL))
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as bomb:
        for item in book.infolist():
            if item.filename != "xl/worksheets/sheet1.xml":
                bomb.writestr(item, book.read(item))
        with bomb.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as sheet:
            sheet.write(SHEET.split(b"%s")[0] + b'<row r="2">')
            for _ in range(inflated_mb):
                sheet.write(chunk)
            sheet.write(b"</row>" + SHEET.split(b"%s")[1])
    return out.getvalue()


def in_hindi(message: str) -> bool:
    return any("\u0900" <= c <= "\u097f" for c in message)


def wait_for(condition, seconds: float = 180) -> bool:
    # Generous for a busy machine: a healthy run ends as soon as the condition holds.
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.25)  # a real process at work: the test has to wait for it
    return True


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_bombs_end_their_imports_and_the_worker_publishes_on(client, sandbox, world, tmp_path):
    bomb = memory_bomb()
    assert len(bomb) < 1024 * 1024
    account = crash.accounts(sandbox, world.dausa, names=["DmDausa"])[0]
    env = crash.worker_env(shared_database_url(), sandbox, SAMVAD_HEARTBEAT_SECONDS="1")
    log = open(tmp_path / "worker.log", "w")  # noqa: SIM115
    worker = crash.start(env, log)
    try:
        assert wait_for(Heartbeat.objects.exists), "the worker did not start"
        client.force_login(world.officer_a)
        imports = [
            upload(client, world.water, crash_file()),
            upload(client, world.water, bomb),
        ]
        [post_id] = crash.schedule_posts(world.editor, [account], 1, at=timezone.now())

        finished = wait_for(
            lambda: (
                StaffImport.objects.filter(
                    pk__in=[i.pk for i in imports], status=StaffImport.Status.REFUSED
                ).count()
                == 2
                and Post.objects.filter(pk=post_id, state=Post.State.PUBLISHED).exists()
            )
        )
        alive = worker.poll() is None
    finally:
        worker.send_signal(signal.SIGTERM)
        code = worker.wait(timeout=60)
        log.close()
    output = (tmp_path / "worker.log").read_text()[-3000:]
    assert finished and alive and code == 0, output

    # The process that was started ran both imports and published the post: it never died.
    checks = Job.objects.filter(name="advocacy.check_import")
    assert {c.rsplit(":", 1)[1] for c in checks.values_list("claimed_by", flat=True)} == {
        str(worker.pid)
    }
    assert Attempt.objects.filter(post_id=post_id, worker__endswith=f":{worker.pid}").exists()
    post = Post.objects.get(pk=post_id)
    assert sandbox.store.tweet(post.x_post_id)["text"] == post.text

    for record in imports:
        record.refresh_from_db()
        assert in_hindi(record.message), record.message  # the officer reads Hindi
        page = client.get(f"/advocacy/imports/{record.pk}/").content.decode()
        assert record.message in page
