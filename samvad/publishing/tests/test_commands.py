"""Operations as commands (issue 21): `samvad reconcile`, `samvad publish status` and
`samvad x connect`, against the sandbox, with a post whose answer X never gave."""

import json
from datetime import timedelta
from io import StringIO

import pytest
import time_machine
from django.core.management import CommandError, call_command

from samvad.content.models import Post
from samvad.org.models import OfficialAccount
from samvad.platforms.x.models import Connection
from samvad.publishing.tests.helpers import approved, connect, publish_all, x_posts


@pytest.fixture
def dm(sandbox, world):
    account = OfficialAccount.objects.get(handle="DmDausa")
    connect(sandbox, account)
    account.refresh_from_db()
    return account


def run(*args) -> str:
    out = StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def test_status_shows_the_uncertain_post_and_reconcile_settles_it(sandbox, dm, world):
    sandbox.fault(kind="timeout_after_create", mode="drop", count=1)
    [lost] = approved(world, dm, "उत्तर खो गया")
    publish_all()
    approved(world, dm, "बाद में जाएगी", at=lost.scheduled_at + timedelta(days=1))

    status = run("publish", "status")
    assert "@DmDausa: in flight 0, waiting 1 (due now 0), uncertain 1" in status
    assert f"post {lost.pk} @DmDausa: uncertain after 1 attempt(s)" in status
    assert "@DmAlwar: in flight 0, waiting 0 (due now 0), uncertain 0" in status

    settled = run("reconcile", "--account", "DmDausa")
    [tweet] = x_posts(sandbox, dm)
    assert (
        f"post {lost.pk} @DmDausa: published {sandbox.base_url}/DmDausa/status/{tweet['id']}"
        in settled
    )
    assert "1 settled." in settled
    assert run("reconcile") == "0 settled.\n"
    assert "uncertain 0" in run("publish", "status")


def test_reconcile_reports_a_claim_whose_worker_vanished(sandbox, dm, world):
    [post] = approved(world, dm, "कार्यकर्ता रुक गया")
    from samvad.publishing import publisher

    publisher.claim()
    post.refresh_from_db()
    assert "in flight 1" in run("publish", "status")
    with time_machine.travel(post.lease_until + timedelta(seconds=1)):
        settled = run("reconcile")
    assert f"post {post.pk} @DmDausa: uncertain" in settled  # not on X: nothing was sent
    assert Post.objects.get(pk=post.pk).state == Post.State.UNCERTAIN


def test_reconcile_refuses_an_unknown_account(db):
    with pytest.raises(CommandError):
        call_command("reconcile", "--account", "NoSuchAccount")


def test_x_connect_stores_the_tokens_sealed_and_checks_the_handle(sandbox, world, tmp_path):
    account = OfficialAccount.objects.get(handle="DmDausa")
    sandbox.create_user("DmDausa")
    answer = sandbox.call("POST", "tokens", json={"username": "DmDausa", "expires_in": 7200})
    token_file = tmp_path / "tokens.json"
    token_file.write_text(json.dumps({**answer, "refresh_token": "r-123"}))

    out = run("x", "connect", "--account", "@DmDausa", "--token-file", str(token_file))

    connection = Connection.objects.get(account=account)
    assert "@DmDausa is connected" in out
    assert connection.status == Connection.Status.CONNECTED
    assert connection.access_token == answer["access_token"]
    assert connection.refresh_token == "r-123" and connection.expires_at is not None
    assert answer["access_token"] not in connection.access_token_sealed


def test_x_connect_refuses_another_accounts_token(sandbox, world, tmp_path):
    sandbox.create_user("SomeoneElse")
    answer = sandbox.call("POST", "tokens", json={"username": "SomeoneElse"})
    token_file = tmp_path / "token.txt"
    token_file.write_text(answer["access_token"] + "\n")
    with pytest.raises(CommandError, match="SomeoneElse"):
        run("x", "connect", "--account", "DmDausa", "--token-file", str(token_file))
    assert not Connection.objects.filter(status=Connection.Status.CONNECTED).exists()
