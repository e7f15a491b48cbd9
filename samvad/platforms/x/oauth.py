"""X's two ways of acting as a user: OAuth 2.0 authorization code with PKCE (tokens that expire
and whose refresh token rotates on every use), and OAuth 1.0a user tokens signed HMAC-SHA1."""

import base64
import hashlib
import secrets
from dataclasses import dataclass
from urllib.parse import quote, urlencode

import httpx
from django.conf import settings
from oauthlib.oauth1 import Client as OAuth1Client

from samvad.platforms.x import transport
from samvad.platforms.x.errors import NeedsReconnect, PermanentError, XError

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


def _environment_app() -> App | None:
    if not settings.SAMVAD_X_CLIENT_ID:
        return None
    return App(settings.SAMVAD_X_CLIENT_ID, settings.SAMVAD_X_CLIENT_SECRET or "", True)


def app_for(district_id: int) -> App | None:
    """The app a district connects through: the environment's when set (it wins), else the one
    its admin entered; None when there is neither."""
    from samvad.platforms.x.models import XApp

    if environment := _environment_app():
        return environment
    row = XApp.objects.filter(district_id=district_id).first()
    return App(row.client_id, row.client_secret, False) if row else None


def new_verifier() -> str:
    return secrets.token_urlsafe(64)  # 86 characters, within PKCE's 43–128


def challenge(verifier: str) -> str:
    digest = hashlib.sha256(verifier.encode()).digest()
    return base64.urlsafe_b64encode(digest).decode().rstrip("=")


def authorize_url(*, state: str, verifier: str, redirect_uri: str, app: App | None = None) -> str:
    app = app or _environment_app()
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


def _token_endpoint(path: str, form: dict, app: App | None) -> httpx.Response:
    app = app or _environment_app()
    if app is None:
        raise PermanentError("This installation has no X app yet.")
    headers = {}
    if secret := app.client_secret:
        # A confidential client authenticates with HTTP Basic, as X asks.
        pair = f"{quote(app.client_id)}:{quote(secret)}"
        headers["Authorization"] = "Basic " + base64.b64encode(pair.encode()).decode()
    else:
        form = {**form, "client_id": app.client_id}
    request = httpx.Request(
        "POST", settings.SAMVAD_X_API_BASE_URL + path, data=form, headers=headers
    )
    try:
        return transport.send(request)
    except httpx.TransportError as exc:
        raise XError(f"X could not be reached: {type(exc).__name__}") from None


def _tokens(response: httpx.Response) -> Tokens:
    body = response.json()
    return Tokens(
        body["access_token"],
        body.get("refresh_token", ""),
        body.get("expires_in"),
        body.get("scope", ""),
    )


def _refusal(response: httpx.Response) -> str:
    try:
        body = response.json()
    except ValueError:
        return f"HTTP {response.status_code}"
    return body.get("error_description") or body.get("error") or f"HTTP {response.status_code}"


def exchange_code(*, code: str, verifier: str, redirect_uri: str, app: App | None = None) -> Tokens:
    response = _token_endpoint(
        "/2/oauth2/token",
        {
            "grant_type": "authorization_code",
            "code": code,
            "redirect_uri": redirect_uri,
            "code_verifier": verifier,
        },
        app,
    )
    if response.status_code >= 500:
        raise XError(f"X answered {response.status_code}")
    if response.status_code != 200:
        raise PermanentError(_refusal(response), response.status_code)
    return _tokens(response)


def refresh(refresh_token: str, app: App | None = None) -> Tokens:
    """New tokens; the refresh token returned replaces the one used, which X has just revoked."""
    if not refresh_token:
        raise NeedsReconnect()
    response = _token_endpoint(
        "/2/oauth2/token",
        {
            "grant_type": "refresh_token",
            "refresh_token": refresh_token,
        },
        app,
    )
    if response.status_code >= 500:
        raise XError(f"X answered {response.status_code}")
    if response.status_code != 200:
        raise NeedsReconnect(_refusal(response))
    return _tokens(response)


def revoke(token: str, hint: str, app: App | None = None) -> None:
    if token:
        _token_endpoint("/2/oauth2/revoke", {"token": token, "token_type_hint": hint}, app)


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
