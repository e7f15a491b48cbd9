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


def new_verifier() -> str:
    return secrets.token_urlsafe(64)  # 86 characters, within PKCE's 43–128


def challenge(verifier: str) -> str:
    digest = hashlib.sha256(verifier.encode()).digest()
    return base64.urlsafe_b64encode(digest).decode().rstrip("=")


def authorize_url(*, state: str, verifier: str, redirect_uri: str) -> str:
    query = {
        "response_type": "code", "client_id": settings.SAMVAD_X_CLIENT_ID,
        "redirect_uri": redirect_uri, "scope": SCOPES, "state": state,
        "code_challenge": challenge(verifier), "code_challenge_method": "S256",
    }
    return f"{settings.SAMVAD_X_AUTHORIZE_URL}?{urlencode(query, quote_via=quote)}"


def _token_endpoint(path: str, form: dict) -> httpx.Response:
    headers = {}
    if secret := settings.SAMVAD_X_CLIENT_SECRET:
        # A confidential client authenticates with HTTP Basic, as X asks.
        pair = f"{quote(settings.SAMVAD_X_CLIENT_ID)}:{quote(secret)}"
        headers["Authorization"] = "Basic " + base64.b64encode(pair.encode()).decode()
    else:
        form = {**form, "client_id": settings.SAMVAD_X_CLIENT_ID}
    request = httpx.Request("POST", settings.SAMVAD_X_API_BASE_URL + path, data=form,
                            headers=headers)
    try:
        return transport.send(request)
    except httpx.TransportError as exc:
        raise XError(f"X could not be reached: {type(exc).__name__}") from None


def _tokens(response: httpx.Response) -> Tokens:
    body = response.json()
    return Tokens(body["access_token"], body.get("refresh_token", ""), body.get("expires_in"),
                  body.get("scope", ""))


def _refusal(response: httpx.Response) -> str:
    try:
        body = response.json()
    except ValueError:
        return f"HTTP {response.status_code}"
    return body.get("error_description") or body.get("error") or f"HTTP {response.status_code}"


def exchange_code(*, code: str, verifier: str, redirect_uri: str) -> Tokens:
    response = _token_endpoint("/2/oauth2/token", {
        "grant_type": "authorization_code", "code": code, "redirect_uri": redirect_uri,
        "code_verifier": verifier,
    })
    if response.status_code >= 500:
        raise XError(f"X answered {response.status_code}")
    if response.status_code != 200:
        raise PermanentError(_refusal(response), response.status_code)
    return _tokens(response)


def refresh(refresh_token: str) -> Tokens:
    """New tokens; the refresh token returned replaces the one used, which X has just revoked."""
    if not refresh_token:
        raise NeedsReconnect()
    response = _token_endpoint("/2/oauth2/token", {
        "grant_type": "refresh_token", "refresh_token": refresh_token,
    })
    if response.status_code >= 500:
        raise XError(f"X answered {response.status_code}")
    if response.status_code != 200:
        raise NeedsReconnect(_refusal(response))
    return _tokens(response)


def revoke(token: str, hint: str) -> None:
    if token:
        _token_endpoint("/2/oauth2/revoke", {"token": token, "token_type_hint": hint})


def sign_oauth1(request: httpx.Request, *, token: str, secret: str) -> None:
    """Adds the OAuth 1.0a HMAC-SHA1 Authorization header. JSON and multipart bodies are not part
    of the signature base string; the URL with its query is."""
    client = OAuth1Client(
        settings.SAMVAD_X_CONSUMER_KEY, client_secret=settings.SAMVAD_X_CONSUMER_SECRET,
        resource_owner_key=token, resource_owner_secret=secret,
    )
    _, headers, _ = client.sign(str(request.url), http_method=request.method)
    request.headers["Authorization"] = headers["Authorization"]
