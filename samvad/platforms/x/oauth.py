"""X's two ways of acting as a user: OAuth 2.0 authorization code with PKCE (tokens that expire
and whose refresh token rotates on every use), and OAuth 1.0a user tokens signed HMAC-SHA1.

The calls to X's token endpoint (exchanging a code, refreshing, revoking) are in client.py, beside
the one door every request to X goes through."""

import base64
import hashlib
import secrets
from dataclasses import dataclass
from urllib.parse import quote, urlencode

import httpx
from django.conf import settings
from oauthlib.oauth1 import Client as OAuth1Client

SCOPES = "tweet.read tweet.write users.read follows.read like.read media.write offline.access"


@dataclass(frozen=True)
class Tokens:
    access_token: str
    refresh_token: str
    expires_in: int | None
    scope: str

    def __repr__(self) -> str:  # never let a token reach a log through repr()
        return f"Tokens(scope={self.scope!r}, expires_in={self.expires_in})"


@dataclass(frozen=True)
class App:
    """The X developer app's OAuth 2.0 client, from the environment or from the district's
    X settings page."""

    client_id: str
    client_secret: str
    from_environment: bool

    def __repr__(self) -> str:  # never let the secret reach a log through repr()
        return f"App(client_id={self.client_id!r})"


def environment_app() -> App | None:
    """The app set in the environment (SAMVAD_X_CLIENT_ID), which wins over a district's."""
    if not settings.SAMVAD_X_CLIENT_ID:
        return None
    return App(settings.SAMVAD_X_CLIENT_ID, settings.SAMVAD_X_CLIENT_SECRET or "", True)


def app_for(district_id: int) -> App | None:
    """The app a district connects through: the environment's when set (it wins), else the one
    its admin entered; None when there is neither."""
    from samvad.platforms.x.models import XApp

    if environment := environment_app():
        return environment
    row = XApp.objects.filter(district_id=district_id).first()
    return App(row.client_id, row.client_secret, False) if row else None


def new_verifier() -> str:
    return secrets.token_urlsafe(64)  # 86 characters, within PKCE's 43–128


def challenge(verifier: str) -> str:
    digest = hashlib.sha256(verifier.encode()).digest()
    return base64.urlsafe_b64encode(digest).decode().rstrip("=")


def authorize_url(*, state: str, verifier: str, redirect_uri: str, app: App | None = None) -> str:
    app = app or environment_app()
    query = {
        "response_type": "code",
        "client_id": app.client_id,
        "redirect_uri": redirect_uri,
        "scope": SCOPES,
        "state": state,
        "code_challenge": challenge(verifier),
        "code_challenge_method": "S256",
    }
    return f"{settings.SAMVAD_X_AUTHORIZE_URL}?{urlencode(query, quote_via=quote)}"


def sign_oauth1(request: httpx.Request, *, token: str, secret: str) -> None:
    """Adds the OAuth 1.0a HMAC-SHA1 Authorization header. JSON and multipart bodies are not part
    of the signature base string; the URL with its query is."""
    client = OAuth1Client(
        settings.SAMVAD_X_CONSUMER_KEY,
        client_secret=settings.SAMVAD_X_CONSUMER_SECRET,
        resource_owner_key=token,
        resource_owner_secret=secret,
    )
    _, headers, _ = client.sign(str(request.url), http_method=request.method)
    request.headers["Authorization"] = headers["Authorization"]
