"""OAuth 2.0 authorization code with PKCE, as X runs it: codes live 30 s, access tokens 2 h,
refresh tokens rotate on every use. Any client id is accepted: the sandbox has no app registry.
"""

import base64
import hashlib
import hmac
import secrets
from html import escape
from urllib.parse import urlencode

from django.utils import translation
from django.utils.translation import gettext as _
from werkzeug.utils import redirect

from .api import USERNAME
from .pages import hidden, language, page, username_field
from .problems import ApiError

CODE_SECONDS = 30
ACCESS_SECONDS = 2 * 3600
AUTHORIZE_FIELDS = (
    "client_id",
    "redirect_uri",
    "scope",
    "state",
    "code_challenge",
    "code_challenge_method",
)


def oauth_error(description, error="invalid_request"):
    return ApiError(400, {"error": error, "error_description": description}, "application/json")


def authorize_page(ctx):
    args = ctx.request.args
    with translation.override(language(ctx.request)):
        if (
            args.get("response_type") != "code"
            or not args.get("client_id")
            or not args.get("redirect_uri")
            or not args.get("code_challenge")
        ):
            return page(
                ctx.request,
                _("Something went wrong"),
                f"<p>{escape(_('This authorization request is incomplete.'))}</p>",
                400,
            )
        scopes = "".join(
            f"<li><code>{escape(s)}</code></li>" for s in args.get("scope", "").split()
        )
        fields = hidden(**{k: args.get(k) for k in AUTHORIZE_FIELDS}, lang=args.get("lang"))
        intro = _("The app %(app)s wants to use your sandbox account.") % {"app": args["client_id"]}
        body = (
            f"<p>{escape(intro)}</p><p>{escape(_('It asks for:'))}</p><ul>{scopes}</ul>"
            f'<form method="post">{fields}{username_field(_("Your sandbox username"))}'
            f'<button name="decision" value="allow">{escape(_("Authorize app"))}</button>'
            f'<button name="decision" value="deny" formnovalidate>{escape(_("Cancel"))}</button>'
            "</form>"
        )
        return page(ctx.request, _("Authorize app"), body)


def authorize(ctx):
    form = ctx.request.form
    target = form.get("redirect_uri", "")
    if not target.startswith(("http://", "https://")):
        raise oauth_error("redirect_uri is not valid")
    separator = "&" if "?" in target else "?"
    state = {"state": form["state"]} if form.get("state") else {}
    if form.get("decision") != "allow":
        return redirect(target + separator + urlencode({"error": "access_denied", **state}))
    username = form.get("username", "")
    if not USERNAME.match(username):
        return authorize_page(ctx)
    user = ctx.store.create_user(username)
    code = secrets.token_urlsafe(24)
    ctx.store.run(
        "INSERT INTO codes (code, client_id, user_id, redirect_uri, scopes, challenge, method,"
        " expires_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        code,
        form.get("client_id"),
        user["id"],
        target,
        form.get("scope", ""),
        form.get("code_challenge"),
        form.get("code_challenge_method") or "plain",
        ctx.store.now() + CODE_SECONDS,
    )
    return redirect(target + separator + urlencode({"code": code, **state}))


def pkce_matches(verifier, challenge, method):
    if method == "S256":
        digest = hashlib.sha256(verifier.encode()).digest()
        verifier = base64.urlsafe_b64encode(digest).decode().rstrip("=")
    return hmac.compare_digest(verifier, challenge or "")


def issue(ctx, user_id, client_id, scopes):
    body = {
        "token_type": "bearer",
        "expires_in": ACCESS_SECONDS,
        "scope": scopes,
        "access_token": ctx.store.issue_token(
            "access", user_id=user_id, client_id=client_id, scopes=scopes, ttl=ACCESS_SECONDS
        ),
    }
    if "offline.access" in scopes.split():
        body["refresh_token"] = ctx.store.issue_token(
            "refresh", user_id=user_id, client_id=client_id, scopes=scopes
        )
    return body


def client_id(ctx):
    if auth := ctx.request.authorization:  # confidential clients send Basic id:secret
        return auth.username
    return ctx.request.form.get("client_id")


def token(ctx):
    form = ctx.request.form
    with ctx.store.tx():
        if form.get("grant_type") == "authorization_code":
            return exchange_code(ctx, form)
        if form.get("grant_type") == "refresh_token":
            return refresh(ctx, form)
    raise oauth_error("grant_type is not supported", "unsupported_grant_type")


def exchange_code(ctx, form):
    row = ctx.store.one("SELECT * FROM codes WHERE code = ? AND used = 0", form.get("code", ""))
    if (
        not row
        or row["expires_at"] <= ctx.store.now()
        or row["client_id"] != client_id(ctx)
        or row["redirect_uri"] != form.get("redirect_uri")
    ):
        raise oauth_error("Value passed for the authorization code was invalid.")
    if not pkce_matches(form.get("code_verifier", ""), row["challenge"], row["method"]):
        raise oauth_error("Value passed for the code verifier did not match the challenge.")
    ctx.store.run("UPDATE codes SET used = 1 WHERE code = ?", row["code"])
    return issue(ctx, row["user_id"], row["client_id"], row["scopes"])


def refresh(ctx, form):
    row = ctx.store.token(form.get("refresh_token", ""), "refresh")
    if not row or (client_id(ctx) and row["client_id"] != client_id(ctx)):
        raise oauth_error("Value passed for the token was invalid.")
    ctx.store.run("UPDATE tokens SET revoked = 1 WHERE token = ?", row["token"])
    return issue(ctx, row["user_id"], row["client_id"], row["scopes"])


def revoke(ctx):
    ctx.store.run(
        "UPDATE tokens SET revoked = 1 WHERE token = ? AND kind IN ('access', 'refresh')",
        ctx.request.form.get("token", ""),
    )
    return {"revoked": True}


ROUTES = {
    "GET /i/oauth2/authorize": authorize_page,
    "POST /i/oauth2/authorize": authorize,
    "POST /2/oauth2/token": token,
    "POST /2/oauth2/revoke": revoke,
}
