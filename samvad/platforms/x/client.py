"""Samvad's own thin client for the X API v2 endpoints it uses
(samvad/xsandbox/contract/x-api-contract.md).

    client = XClient(account)            # an OfficialAccount with a Connection
    post = client.create_post("नमस्ते दौसा")
    for user in items(client.followers, client.me().id):
        ...

Every call goes through one path (`_call`): refuse locally what X would refuse (account needing a
person, usage cap, district budget, a rate window X said is empty), send through the one seam
(`send()`, below), remember X's rate-limit headers, write a ledger row, and turn the answer into
a typed result or one of the errors of errors.py. The pages of one fetch share that bookkeeping:

    with client.batch():                 # read once, written once (ledger.Books)
        for page in pages(client.mentions, user_id):
            ...

OAuth 2.0's token endpoint (connecting, refreshing, revoking) is called from here too, at the end
of this module, so that every request to X leaves through the same door.
"""

import base64
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any, BinaryIO, Generic, TypeVar
from urllib.parse import quote

import httpx
from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from samvad.org.models import OfficialAccount
from samvad.platforms.x import ledger, notify, oauth
from samvad.platforms.x.errors import (
    BudgetExceeded,
    CreditsExhausted,
    NeedsReconnect,
    PermanentError,
    RateLimited,
    Uncertain,
    XError,
)
from samvad.platforms.x.models import AppWindow, Connection, RateWindow
from samvad.platforms.x.text import normalize

__all__ = [
    "BudgetExceeded",
    "CreditsExhausted",
    "Media",
    "NeedsReconnect",
    "Page",
    "PermanentError",
    "RateLimited",
    "Uncertain",
    "User",
    "XClient",
    "XError",
    "XPost",
    "items",
    "pages",
]

USER_FIELDS = "created_at,description,protected,public_metrics,verified"
POST_FIELDS = "author_id,conversation_id,created_at,lang,public_metrics,referenced_tweets"
PRIVATE_FIELDS = "non_public_metrics,organic_metrics"
# Which header family fills which stored window: the account's own, or the whole X app's.
HEADER_WINDOWS = {
    "x-rate-limit": RateWindow.Window.MINUTES_15,
    "x-user-limit-24hour": RateWindow.Window.USER_DAY,
}
APP_HEADER_WINDOWS = {"x-app-limit-24hour": RateWindow.Window.APP_DAY}
ONCE_A_DAY = {"post": "/2/tweets", "user": "/2/users"}  # lookups by ids that can read once a day
APP_ALERT_SHARE = 0.8  # the admins are told when this share of an app-wide window is used
NOT_SENT = (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout)
T = TypeVar("T")

# The one door to X: every request the platform makes goes through `send()`. Tests replace `HTTP`
# (for example with a client whose hooks check every answer against X's OpenAPI document);
# nothing else in the app opens a connection. `send()` looks `HTTP` up when it is called, so the
# replacement reaches every call.
TIMEOUT = httpx.Timeout(20.0, connect=5.0)
HTTP = httpx.Client(timeout=TIMEOUT)


def send(request: httpx.Request) -> httpx.Response:
    return HTTP.send(request)


def _time(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value.replace("Z", "+00:00")) if value else None


@dataclass(frozen=True)
class User:
    id: str
    username: str
    name: str = ""
    created_at: datetime | None = None
    public_metrics: dict = field(default_factory=dict)
    raw: dict = field(default_factory=dict, repr=False, compare=False)

    @classmethod
    def from_json(cls, d: dict) -> "User":
        metrics = {
            "tweet_count" if k == "post_count" else k: v
            for k, v in (d.get("public_metrics") or {}).items()
        }
        return cls(
            d["id"], d["username"], d.get("name", ""), _time(d.get("created_at")), metrics, d
        )

    @property
    def followers_count(self) -> int | None:
        return self.public_metrics.get("followers_count")


@dataclass(frozen=True)
class XPost:
    """A post as X gives it (content.Post is Samvad's own)."""

    id: str
    text: str
    author_id: str = ""
    created_at: datetime | None = None
    public_metrics: dict = field(default_factory=dict)
    non_public_metrics: dict = field(default_factory=dict)
    organic_metrics: dict = field(default_factory=dict)
    raw: dict = field(default_factory=dict, repr=False, compare=False)

    @classmethod
    def from_json(cls, d: dict) -> "XPost":
        return cls(
            d["id"],
            d.get("text", ""),
            d.get("author_id", ""),
            _time(d.get("created_at")),
            d.get("public_metrics") or {},
            d.get("non_public_metrics") or {},
            d.get("organic_metrics") or {},
            d,
        )


@dataclass(frozen=True)
class Page(Generic[T]):
    """One page of a list answer. `errors` carries X's partial-success entries (missing ids)."""

    items: list[T]
    result_count: int = 0
    next_token: str | None = None
    previous_token: str | None = None
    newest_id: str | None = None
    oldest_id: str | None = None
    errors: list[dict] = field(default_factory=list)
    users: list[User] = field(default_factory=list)  # includes.users, when expanded
    referenced: list["XPost"] = field(default_factory=list)  # includes.tweets, when expanded


@dataclass(frozen=True)
class Media:
    id: str
    media_key: str = ""
    size: int = 0
    state: str = "succeeded"  # pending, in_progress, failed or succeeded (processing_info)
    check_after_secs: int | None = None
    progress_percent: int | None = None

    @classmethod
    def from_json(cls, d: dict) -> "Media":
        info = d.get("processing_info") or {}
        return cls(
            d["id"],
            d.get("media_key", ""),
            d.get("size") or 0,
            info.get("state", "succeeded"),
            info.get("check_after_secs"),
            info.get("progress_percent"),
        )


def _page(body: dict, make: Callable[[dict], T]) -> Page[T]:
    data = body.get("data") or []
    meta = body.get("meta") or {}
    return Page(
        [make(d) for d in (data if isinstance(data, list) else [data])],
        meta.get("result_count", len(data)),
        meta.get("next_token"),
        meta.get("previous_token"),
        meta.get("newest_id"),
        meta.get("oldest_id"),
        body.get("errors") or [],
        [User.from_json(u) for u in (body.get("includes") or {}).get("users", [])],
        [XPost.from_json(t) for t in (body.get("includes") or {}).get("tweets", [])],
    )


def pages(fetch: Callable[..., Page[T]], *args, **kwargs) -> Iterator[Page[T]]:
    """Every page of a list endpoint, following next_token: pages(client.followers, user_id)."""
    token = kwargs.pop("pagination_token", None)
    while True:
        page = fetch(*args, pagination_token=token, **kwargs)
        yield page
        if not (token := page.next_token):
            return


def items(fetch: Callable[..., Page[T]], *args, **kwargs) -> Iterator[T]:
    for page in pages(fetch, *args, **kwargs):
        yield from page.items


def _x_message(body: dict | None, status: int) -> str:
    """X's own words: the first error's message, else the problem's detail or title."""
    body = body or {}
    for error in body.get("errors") or []:
        if error.get("message") or error.get("detail"):
            return error.get("message") or error["detail"]
    return body.get("detail") or body.get("title") or f"HTTP {status}"


def x_app() -> str:
    """The X app this installation calls X as: its OAuth 2.0 client id (the OAuth 1.0a consumer
    key belongs to the same app)."""
    return settings.SAMVAD_X_CLIENT_ID or settings.SAMVAD_X_CONSUMER_KEY or "x-app"


def _windows(headers: httpx.Headers, families: dict) -> Iterator[tuple[str, dict]]:
    """(window, its counts) for each header family X sent in full."""
    for prefix, window in families.items():
        try:
            yield (
                window,
                {
                    "limit": int(headers[f"{prefix}-limit"]),
                    "remaining": int(headers[f"{prefix}-remaining"]),
                    "reset_at": datetime.fromtimestamp(int(headers[f"{prefix}-reset"]), UTC),
                },
            )
        except (KeyError, ValueError):
            continue


def _usage_capped(body: dict | None) -> bool:
    body = body or {}
    return body.get("title") == "UsageCapExceeded" or "usage-capped" in body.get("type", "")


def usable_accounts():
    """The accounts the worker can read for: a usable connection and a known X user id. The one
    definition of "a usable connection" for the jobs (the client checks again on each call)."""
    return OfficialAccount.objects.filter(x_connection__in=Connection.objects.usable()).exclude(
        x_user_id=""
    )


def client_for(account) -> "XClient | None":
    """A client for the account if it has a usable connection, else None."""
    if account is None or not usable_accounts().filter(pk=account.pk).exists():
        return None
    return XClient(account)


class XClient:
    """Calls X as one official account."""

    def __init__(self, account):
        self.account = account
        self._books: ledger.Books | None = None  # open while a batch of calls runs

    @contextmanager
    def batch(self) -> Iterator[None]:
        """The calls made inside share one bookkeeping (ledger.Books): the connection, the budgets
        and the empty rate windows are read when the batch opens, the ledger rows and the windows
        written when it closes. Each call still stops at the budget and at an empty window."""
        if self._books is not None:
            yield
            return
        self._books = ledger.Books(self.account)
        try:
            yield
        finally:
            books, self._books = self._books, None
            books.close()

    # -- posts -------------------------------------------------------------------------------
    def create_post(
        self,
        text: str,
        *,
        reply_to: str | None = None,
        media_ids: list[str] | None = None,
        quote_post_id: str | None = None,
        replying_to_mention: bool = False,
    ) -> XPost:
        text = normalize(text)
        body: dict[str, Any] = {"text": text}
        if reply_to:
            body["reply"] = {"in_reply_to_tweet_id": str(reply_to)}
        if media_ids:
            body["media"] = {"media_ids": [str(m) for m in media_ids]}
        if quote_post_id:
            body["quote_tweet_id"] = str(quote_post_id)
        cost = ledger.post_price(text, replying_to_mention=replying_to_mention)
        answer = self._call("POST", "POST /2/tweets", "/2/tweets", json=body, cost=cost)
        return XPost.from_json(answer["data"])

    def delete_post(self, post_id: str) -> bool:
        answer = self._call("DELETE", "DELETE /2/tweets/:id", f"/2/tweets/{post_id}")
        return bool(answer["data"]["deleted"])

    def posts(
        self, ids: list[str], *, private_metrics: bool = False, once_a_day: bool = False
    ) -> Page[XPost]:
        """Up to 100 posts; missing ones come back in `errors`. Private metrics need the
        account's own posts of the last 30 days. `once_a_day`: see `_once_a_day`."""
        fields = POST_FIELDS + ("," + PRIVATE_FIELDS if private_metrics else "")
        if once_a_day:
            return _page(self._once_a_day("post", ids, {"tweet.fields": fields}), XPost.from_json)
        answer = self._call(
            "GET",
            "GET /2/tweets",
            "/2/tweets",
            bill="posts",
            params={"ids": ",".join(ids), "tweet.fields": fields},
        )
        return _page(answer, XPost.from_json)

    def post(self, post_id: str) -> XPost | None:
        """One post, or None when X says it does not exist (X has answered both 404 and 200 with
        only `errors`)."""
        try:
            answer = self._call(
                "GET",
                "GET /2/tweets/:id",
                f"/2/tweets/{post_id}",
                bill="posts",
                params={"tweet.fields": POST_FIELDS},
            )
        except PermanentError as exc:
            if exc.status == 404:
                return None
            raise
        return XPost.from_json(answer["data"]) if answer.get("data") else None

    # -- users -------------------------------------------------------------------------------
    def me(self) -> User:
        answer = self._call(
            "GET",
            "GET /2/users/me",
            "/2/users/me",
            bill="users",
            params={"user.fields": USER_FIELDS},
        )
        return User.from_json(answer["data"])

    def user(self, user_id: str) -> User | None:
        answer = self._call(
            "GET",
            "GET /2/users/:id",
            f"/2/users/{user_id}",
            bill="users",
            params={"user.fields": USER_FIELDS},
        )
        return User.from_json(answer["data"]) if answer.get("data") else None

    def users(self, ids: list[str], *, once_a_day: bool = False) -> Page[User]:
        """Up to 100 users by id. `once_a_day`: see `_once_a_day`."""
        if once_a_day:
            return _page(
                self._once_a_day("user", ids, {"user.fields": USER_FIELDS}), User.from_json
            )
        answer = self._call(
            "GET",
            "GET /2/users",
            "/2/users",
            bill="users",
            params={"ids": ",".join(ids), "user.fields": USER_FIELDS},
        )
        return _page(answer, User.from_json)

    def _once_a_day(self, kind: str, ids: list[str], params: dict) -> dict:
        """A lookup by ids (posts or users) that reads each from X at most once a UTC day, the day
        X bills by (ledger.billing_day): those this account already read today with the same
        fields are answered from what X said then, and only the others are asked of X. Only for a
        caller to whom the day's first answer is enough: X bills a second read the same day
        nothing, so this saves calls, not money."""
        path = ONCE_A_DAY[kind]
        asked = f"{self.account.x_user_id} {sorted(params.items())}"
        kept = ledger.kept_today(kind, ids, asked)
        answer: dict = {}
        if missing := [i for i in ids if i not in kept]:
            params = {"ids": ",".join(missing), **params}
            answer = self._call("GET", f"GET {path}", path, bill=f"{kind}s", params=params)
            ledger.keep_today(kind, asked, answer.get("data") or [])
        found = kept | {item["id"]: item for item in answer.get("data") or []}
        return {"data": [found[i] for i in ids if i in found], "errors": answer.get("errors", [])}

    def users_by_usernames(self, usernames: list[str]) -> Page[User]:
        """Up to 100 handles in one call (the fewest calls the contract allows)."""
        answer = self._call(
            "GET",
            "GET /2/users/by",
            "/2/users/by",
            bill="users",
            params={"usernames": ",".join(usernames), "user.fields": USER_FIELDS},
        )
        return _page(answer, User.from_json)

    def followers(
        self, user_id: str, *, max_results: int = 1000, pagination_token: str | None = None
    ) -> Page[User]:
        return self._follows("followers", user_id, max_results, pagination_token)

    def following(
        self, user_id: str, *, max_results: int = 1000, pagination_token: str | None = None
    ) -> Page[User]:
        return self._follows("following", user_id, max_results, pagination_token)

    def _follows(self, which, user_id, max_results, pagination_token) -> Page[User]:
        params = {"max_results": max_results, "pagination_token": pagination_token}
        answer = self._call(
            "GET",
            f"GET /2/users/:id/{which}",
            f"/2/users/{user_id}/{which}",
            bill="follows",
            owner_of=user_id,
            params=params,
        )
        return _page(answer, User.from_json)

    def reposted_by(
        self, post_id: str, *, max_results: int = 100, pagination_token: str | None = None
    ) -> Page[User]:
        answer = self._call(
            "GET",
            "GET /2/tweets/:id/retweeted_by",
            f"/2/tweets/{post_id}/retweeted_by",
            bill="users",
            params={"max_results": max_results, "pagination_token": pagination_token},
        )
        return _page(answer, User.from_json)

    def liking_users(
        self, post_id: str, *, max_results: int = 100, pagination_token: str | None = None
    ) -> Page[User]:
        answer = self._call(
            "GET",
            "GET /2/tweets/:id/liking_users",
            f"/2/tweets/{post_id}/liking_users",
            bill="likes",
            owner_of=post_id,
            params={"max_results": max_results, "pagination_token": pagination_token},
        )
        return _page(answer, User.from_json)

    # -- timelines and search ------------------------------------------------------------------
    def mentions(
        self,
        user_id: str,
        *,
        since_id: str | None = None,
        until_id: str | None = None,
        max_results: int = 100,
        pagination_token: str | None = None,
    ) -> Page[XPost]:
        params = {
            "since_id": since_id,
            "until_id": until_id,
            "max_results": max_results,
            "pagination_token": pagination_token,
            "tweet.fields": POST_FIELDS,
            # the posts a mention replies to or quotes: its conversation's context
            "expansions": "author_id,referenced_tweets.id,referenced_tweets.id.author_id",
            "user.fields": "public_metrics",
        }
        answer = self._call(
            "GET",
            "GET /2/users/:id/mentions",
            f"/2/users/{user_id}/mentions",
            bill="posts",
            params=params,
        )
        return _page(answer, XPost.from_json)

    def user_posts(
        self,
        user_id: str,
        *,
        since_id: str | None = None,
        until_id: str | None = None,
        max_results: int = 100,
        pagination_token: str | None = None,
    ) -> Page[XPost]:
        """The account's own timeline, newest first (how uncertain posts are reconciled)."""
        params = {
            "since_id": since_id,
            "until_id": until_id,
            "max_results": max_results,
            "pagination_token": pagination_token,
            "tweet.fields": POST_FIELDS,
        }
        answer = self._call(
            "GET",
            "GET /2/users/:id/tweets",
            f"/2/users/{user_id}/tweets",
            bill="posts",
            params=params,
        )
        return _page(answer, XPost.from_json)

    def search_recent(
        self,
        query: str,
        *,
        since_id: str | None = None,
        max_results: int = 100,
        pagination_token: str | None = None,
    ) -> Page[XPost]:
        params = {
            "query": query,
            "since_id": since_id,
            "max_results": max_results,
            "next_token": pagination_token,
            "tweet.fields": POST_FIELDS,
        }
        answer = self._call(
            "GET",
            "GET /2/tweets/search/recent",
            "/2/tweets/search/recent",
            bill="posts",
            params=params,
        )
        return _page(answer, XPost.from_json)

    # -- media -------------------------------------------------------------------------------
    def upload_media(
        self,
        data: bytes | BinaryIO,
        *,
        media_type: str = "image/jpeg",
        media_category: str = "tweet_image",
    ) -> Media:
        """Simple upload (images and GIFs). An open file is streamed, not read whole first."""
        answer = self._call(
            "POST",
            "POST /2/media/upload",
            "/2/media/upload",
            files={"media": ("media", data, media_type)},
            data={"media_category": media_category, "media_type": media_type},
        )
        return Media.from_json(answer["data"])

    def set_alt_text(self, media_id: str, text: str) -> None:
        """Alt text rides on the media, not the post: it is sent before the post is created."""
        self._call(
            "POST",
            "POST /2/media/metadata",
            "/2/media/metadata",
            json={"id": str(media_id), "metadata": {"alt_text": {"text": text}}},
        )

    def initialize_upload(
        self, *, total_bytes: int, media_type: str, media_category: str = "tweet_video"
    ) -> Media:
        answer = self._call(
            "POST",
            "POST /2/media/upload/initialize",
            "/2/media/upload/initialize",
            json={
                "total_bytes": total_bytes,
                "media_type": media_type,
                "media_category": media_category,
            },
        )
        return Media.from_json(answer["data"])

    def append_upload(self, media_id: str, segment_index: int, chunk: bytes) -> None:
        self._call(
            "POST",
            "POST /2/media/upload/:id/append",
            f"/2/media/upload/{media_id}/append",
            files={"media": ("chunk", chunk, "application/octet-stream")},
            data={"segment_index": str(segment_index)},
        )

    def finalize_upload(self, media_id: str) -> Media:
        answer = self._call(
            "POST", "POST /2/media/upload/:id/finalize", f"/2/media/upload/{media_id}/finalize"
        )
        return Media.from_json(answer["data"])

    def upload_status(self, media_id: str) -> Media:
        answer = self._call(
            "GET",
            "GET /2/media/upload",
            "/2/media/upload",
            params={"command": "STATUS", "media_id": media_id},
        )
        return Media.from_json(answer["data"])

    def upload_chunked(
        self,
        data: bytes,
        *,
        media_type: str,
        media_category: str = "tweet_video",
        chunk_size: int = 4 * 2**20,
    ) -> Media:
        """Initialize, append every chunk, finalize. Poll upload_status() until it succeeds."""
        media = self.initialize_upload(
            total_bytes=len(data), media_type=media_type, media_category=media_category
        )
        for index, start in enumerate(range(0, len(data), chunk_size)):
            self.append_upload(media.id, index, data[start : start + chunk_size])
        return self.finalize_upload(media.id)

    # -- the one path every call takes -----------------------------------------------------------
    def _call(self, method: str, endpoint: str, path: str, **kwargs) -> dict:
        with self.batch():
            return self._send(method, endpoint, path, **kwargs)

    def _send(
        self,
        method: str,
        endpoint: str,
        path: str,
        *,
        params: dict | None = None,
        json: dict | None = None,
        files: dict | None = None,
        data: dict | None = None,
        bill: str = "",
        owner_of: str = "",
        cost: Decimal | None = None,
    ) -> dict:
        books = self._books
        connection = books.usable_connection()
        books.spend.check(write=method != "GET")
        books.check_windows(endpoint)
        if method != "GET":
            self._check_app_windows(endpoint)
        params = {k: v for k, v in (params or {}).items() if v is not None}
        request = httpx.Request(
            method,
            settings.SAMVAD_X_API_BASE_URL + path,
            params=params,
            json=json,
            files=files,
            data=data,
        )
        self._authorize(request, connection)
        try:
            response = send(request)
        except httpx.TransportError as exc:
            books.record(endpoint, method, None)
            raise self._failure(exc, write=method != "GET") from None
        self._remember_windows(endpoint, response.headers)
        try:
            body = response.json()
        except ValueError:
            body = None
        if response.is_success:
            if cost is None:
                owned = connection.owns_app and owner_of == connection.x_user_id
                cost = ledger.read_cost(bill, body or {}, owner_of=owner_of, owned=owned)
            books.record(endpoint, method, response.status_code, ledger.resources_in(body), cost)
            return body or {}
        books.record(endpoint, method, response.status_code)
        raise self._refusal(endpoint, method, response.status_code, body, connection)

    def _authorize(self, request: httpx.Request, connection: Connection) -> None:
        if connection.kind == Connection.Kind.OAUTH1:
            oauth.sign_oauth1(
                request, token=connection.access_token, secret=connection.token_secret
            )
            return
        if connection.needs_refresh():
            connection = self._books.connection = self._refresh(connection)
        request.headers["Authorization"] = f"Bearer {connection.access_token}"

    def _refresh(self, connection: Connection) -> Connection:
        """Refresh under a row lock so that two workers never both spend the same refresh
        token: the second finds fresh tokens and uses them."""
        refused = None
        with transaction.atomic():
            connection = Connection.objects.select_for_update().get(pk=connection.pk)
            if connection.needs_refresh():
                try:
                    tokens = refresh(
                        connection.refresh_token, oauth.app_for(connection.account.district_id)
                    )
                except NeedsReconnect as exc:
                    refused = exc
                else:
                    connection.store_tokens(
                        access=tokens.access_token,
                        refresh=tokens.refresh_token,
                        expires_in=tokens.expires_in,
                        scopes=tokens.scope,
                    )
        if refused is not None:
            self._needs_reconnect(connection, refused.message)
            raise refused
        return connection

    def _needs_reconnect(self, connection: Connection, problem: str) -> None:
        if connection.mark_needs_reconnect(problem):
            notify.connection_failed(connection)

    def _check_app_windows(self, endpoint: str) -> None:
        """Writes also wait for the whole app's windows: X's 24-hour post cap counts the posts of
        every district on the app."""
        empty = AppWindow.objects.filter(
            app=x_app(), endpoint=endpoint, remaining=0, reset_at__gt=timezone.now()
        ).order_by("-reset_at")
        if window := empty.first():
            until = timezone.localtime(window.reset_at)
            raise RateLimited(
                window.reset_at,
                _(
                    "X's limit of %(limit)s posts in 24 hours for the whole X app, shared by every "
                    "district on it, is reached; the post waits until %(time)s."
                )
                % {"limit": window.limit, "time": f"{until:%d-%m-%Y %H:%M}"},
            )

    def _remember_windows(self, endpoint: str, headers: httpx.Headers) -> None:
        self._books.remember_windows(endpoint, dict(_windows(headers, HEADER_WINDOWS)))
        for window, counts in _windows(headers, APP_HEADER_WINDOWS):
            self._remember_app_window(endpoint, window, **counts)

    def _remember_app_window(self, endpoint, window, *, limit, remaining, reset_at) -> None:
        AppWindow.objects.bulk_create(
            [
                AppWindow(
                    app=x_app(),
                    endpoint=endpoint,
                    window=window,
                    limit=limit,
                    remaining=remaining,
                    reset_at=reset_at,
                )
            ],
            update_conflicts=True,
            unique_fields=["app", "endpoint", "window"],
            update_fields=["limit", "remaining", "reset_at", "updated"],
        )
        if limit - remaining >= APP_ALERT_SHARE * limit:
            # One worker wins the update, so the admins are told once a window.
            told = (
                AppWindow.objects.filter(app=x_app(), endpoint=endpoint, window=window)
                .exclude(alerted_for=reset_at)
                .update(alerted_for=reset_at)
            )
            if told:
                notify.app_near_cap(
                    AppWindow.objects.get(app=x_app(), endpoint=endpoint, window=window)
                )

    def _failure(self, exc: httpx.TransportError, *, write: bool) -> XError:
        reason = f"{type(exc).__name__}: {exc}"
        if write and not isinstance(exc, NOT_SENT):
            return Uncertain(f"No answer from X after sending ({reason})")
        return XError(f"X could not be reached ({reason})", permanent=False)

    def _refusal(self, endpoint, method, status, body, connection) -> XError:
        message = _x_message(body, status)
        if status == 401:
            self._needs_reconnect(connection, message)
            return NeedsReconnect()
        if status == 429 and _usage_capped(body):
            if connection.mark_usage_capped(message):
                notify.usage_capped(connection)
            return CreditsExhausted()
        if status == 429:
            return RateLimited(self._books.empty_window(endpoint))
        if status >= 500:
            if method != "GET":
                return Uncertain(f"X answered {status} to a write: {message}")
            return XError(f"X answered {status}: {message}", permanent=False)
        return PermanentError(message, status)


# -- OAuth 2.0's token endpoint: connecting an account, refreshing its tokens, revoking them -------


def _token_endpoint(path: str, form: dict, app: oauth.App | None) -> httpx.Response:
    app = app or oauth.environment_app()
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
        return send(request)
    except httpx.TransportError as exc:
        raise XError(f"X could not be reached: {type(exc).__name__}") from None


def _tokens(response: httpx.Response) -> oauth.Tokens:
    body = response.json()
    return oauth.Tokens(
        body["access_token"],
        body.get("refresh_token", ""),
        body.get("expires_in"),
        body.get("scope", ""),
    )


def _token_refusal(response: httpx.Response) -> str:
    try:
        body = response.json()
    except ValueError:
        return f"HTTP {response.status_code}"
    return body.get("error_description") or body.get("error") or f"HTTP {response.status_code}"


def exchange_code(
    *, code: str, verifier: str, redirect_uri: str, app: oauth.App | None = None
) -> oauth.Tokens:
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
        raise PermanentError(_token_refusal(response), response.status_code)
    return _tokens(response)


def refresh(refresh_token: str, app: oauth.App | None = None) -> oauth.Tokens:
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
        raise NeedsReconnect(_token_refusal(response))
    return _tokens(response)


def revoke(token: str, hint: str, app: oauth.App | None = None) -> None:
    if token:
        _token_endpoint("/2/oauth2/revoke", {"token": token, "token_type_hint": hint}, app)
