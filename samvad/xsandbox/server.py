"""The sandbox's WSGI application: routing, auth, rate limits, faults, vocabulary and the log.

Everything under /2/ behaves like api.x.com; /_sandbox/ is our own control API; /intent/ and
/i/oauth2/authorize are the pages a person would see on x.com.
"""

import json
import re
import socket
import threading
from urllib.parse import unquote

from werkzeug.exceptions import MethodNotAllowed, NotFound
from werkzeug.routing import Map, Rule
from werkzeug.serving import WSGIRequestHandler, make_server
from werkzeug.wrappers import Request, Response

from . import api, control, intents, oauth, world
from .problems import TOO_MANY, UNAUTHORIZED, USAGE_CAPPED, ApiError, generic, invalid
from .problems import unsupported_authentication as app_only_forbidden
from .store import Store

DAY = 24 * 3600
# endpoint: handler, (per app, per user) requests in 15 minutes; an app limit of None means the
# endpoint needs user context, as X's do.
X_ENDPOINTS = {
    "POST /2/tweets": (api.create_tweet, (None, 100)),
    "DELETE /2/tweets/:id": (api.delete_tweet, (None, 50)),
    "GET /2/users/by": (api.users_by, (300, 900)),
    "GET /2/users/by/username/:username": (api.user_by_username, (300, 900)),
    "GET /2/users/:id": (api.user_by_id, (300, 900)),
    "GET /2/users": (api.users_by_ids, (300, 900)),
    "GET /2/users/me": (api.me, (None, 900)),
    "GET /2/users/:id/followers": (api.followers, (300, 300)),
    "GET /2/users/:id/following": (api.following, (300, 300)),
    "GET /2/tweets/:id/retweeted_by": (api.retweeted_by, (75, 75)),
    "GET /2/tweets/:id/liking_users": (api.liking_users, (None, 75)),
    "GET /2/users/:id/mentions": (api.mentions, (450, 300)),
    "GET /2/users/:id/tweets": (api.user_tweets, (1500, 900)),
    "GET /2/tweets": (api.get_tweets, (3500, 5000)),
    "GET /2/tweets/:id": (api.get_tweet, (3500, 5000)),
    "GET /2/tweets/search/recent": (api.search_recent, (450, 300)),
    "POST /2/media/upload": (api.upload_media, (None, 500)),
    "GET /2/media/upload": (api.media_status, (None, 1875)),
    "POST /2/media/upload/initialize": (api.initialize_media, (None, 1875)),
    "POST /2/media/upload/:id/append": (api.append_media, (None, 1875)),
    "POST /2/media/upload/:id/finalize": (api.finalize_media, (None, 1875)),
    "POST /2/media/metadata": (api.create_media_metadata, (None, 500)),
}
# What a read's `data` holds, as X bills it (the contract's "Access and cost"): entries of a
# follower or following list and likes are billed by the list they belong to; `includes` are
# billed as the posts and users they are. Other calls bill no resources.
BILLED_AS = {
    "GET /2/users/:id/followers": "follow",
    "GET /2/users/:id/following": "follow",
    "GET /2/tweets/:id/liking_users": "like",
    **dict.fromkeys(
        (
            "GET /2/users/by",
            "GET /2/users/:id",
            "GET /2/users",
            "GET /2/users/me",
            "GET /2/tweets/:id/retweeted_by",
        ),
        "user",
    ),
    **dict.fromkeys(
        (
            "GET /2/tweets",
            "GET /2/tweets/:id",
            "GET /2/users/:id/mentions",
            "GET /2/users/:id/tweets",
            "GET /2/tweets/search/recent",
        ),
        "post",
    ),
}
DAILY_LIMITS = {"POST /2/tweets": (10_000, 2_400)}  # per app, per user in 24 hours
SCOPES = {"POST /2/tweets": "tweet.write", "DELETE /2/tweets/:id": "tweet.write"}
POST_NAMES = {"tweet_count": "post_count", "retweet_count": "repost_count"}
DROP = object()  # a response that is never sent: the connection is cut instead


def build_map():
    rules = [(e, "x", h) for e, (h, _) in X_ENDPOINTS.items()]
    rules += [
        (e, kind, h)
        for kind, module in (("oauth", oauth), ("control", control), ("intent", intents))
        for e, h in module.ROUTES.items()
    ]
    return Map(
        [
            Rule(
                re.sub(r":(\w+)", r"<\1>", endpoint.split()[1]),
                methods=[endpoint.split()[0]],
                endpoint=(endpoint, kind, handler),
            )
            for endpoint, kind, handler in rules
        ]
    )


def to_post_vocabulary(value):
    if isinstance(value, dict):
        return {POST_NAMES.get(k, k): to_post_vocabulary(v) for k, v in value.items()}
    if isinstance(value, list):
        return [to_post_vocabulary(v) for v in value]
    return value


class Ctx:
    """One request as the handlers see it."""

    def __init__(self, app, request, endpoint):
        self.app, self.store, self.request, self.endpoint = app, app.store, request, endpoint
        self.user, self.subject, self.scopes = None, None, None
        query = request.query_string.decode()
        self.post_vocab = any(k.startswith("post.") for k in request.args) or bool(
            re.search(r"\b(re)?post_count\b", query)
        )

    def json(self) -> dict:
        try:
            body = json.loads(self.request.get_data() or b"{}")
        except ValueError:
            raise invalid({"body": "..."}, "The request body is not valid JSON") from None
        if not isinstance(body, dict):
            raise invalid({"body": str(body)}, "The request body must be a JSON object")
        return body

    def fields(self, kind) -> set:
        args = self.request.args
        raw = args.get(f"{kind}.fields") or (args.get("post.fields") if kind == "tweet" else "")
        return set(filter(None, (raw or "").split(",")))

    def fields_parameter(self, kind):
        return (
            "post.fields"
            if kind == "tweet" and "post.fields" in self.request.args
            else f"{kind}.fields"
        )

    def expansions(self) -> set:
        return set(self.request.args.get("expansions", "").split(","))


class QuietHandler(WSGIRequestHandler):
    def log_request(self, *args, **kwargs):
        pass  # the sandbox keeps its own request log


class SandboxApp:
    def __init__(self, store: Store):
        self.store = store
        self.url_map = build_map()
        self.stopping = threading.Event()

    def __call__(self, environ, start_response):
        request = Request(environ)
        ctx, result = self.handle(request)
        if not request.path.startswith("/_sandbox/"):
            status = None if result is DROP else result.status_code
            self.store.log_request(
                request.method,
                request.path,
                request.query_string.decode(),
                status,
                ctx.subject if ctx else None,
            )
        if result is DROP:
            # The post exists but the client never hears so: cut the connection unanswered.
            if sock := environ.get("werkzeug.socket"):
                sock.shutdown(socket.SHUT_RDWR)
            start_response("500 Dropped", [])
            return [b""]
        return result(environ, start_response)

    def handle(self, request):
        world.step(self.store)
        try:
            (endpoint, kind, handler), args = self.url_map.bind_to_environ(request.environ).match()
        except (NotFound, MethodNotAllowed) as e:
            return None, self.json(
                None, e.code, generic(e.code, e.name).body, {}, "application/problem+json"
            )
        ctx = Ctx(self, request, endpoint)
        if kind == "x":
            return ctx, self.handle_x(ctx, handler, args)
        try:
            result = handler(ctx, **args)
        except ApiError as e:
            return ctx, self.json(ctx, e.status, e.body, {}, e.content_type)
        return ctx, result if isinstance(result, Response) else self.json(ctx, 200, result)

    def handle_x(self, ctx, handler, args):
        if fault := self.take_fault(ctx, "latency"):
            self.stopping.wait(float(fault.get("seconds", 1)))
        if fault := self.take_fault(ctx, "error"):
            status = int(fault.get("status", 503))
            return self.json(
                ctx,
                status,
                generic(status, "Service Unavailable").body,
                {},
                "application/problem+json",
            )
        headers = {}
        try:
            self.authenticate(ctx)
            app_limit, _ = X_ENDPOINTS[ctx.endpoint][1]
            if ctx.user is None and app_limit is None:
                raise app_only_forbidden()
            if ctx.scopes is not None and SCOPES.get(ctx.endpoint, "") not in ctx.scopes | {""}:
                raise generic(403, "Forbidden")
            if (
                "/media/" in ctx.endpoint
                and ctx.scopes is not None
                and "media.write" not in ctx.scopes
            ):
                raise generic(403, "Forbidden")
            if self.take_fault(ctx, "usage_cap"):
                raise ApiError(429, USAGE_CAPPED)
            headers, allowed = self.rate_limit(ctx)
            if not allowed:
                raise ApiError(429, TOO_MANY)
            result = handler(ctx, **args)
        except ApiError as e:
            return self.json(
                ctx, e.status, e.body, {} if e.status == 401 else headers, e.content_type
            )
        status, body = result if isinstance(result, tuple) else (200, result)
        if status == 200 and ctx.endpoint in BILLED_AS:
            self.store.bill(billable(ctx.endpoint, args.get("id", ""), body))
        if 200 <= status < 300 and (fault := self.take_fault(ctx, "timeout_after_create")):
            if fault.get("mode", "hang") == "hang":
                self.stopping.wait(float(fault.get("seconds", 10)))
            return DROP
        return self.json(ctx, status, body, headers)

    def json(self, ctx, status, body, headers=None, content_type="application/json"):
        if ctx is not None and ctx.post_vocab:
            body = to_post_vocabulary(body)
        return Response(
            json.dumps(body, ensure_ascii=False), status, headers or {}, content_type=content_type
        )

    def x_endpoints(self):
        return list(X_ENDPOINTS)

    # -- auth ------------------------------------------------------------------------------
    def authenticate(self, ctx):
        scheme, _, value = ctx.request.headers.get("Authorization", "").partition(" ")
        row = None
        if scheme.lower() == "bearer":
            row = self.store.token(value.strip(), "access") or self.store.token(
                value.strip(), "app"
            )
        elif scheme.lower() == "oauth":
            params = dict(re.findall(r'(\w+)="([^"]*)"', value))
            row = self.store.token(unquote(params.get("oauth_token", "")), "oauth1")
        if not row:
            raise ApiError(401, UNAUTHORIZED)
        if row["user_id"]:
            ctx.user = self.store.user(id=row["user_id"])
            ctx.subject = f"user:{row['user_id']}"
        else:
            ctx.subject = "app"
        ctx.scopes = set((row["scopes"] or "").split()) if row["kind"] == "access" else None

    # -- rate limits: fixed windows per (user or app, endpoint) on the sandbox clock ----------
    def limits(self, endpoint):
        app, user = X_ENDPOINTS[endpoint][1]
        app_day, user_day = DAILY_LIMITS.get(endpoint, (None, None))
        limits = {"app": app, "user": user, "app_24h": app_day, "user_24h": user_day}
        return limits | self.store.get("limits", {}).get(endpoint, {})

    def rate_limit(self, ctx):
        limits = self.limits(ctx.endpoint)
        who = "user" if ctx.user else "app"
        checks = [("x-rate-limit", f"{ctx.subject}|{ctx.endpoint}", limits[who], 900)]
        if limits["app_24h"]:
            checks.append(("x-app-limit-24hour", f"app|{ctx.endpoint}|day", limits["app_24h"], DAY))
        if limits["user_24h"] and ctx.user:
            checks.append(
                (
                    "x-user-limit-24hour",
                    f"{ctx.subject}|{ctx.endpoint}|day",
                    limits["user_24h"],
                    DAY,
                )
            )
        now = self.store.now()
        with self.store.tx() as db:
            windows = []
            for prefix, key, limit, period in checks:
                row = db.execute("SELECT * FROM windows WHERE key = ?", (key,)).fetchone()
                started, count = (row["started_at"], row["count"]) if row else (now, 0)
                if now >= started + period:
                    started, count = now, 0
                windows.append((prefix, key, limit, started, count, period))
            allowed = all(count < limit for _, _, limit, _, count, _ in windows)
            burst = self.take_fault(ctx, "rate_limit")  # a 429 that leaves the window as it is
            headers = {}
            for prefix, key, limit, started, count, period in windows:
                count += allowed and not burst
                db.execute("INSERT OR REPLACE INTO windows VALUES (?, ?, ?)", (key, started, count))
                headers |= {
                    f"{prefix}-limit": str(limit),
                    # A burst empties the 15-minute window only; the 24-hour counts stay true.
                    f"{prefix}-remaining": str(
                        0 if burst and prefix == "x-rate-limit" else max(0, limit - count)
                    ),
                    f"{prefix}-reset": str(int(started + period)),
                }
        return headers, allowed and not burst

    # -- faults ----------------------------------------------------------------------------
    def take_fault(self, ctx, kind):
        """The first matching fault of this kind; a counted one is used up by the match."""
        request = ctx.request
        with self.store.tx():
            faults = self.store.get("faults", [])
            for fault in faults:
                if fault["kind"] != kind or not fault_matches(
                    fault, request.method, request.path, ctx
                ):
                    continue
                if fault.get("count") is not None:
                    fault["count"] -= 1
                    if fault["count"] <= 0:
                        faults.remove(fault)
                    self.store.put("faults", faults)
                return fault
        return None


def billable(endpoint, owner, body):
    """(kind, resource) for every resource a read returns, `includes` counted."""
    data = body.get("data") or []
    kind = BILLED_AS[endpoint]
    owned = kind in ("follow", "like")
    found = [
        (kind, f"{owner}:{d['id']}" if owned else d["id"])
        for d in (data if isinstance(data, list) else [data])
    ]
    includes = body.get("includes") or {}
    found += [("post", t["id"]) for t in includes.get("tweets", [])]
    found += [("user", u["id"]) for u in includes.get("users", [])]
    return found


def fault_matches(fault, method, path, ctx):
    if fault.get("method") and fault["method"].upper() != method:
        return False
    if fault.get("path") and not path.startswith(fault["path"]):
        return False
    if fault.get("user_id") and (ctx.user is None or ctx.user["id"] != fault["user_id"]):
        return False
    return not (fault.get("app") and ctx.user is not None)


class Running:
    """A sandbox served on loopback from a thread (tests and embedded demos)."""

    def __init__(self, data_dir, port=0, world_name=None):
        self.app = SandboxApp(Store(data_dir))
        if world_name and not self.app.store.get("world"):
            world.configure(self.app.store, world_name)
        self.server = make_server(
            "127.0.0.1", port, self.app, threaded=True, request_handler=QuietHandler
        )
        self.base_url = f"http://127.0.0.1:{self.server.port}"
        self.thread = threading.Thread(target=self.server.serve_forever, args=(0.05,), daemon=True)
        self.thread.start()

    def stop(self):
        self.app.stopping.set()
        self.server.shutdown()
        self.server.server_close()
        self.app.store.close()
