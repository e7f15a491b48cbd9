"""The X side of these tests is the local sandbox over real HTTP on loopback; the client's one
seam is given a client that checks every answer against X's OpenAPI document."""

import re
from urllib.parse import parse_qs, urlparse

import httpx
import pytest
from cryptography.fernet import Fernet

from samvad.org.models import OfficialAccount
from samvad.platforms.x import transport
from samvad.platforms.x.models import Connection
from samvad.xsandbox.testing import check_response, xsandbox  # noqa: F401 (the fixture)

CLIENT_ID = "samvad-test"


@pytest.fixture
def sandbox(xsandbox, settings, monkeypatch):  # noqa: F811
    settings.SAMVAD_X_API_BASE_URL = xsandbox.base_url
    settings.SAMVAD_X_AUTHORIZE_URL = xsandbox.base_url + "/i/oauth2/authorize"
    settings.SAMVAD_X_CLIENT_ID = CLIENT_ID
    settings.SAMVAD_X_CLIENT_SECRET = ""
    settings.SAMVAD_X_CONSUMER_KEY = "consumer-key"
    settings.SAMVAD_X_CONSUMER_SECRET = "consumer-secret"
    settings.SAMVAD_TOKEN_KEYS = [Fernet.generate_key().decode()]
    checked = httpx.Client(timeout=transport.TIMEOUT,
                           event_hooks={"response": [check_response]})
    monkeypatch.setattr(transport, "HTTP", checked)
    yield xsandbox
    checked.close()


def authorize(sandbox, *, username="DmDausa", redirect_uri="http://testserver/x/callback/",
              verifier="v" * 50, state="s"):
    """What a person does on X's consent page, done over HTTP: returns the authorization code."""
    from samvad.platforms.x import oauth

    form = {"client_id": CLIENT_ID, "redirect_uri": redirect_uri, "scope": oauth.SCOPES,
            "state": state, "code_challenge": oauth.challenge(verifier),
            "code_challenge_method": "S256", "username": username, "decision": "allow"}
    response = sandbox.control.post("/i/oauth2/authorize", data=form)
    assert response.status_code in (302, 303), response.text
    return parse_qs(urlparse(response.headers["location"]).query)["code"][0]


@pytest.fixture
def dausa(world):
    return OfficialAccount.objects.get(handle="DmDausa")


@pytest.fixture
def connected(sandbox, dausa, world):
    """@DmDausa connected through the OAuth 2.0 flow (tokens with a refresh token)."""
    from samvad.platforms.x.connect import connect_oauth2

    code = authorize(sandbox)
    connect_oauth2(dausa, code=code, verifier="v" * 50,
                   redirect_uri="http://testserver/x/callback/", by=world.admin)
    return Connection.objects.get(account=dausa)


def sandbox_tokens(sandbox, kind, username="DmDausa"):
    user = sandbox.store.user(username=username)
    rows = sandbox.store.all("SELECT token FROM tokens WHERE kind = ? AND user_id = ?"
                             " AND revoked = 0", kind, user["id"])
    return [r["token"] for r in rows]


def x_requests(sandbox, **filters):
    """The sandbox's log of X requests (the control API's own calls are not in it)."""
    return [r for r in sandbox.requests(**filters) if not re.match(r"^/(i|_sandbox)/", r["path"])]
