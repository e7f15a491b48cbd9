"""OAuth 2.0 with PKCE (codes 30 s, tokens 2 h, rotating refresh tokens) and OAuth 1.0a tokens."""

import base64
import hashlib
from urllib.parse import parse_qs, urlsplit

VERIFIER = "v" * 50
DIGEST = hashlib.sha256(VERIFIER.encode()).digest()
CHALLENGE = base64.urlsafe_b64encode(DIGEST).decode().rstrip("=")
REDIRECT = "http://127.0.0.1:8000/x/callback"
AUTHORIZE = {
    "response_type": "code",
    "client_id": "samvad",
    "redirect_uri": REDIRECT,
    "scope": "tweet.read tweet.write users.read offline.access",
    "state": "s1",
    "code_challenge": CHALLENGE,
    "code_challenge_method": "S256",
}


def approve(client, username="DmDausa", decision="allow"):
    r = client.post(
        "/i/oauth2/authorize", data={**AUTHORIZE, "username": username, "decision": decision}
    )
    assert r.status_code == 302
    return parse_qs(urlsplit(r.headers["location"]).query)


def exchange(client, code, verifier=VERIFIER):
    return client.post(
        "/2/oauth2/token",
        data={
            "grant_type": "authorization_code",
            "code": code,
            "redirect_uri": REDIRECT,
            "code_verifier": verifier,
            "client_id": "samvad",
        },
    )


def test_it_shows_a_consent_page_with_app_and_scopes(xsandbox):
    page = xsandbox.client().get("/i/oauth2/authorize", params=AUTHORIZE | {"lang": "en"})
    assert page.status_code == 200
    assert "samvad" in page.text and "offline.access" in page.text
    assert "Authorize app" in page.text
    assert (
        xsandbox.client().get("/i/oauth2/authorize", params={"client_id": "x"}).status_code == 400
    )


def test_it_runs_the_pkce_flow_and_rotates_refresh_tokens(xsandbox):
    client = xsandbox.client()
    query = approve(client)
    assert query["state"] == ["s1"]
    tokens = exchange(client, query["code"][0]).json()
    assert tokens["token_type"] == "bearer" and tokens["expires_in"] == 7200
    me = xsandbox.client(tokens["access_token"]).get("/2/users/me").json()
    assert me["data"]["username"] == "DmDausa"
    assert exchange(client, query["code"][0]).status_code == 400  # a code is used once

    refresh = {
        "grant_type": "refresh_token",
        "refresh_token": tokens["refresh_token"],
        "client_id": "samvad",
    }
    rotated = client.post("/2/oauth2/token", data=refresh).json()
    assert rotated["refresh_token"] != tokens["refresh_token"]
    again = client.post("/2/oauth2/token", data=refresh)
    assert again.status_code == 400 and again.json()["error"] == "invalid_request"
    assert xsandbox.client(rotated["access_token"]).get("/2/users/me").status_code == 200


def test_it_checks_the_code_verifier_and_expiry(xsandbox):
    client = xsandbox.client()
    assert exchange(client, approve(client)["code"][0], verifier="w" * 50).status_code == 400
    code = approve(client)["code"][0]
    xsandbox.advance(31)
    assert exchange(client, code).status_code == 400


def test_it_expires_access_tokens_after_two_hours(xsandbox):
    client = xsandbox.client()
    tokens = exchange(client, approve(client)["code"][0]).json()
    xsandbox.advance(7201)
    assert xsandbox.client(tokens["access_token"]).get("/2/users/me").status_code == 401
    refreshed = client.post(
        "/2/oauth2/token",
        data={
            "grant_type": "refresh_token",
            "refresh_token": tokens["refresh_token"],
            "client_id": "samvad",
        },
    ).json()
    assert xsandbox.client(refreshed["access_token"]).get("/2/users/me").status_code == 200


def test_it_gives_no_refresh_token_without_offline_access(xsandbox):
    client = xsandbox.client()
    r = client.post(
        "/i/oauth2/authorize",
        data={**AUTHORIZE, "scope": "tweet.read", "username": "a", "decision": "allow"},
    )
    code = parse_qs(urlsplit(r.headers["location"]).query)["code"][0]
    assert "refresh_token" not in exchange(client, code).json()


def test_it_redirects_a_refusal_with_access_denied(xsandbox):
    query = approve(xsandbox.client(), decision="deny")
    assert query == {"error": ["access_denied"], "state": ["s1"]}


def test_it_revokes_tokens(xsandbox):
    client = xsandbox.client()
    tokens = exchange(client, approve(client)["code"][0]).json()
    r = client.post(
        "/2/oauth2/revoke", data={"token": tokens["access_token"], "client_id": "samvad"}
    )
    assert r.json() == {"revoked": True}
    assert xsandbox.client(tokens["access_token"]).get("/2/users/me").status_code == 401


def test_it_rejects_unknown_grant_types(xsandbox):
    r = xsandbox.client().post("/2/oauth2/token", data={"grant_type": "password"})
    assert r.json()["error"] == "unsupported_grant_type"


def test_it_accepts_oauth1_user_context(xsandbox):
    xsandbox.create_user("DmDausa")
    token = xsandbox.call("POST", "oauth1/tokens", json={"username": "DmDausa"})
    client = xsandbox.client()
    header = (
        f'OAuth oauth_consumer_key="key", oauth_token="{token["oauth_token"]}", '
        'oauth_signature_method="HMAC-SHA1", oauth_signature="sig", oauth_version="1.0"'
    )
    r = client.post("/2/tweets", json={"text": "oauth1"}, headers={"Authorization": header})
    assert r.status_code == 201
    xsandbox.advance(365 * 24 * 3600)  # OAuth 1.0a tokens never expire
    me = client.get("/2/users/me", headers={"Authorization": header})
    assert me.json()["data"]["username"] == "DmDausa"
    bad = header.replace(token["oauth_token"], "nope")
    assert client.get("/2/users/me", headers={"Authorization": bad}).status_code == 401
