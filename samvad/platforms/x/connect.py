"""Connecting an official account to X, and disconnecting it: the flows that span OAuth, the
client and the Connection row."""

import contextlib

from django.utils import timezone
from django.utils.translation import gettext as _

from samvad.platforms.x import oauth
from samvad.platforms.x.client import XClient, exchange_code, revoke
from samvad.platforms.x.errors import PermanentError, XError
from samvad.platforms.x.models import Connection


def _start(account, kind: str, by) -> Connection:
    connection, _created = Connection.objects.get_or_create(account=account)
    connection.kind = kind
    connection.status = Connection.Status.CONNECTING
    connection.problem = ""
    connection.connected_by = by
    connection.connected_at = timezone.now()
    return connection


def _confirm_handle(connection: Connection) -> None:
    """The tokens must be the account's own: someone logged in to X as another user would
    otherwise publish the district's posts from the wrong account."""
    account = connection.account
    try:
        me = XClient(account).me()
    except XError:
        disconnect(account)
        raise
    if me.username.lower() != account.handle.lower():
        disconnect(account)
        raise PermanentError(
            _("X signed in @%(got)s, not @%(want)s. Log in to X as @%(want)s and connect again.")
            % {"got": me.username, "want": account.handle}
        )
    connection.x_user_id = me.id
    connection.status = Connection.Status.CONNECTED
    connection.save(update_fields=["x_user_id", "status", "updated"])
    if account.x_user_id != me.id:
        account.x_user_id = me.id
        account.save(update_fields=["x_user_id"])


def connect_oauth2(account, *, code: str, verifier: str, redirect_uri: str, by) -> Connection:
    tokens = exchange_code(
        code=code,
        verifier=verifier,
        redirect_uri=redirect_uri,
        app=oauth.app_for(account.district_id),
    )
    connection = _start(account, Connection.Kind.OAUTH2, by)
    connection.store_tokens(
        access=tokens.access_token,
        refresh=tokens.refresh_token,
        expires_in=tokens.expires_in,
        scopes=tokens.scope,
    )
    _confirm_handle(connection)
    return connection


def connect_oauth1(account, *, token: str, secret: str, by) -> Connection:
    connection = _start(account, Connection.Kind.OAUTH1, by)
    connection.refresh_token_sealed = ""
    connection.store_tokens(access=token, secret=secret)
    _confirm_handle(connection)
    return connection


def connect_tokens(
    account,
    *,
    access: str,
    refresh: str = "",
    expires_in: int | None = None,
    scopes: str = "",
    by=None,
) -> Connection:
    """Tokens obtained outside Samvad's OAuth pages (`samvad x connect`; the demo's sandbox
    tokens), sealed and confirmed like the flow's. Without a refresh token the access token is
    used until it stops working, and then the account needs connecting again."""
    connection = _start(account, Connection.Kind.OAUTH2, by)
    connection.refresh_token_sealed = ""
    connection.store_tokens(access=access, refresh=refresh, expires_in=expires_in, scopes=scopes)
    _confirm_handle(connection)
    return connection


def disconnect(account) -> None:
    """Revoke at X (best effort: the tokens are forgotten here whatever X answers)."""
    connection = Connection.objects.filter(account=account).first()
    if connection is None:
        return
    if connection.kind == Connection.Kind.OAUTH2:
        app = oauth.app_for(account.district_id)
        for token, hint in (
            (connection.refresh_token, "refresh_token"),
            (connection.access_token, "access_token"),
        ):
            with contextlib.suppress(XError):
                revoke(token, hint, app)
    connection.problem = ""
    connection.forget_tokens(Connection.Status.DISCONNECTED)
