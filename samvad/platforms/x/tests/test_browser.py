"""Acceptance 3 in Debian's chromium: the district admin connects @DmDausa through X's OAuth pages
(the sandbox's), the stored token cannot be read from the database, and a refresh after the access
token expires stores the rotated refresh token."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.db import connection as db

from samvad.conftest import log_in, sandbox_tokens
from samvad.platforms.x.client import XClient
from samvad.platforms.x.models import Connection

pytestmark = pytest.mark.browser


def every_stored_value() -> str:
    with db.cursor() as cursor:
        cursor.execute("SELECT * FROM x_connection")
        return repr(cursor.fetchall())


def test_the_district_admin_connects_dmdausa_through_x(page, sandbox, world, live_server):
    log_in(page, "admin")
    page.goto("/x/settings/")
    page.locator("#account-DmDausa form[action$='/connect/'] button").click()

    page.wait_for_url(f"{sandbox.base_url}/i/oauth2/authorize?**")
    assert "offline.access" in page.content()
    page.fill("#username", "DmDausa")
    page.click("button[value=allow]")

    page.wait_for_url(f"{live_server.url}/x/settings/")
    assert page.locator(".messages li.success").is_visible()
    connection = Connection.objects.get(account__handle="DmDausa")
    assert connection.status == Connection.Status.CONNECTED

    access, refresh = sandbox_tokens(sandbox, "access"), sandbox_tokens(sandbox, "refresh")
    stored = every_stored_value()
    assert access and refresh
    assert not any(token in stored for token in access + refresh)
    assert connection.access_token in access and connection.refresh_token in refresh
    assert connection.access_token not in page.content()

    old_refresh = connection.refresh_token
    with time_machine.travel(datetime.now(UTC) + timedelta(hours=2, minutes=1), tick=False):
        assert sandbox.store.token(access[0], "access") is None  # X's two hours are over
        assert XClient(connection.account).me().username == "DmDausa"
        connection.refresh_from_db()
        assert connection.refresh_token != old_refresh
        assert sandbox_tokens(sandbox, "refresh") == [connection.refresh_token]
        assert connection.refresh_token not in every_stored_value()


def test_the_admin_connects_dmdausa_from_the_interface_alone_and_posts_through_it(
    page, sandbox, world, live_server, settings
):
    from samvad.content.models import Post
    from samvad.platforms.x.models import XApp
    from samvad.publishing.tests.helpers import publish_all, x_posts

    settings.SAMVAD_X_CLIENT_ID = settings.SAMVAD_X_CLIENT_SECRET = ""  # no environment at all
    log_in(page, "admin")
    page.goto("/x/settings/")
    assert page.locator("#callback-url").inner_text() == f"{live_server.url}/x/callback/"
    page.fill("#id_client_id", "samvad-test")
    page.fill("#id_client_secret", "the-apps-secret")
    page.click("#x-app button")
    assert "the-apps-secret" not in every_stored_value() + repr(list(XApp.objects.values_list()))
    page.locator("#account-DmDausa form[action$='/connect/'] button").click()
    page.wait_for_url(f"{sandbox.base_url}/i/oauth2/authorize?**")
    page.fill("#username", "DmDausa")
    page.click("button[value=allow]")
    page.wait_for_url(f"{live_server.url}/x/settings/")
    account = Connection.objects.get(account__handle="DmDausa").account
    assert account.x_connection.status == Connection.Status.CONNECTED
    page.locator("#account-DmDausa form[action$='/test/'] button").click()
    assert "@DmDausa" in page.locator(".messages li.success").inner_text()

    post = Post.create_thread(
        by=world.editor,
        district=world.dausa,
        account=account,
        texts=["हर घर जल: दौसा के 12 और गाँव जुड़े।"],
    )
    post.submit(by=world.editor)
    post.approve(by=world.editor)
    post.schedule(at=datetime.now(UTC), by=world.editor)
    assert publish_all() == 1
    assert Post.objects.get(pk=post.pk).state == Post.State.PUBLISHED
    assert [p["text"] for p in x_posts(sandbox, account)] == [post.text]
