"""Upgrades run in this order (docs/deploy.md): migrate, then restart the web hosts, then the
workers. Between the first and the last step the previous release's code runs against the new
schema, so this test does exactly that for the publishing path: the previous release's editor
approves a post and its worker publishes it, in a database migrated by this release.

At each release, set PREVIOUS_RELEASE to the commit of the release before it."""

import subprocess
import sys
import tarfile

import pytest

from samvad.ops.tests.hosts import ROOT, shared_env
from samvad.publishing.tests.helpers import connect

PREVIOUS_RELEASE = "ab37edda799c13b05f4ef32ef3dbd406114a177c"

# Written against the previous release's own functions.
OLD_EDITOR = """
import django, samvad
assert "/previous/" in samvad.__file__, samvad.__file__  # this release's code is not used
django.setup()
from django.utils import timezone
from samvad.content.models import post_create_thread
from samvad.org.models import OfficialAccount, User
editor = User.objects.get(username="editor")
account = OfficialAccount.objects.get(handle="DmDausa")
post = post_create_thread(by=editor, district=account.district, account=account,
                          texts=["पिछले संस्करण से प्रकाशित सूचना"])
post.submit(by=editor)
post.approve(by=editor)
post.schedule(at=timezone.now(), by=editor)
"""


def previous_release(into) -> None:
    archive = into / "previous.tar"
    git = subprocess.run(
        ["git", "-C", ROOT, "archive", "--output", archive, PREVIOUS_RELEASE, "samvad"],
        capture_output=True,
        text=True,
    )
    if git.returncode:
        pytest.fail(f"the previous release {PREVIOUS_RELEASE} is not in this clone: {git.stderr}")
    with tarfile.open(archive) as tar:
        tar.extractall(into, filter="data")


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_the_previous_release_publishes_against_the_new_schema(sandbox, world, tmp_path):
    from samvad.content.models import Post

    connect(sandbox, world.dausa.accounts.get(handle="DmDausa"))
    old = tmp_path / "previous"
    old.mkdir()
    previous_release(old)
    env = {**shared_env(SAMVAD_DATA_DIR=str(tmp_path / "data")), "PYTHONPATH": str(old)}

    editor = subprocess.run(
        [sys.executable, "-c", OLD_EDITOR], env=env, cwd=old, capture_output=True, text=True
    )
    assert editor.returncode == 0, editor.stderr[-3000:]
    worker = subprocess.run(
        [sys.executable, "-m", "samvad", "worker", "--once"],
        env=env,
        cwd=old,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert worker.returncode == 0, worker.stderr[-3000:]

    post = Post.objects.get()
    assert post.state == Post.State.PUBLISHED, (
        post.last_error,
        worker.stderr[-3000:],
        worker.stdout[-3000:],
    )
    tweet = sandbox.store.one("SELECT text FROM tweets WHERE id = ?", int(post.x_post_id))
    assert tweet["text"] == "पिछले संस्करण से प्रकाशित सूचना"
