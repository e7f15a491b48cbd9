"""`samvad xsandbox token USERNAME --data DIR` prints a token that the sandbox accepts."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from samvad.xsandbox.server import Running


def test_it_prints_a_token_for_a_new_user(tmp_path):
    out = StringIO()
    call_command("xsandbox", "token", "DmDausa", data=str(tmp_path), stdout=out)
    token = out.getvalue().strip()
    running = Running(tmp_path)
    try:
        import httpx

        me = httpx.get(
            f"{running.base_url}/2/users/me", headers={"Authorization": f"Bearer {token}"}
        )
        assert me.json()["data"]["username"] == "DmDausa"
    finally:
        running.stop()


def test_it_refuses_a_bad_username(tmp_path):
    with pytest.raises(CommandError):
        call_command("xsandbox", "token", "bad name", data=str(tmp_path))
