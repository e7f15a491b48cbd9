"""The control API under /_sandbox/ (ours, not X's): people, posts, faults, clock, limits, log."""

import secrets

from . import world
from .api import USERNAME, iso
from .problems import ApiError, invalid

FAULT_KINDS = ("latency", "error", "timeout_after_create", "rate_limit", "usage_cap")
SETTINGS = ("duplicate_window_seconds", "missing_tweet_status")


def need_user(ctx, username):
    if not (user := ctx.store.user(username=username or "")):
        raise ApiError(
            404,
            {
                "title": "Not Found",
                "type": "about:blank",
                "status": 404,
                "detail": f"No sandbox user @{username}",
            },
        )
    return user


def user_json(row):
    return {"id": row["id"], "username": row["username"], "name": row["name"]}


def reset(ctx):
    ctx.store.reset()
    return {"reset": True}


def clock(ctx):
    if ctx.request.method == "POST":
        body = ctx.json()
        ctx.store.set_clock(
            at=body.get("set"), advance=float(body.get("advance", 0)), factor=body.get("factor")
        )
        world.step(ctx.store)
    now = ctx.store.now()
    return {"now": now, "iso": iso(now), "factor": ctx.store.get("clock", {}).get("factor", 1.0)}


def create_users(ctx):
    """{"users": [{"username", ...}]} and/or {"count": N, "prefix": "fan", "follow": "NAME"}."""
    body = ctx.json()
    specs = list(body.get("users", []))
    prefix, start = body.get("prefix", "user"), int(body.get("start", 1))
    specs += [{"username": f"{prefix}{i}"} for i in range(start, start + int(body.get("count", 0)))]
    fields = ("name", "id", "description", "protected", "verified", "created_at")
    with ctx.store.tx():
        target = need_user(ctx, body["follow"]) if body.get("follow") else None
        created = []
        for spec in specs:
            if not USERNAME.match(spec.get("username", "")):
                raise invalid({"username": spec.get("username", "")}, "bad username")
            user = ctx.store.create_user(
                spec["username"], **{f: spec[f] for f in fields if f in spec}
            )
            if target:
                ctx.store.follow(user["id"], target["id"])
            created.append(user_json(user))
    return {"data": created}


def follows(ctx):
    """{"followers": [names] or "follower": name, "followee": name, "unfollow": false}."""
    body = ctx.json()
    with ctx.store.tx():
        followee = need_user(ctx, body.get("followee"))
        for name in body.get("followers") or [body.get("follower")]:
            follower = need_user(ctx, name)
            if body.get("unfollow"):
                ctx.store.unfollow(follower["id"], followee["id"])
            else:
                ctx.store.follow(follower["id"], followee["id"])
    return {"ok": True}


ALL_SCOPES = "tweet.read tweet.write users.read follows.read like.read media.write offline.access"


def user_token(store, user, scopes=ALL_SCOPES, ttl=7200):
    """Two hours like X's by default; a ttl of None never expires (a developer's CLI token)."""
    token = store.issue_token(
        "access", user_id=user["id"], client_id="sandbox", scopes=scopes, ttl=ttl
    )
    return {
        "access_token": token,
        "token_type": "bearer",
        "expires_in": ttl,
        "scope": scopes,
        "user_id": user["id"],
    }


def tokens(ctx):
    """A user-context token with every scope ({"username"}), or an app-only bearer ({"app"})."""
    body = ctx.json()
    if body.get("app"):
        return {"access_token": ctx.store.issue_token("app"), "token_type": "bearer"}
    user = need_user(ctx, body.get("username"))
    return user_token(ctx.store, user, body.get("scopes", ALL_SCOPES), body.get("expires_in", 7200))


def oauth1_tokens(ctx):
    body = ctx.json()
    user = need_user(ctx, body.get("username"))
    secret = secrets.token_urlsafe(24)
    token = ctx.store.issue_token(
        "oauth1", user_id=user["id"], secret=secret, prefix=f"{user['id']}-"
    )
    return {
        "oauth_token": token,
        "oauth_token_secret": secret,
        "user_id": user["id"],
        "screen_name": user["username"],
    }


def post_as(ctx):
    """Post as anyone, skipping limits and checks: a citizen's mention, an old official post."""
    body = ctx.json()
    user = need_user(ctx, body.get("username"))
    tweet = ctx.store.create_tweet(
        user["id"],
        body.get("text", ""),
        reply_to=body.get("reply_to"),
        quote_of=body.get("quote_of"),
        at=body.get("at"),
        impressions=int(body.get("impressions", 0)),
    )
    return {"data": {"id": str(tweet["id"]), "text": tweet["text"], "author_id": user["id"]}}


def _engage(ctx, action):
    body = ctx.json()
    with ctx.store.tx():
        tweet = ctx.store.tweet(body.get("tweet_id", ""))
        if not tweet:
            raise invalid({"tweet_id": str(body.get("tweet_id"))}, "no such post")
        for name in body.get("usernames") or [body.get("username")]:
            action(need_user(ctx, name)["id"], tweet["id"])
    return {"ok": True}


def retweets(ctx):
    return _engage(ctx, ctx.store.retweet)


def likes(ctx):
    return _engage(ctx, ctx.store.like)


def faults(ctx):
    store = ctx.store
    if ctx.request.method == "DELETE":
        store.put("faults", [])
    elif ctx.request.method == "POST":
        fault = ctx.json()
        if fault.get("kind") not in FAULT_KINDS:
            raise invalid({"kind": str(fault.get("kind"))}, f"kind is one of {FAULT_KINDS}")
        if fault.get("username"):
            fault["user_id"] = need_user(ctx, fault["username"])["id"]
        if fault["kind"] == "timeout_after_create":
            fault.setdefault("method", "POST")
            fault.setdefault("path", "/2/tweets")
        with store.tx():
            store.put("faults", [*store.get("faults", []), fault])
        return {"data": fault}
    return {"data": store.get("faults", [])}


def requests(ctx):
    """The log of X-side requests; filter with method, path (prefix), status, since_id."""
    if ctx.request.method == "DELETE":
        ctx.store.run("DELETE FROM requests")
        return {"ok": True}
    args = ctx.request.args
    rows = ctx.store.all(
        "SELECT * FROM requests WHERE (:m = '' OR method = :m) AND path LIKE :p || '%'"
        " AND (:s = '' OR status = CAST(:s AS INTEGER)) AND id > :since ORDER BY id",
        {
            "m": args.get("method", "").upper(),
            "p": args.get("path", ""),
            "s": args.get("status", ""),
            "since": int(args.get("since_id", 0)),
        },
    )
    return {"data": [dict(r) for r in rows]}


def rate_limits(ctx):
    """{"endpoint": "POST /2/tweets", "user": 3, "app": 3, "user_24h": 5, "app_24h": 5}."""
    store = ctx.store
    if ctx.request.method == "DELETE":
        store.put("limits", {})
        store.run("DELETE FROM windows")
    elif ctx.request.method == "POST":
        body = ctx.json()
        endpoint = body.pop("endpoint", "")
        if endpoint not in ctx.app.x_endpoints():
            raise invalid({"endpoint": endpoint}, "unknown endpoint")
        with store.tx():
            limits = store.get("limits", {})
            limits[endpoint] = limits.get(endpoint, {}) | body
            store.put("limits", limits)
            store.run("DELETE FROM windows WHERE key LIKE ?", f"%|{endpoint}%")
    return {"data": {e: ctx.app.limits(e) for e in ctx.app.x_endpoints()}}


def settings(ctx):
    if ctx.request.method == "POST":
        for key, value in ctx.json().items():
            if key not in SETTINGS:
                raise invalid({key: str(value)}, f"settings are {SETTINGS}")
            ctx.store.put(key, value)
    return {"data": {k: ctx.store.get(k) for k in SETTINGS}}


def world_settings(ctx):
    if ctx.request.method == "POST":
        body = ctx.json()
        world.configure(ctx.store, body.pop("preset", "dausa"), **body)
    return {"data": ctx.store.get("world")}


def world_step(ctx):
    return {"events": world.step(ctx.store)}


def billing(ctx):
    """What X would bill this app for reads on a UTC day: resources by kind, each once."""
    return {"data": ctx.store.billed(ctx.request.args.get("day", ""))}


ROUTES = {
    "POST /_sandbox/reset": reset,
    "GET /_sandbox/clock": clock,
    "POST /_sandbox/clock": clock,
    "POST /_sandbox/users": create_users,
    "POST /_sandbox/follows": follows,
    "POST /_sandbox/tokens": tokens,
    "POST /_sandbox/oauth1/tokens": oauth1_tokens,
    "POST /_sandbox/tweets": post_as,
    "POST /_sandbox/retweets": retweets,
    "POST /_sandbox/likes": likes,
    **{f"{m} /_sandbox/faults": faults for m in ("GET", "POST", "DELETE")},
    **{f"{m} /_sandbox/requests": requests for m in ("GET", "DELETE")},
    **{f"{m} /_sandbox/rate_limits": rate_limits for m in ("GET", "POST", "DELETE")},
    **{f"{m} /_sandbox/settings": settings for m in ("GET", "POST")},
    **{f"{m} /_sandbox/world": world_settings for m in ("GET", "POST")},
    "POST /_sandbox/world/step": world_step,
    "GET /_sandbox/billing": billing,
}
