"""The X API v2 endpoints the sandbox serves: posts, users, follows, timelines, search and media."""

import base64
import binascii
import hashlib
import json
import re
from datetime import UTC, datetime

from samvad.platforms.x.text import weighted_length

from .problems import (
    DUPLICATE,
    REPLY_NOT_ALLOWED,
    ApiError,
    field_unauthorized,
    generic,
    invalid,
    not_found,
)

USERNAME = re.compile(r"^[A-Za-z0-9_]{1,15}$")
NUMERIC_ID = re.compile(r"^[0-9]{1,19}$")
PRIVATE_METRICS = ("non_public_metrics", "organic_metrics")
MEDIA_LIMITS = {"image": 5 * 2**20, "gif": 15 * 2**20, "video": 512 * 2**20}
PROCESSED = ("tweet_video", "tweet_gif", "amplify_video", "dm_video", "dm_gif")
DAY = 24 * 3600


def iso(ts: float) -> str:
    moment = datetime.fromtimestamp(ts, UTC)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"


# -- parameters ------------------------------------------------------------------------------
def encode_token(kind: str, value: int) -> str:
    return base64.b32encode(f"{kind}{value:019d}".encode()).decode().rstrip("=")


def decode_token(token: str, parameter: str) -> tuple[str, int]:
    try:
        raw = base64.b32decode(token + "=" * (-len(token) % 8)).decode()
        return raw[0], int(raw[1:])
    except (binascii.Error, ValueError, UnicodeDecodeError, IndexError):
        raise invalid(
            {parameter: token}, f"The `{parameter}` query parameter value [{token}] is not valid"
        ) from None


def int_param(ctx, name, lo, hi, default):
    raw = ctx.request.args.get(name)
    if raw is None:
        return default
    if not raw.isdigit() or not lo <= int(raw) <= hi:
        raise invalid(
            {name: raw}, f"The `{name}` query parameter value [{raw}] is not between {lo} and {hi}"
        )
    return int(raw)


def id_param(value, name="id"):
    if not NUMERIC_ID.match(value or ""):
        raise invalid(
            {name: value},
            f"The `{name}` query parameter value [{value}] does not match ^[0-9]{{1,19}}$",
        )
    return value


def list_param(ctx, name, pattern, maximum):
    raw = ctx.request.args.get(name, "")
    values = [v for v in raw.split(",") if v]
    if not values:
        raise invalid({name: raw}, f"The `{name}` query parameter can not be empty")
    if len(values) > maximum:
        raise invalid(
            {name: raw},
            f"The number of values in the `{name}` query parameter list"
            f" [{len(values)}] is not between 1 and {maximum}",
        )
    for v in values:
        if not pattern.match(v):
            raise invalid(
                {name: v},
                f"The `{name}` query parameter value [{v}] does not match {pattern.pattern}",
            )
    return values


def listing(data, meta, errors=()):
    """X leaves `data` out of an empty page and `errors` out of a clean one."""
    body = {}
    if data:
        body["data"] = data
    if errors:
        body["errors"] = list(errors)
    if meta is not None:
        body["meta"] = meta
    return body


# -- rendering -------------------------------------------------------------------------------
def render_user(ctx, row):
    fields = ctx.fields("user")
    out = {"id": row["id"], "name": row["name"], "username": row["username"]}
    if "created_at" in fields:
        out["created_at"] = iso(row["created_at"])
    if "description" in fields:
        out["description"] = row["description"]
    if "protected" in fields:
        out["protected"] = bool(row["protected"])
    if "verified" in fields:
        out["verified"] = bool(row["verified"])
    if "public_metrics" in fields:
        out["public_metrics"] = dict(
            ctx.store.one(
                "SELECT (SELECT count(*) FROM follows"
                "  WHERE followee_id = :u AND created_at <= :now) AS followers_count,"
                " (SELECT count(*) FROM follows WHERE follower_id = :u AND created_at <= :now)"
                "  AS following_count,"
                " (SELECT count(*) FROM tweets WHERE author_id = :u AND deleted = 0)"
                "  + (SELECT count(*) FROM retweets WHERE user_id = :u) AS tweet_count,"
                " :listed AS listed_count,"
                " (SELECT count(*) FROM likes WHERE user_id = :u) AS like_count,"
                " (SELECT count(*) FROM tweets WHERE author_id = :u AND deleted = 0"
                "  AND media_ids != '[]') AS media_count",
                {"u": row["id"], "listed": row["listed_count"], "now": ctx.store.now()},
            )
        )
    return out


def tweet_metrics(ctx, row):
    return dict(
        ctx.store.one(
            "SELECT (SELECT count(*) FROM retweets WHERE tweet_id = :t) AS retweet_count,"
            " (SELECT count(*) FROM tweets WHERE reply_to = :t AND deleted = 0) AS reply_count,"
            " (SELECT count(*) FROM likes WHERE tweet_id = :t) AS like_count,"
            " (SELECT count(*) FROM tweets WHERE quote_of = :t AND deleted = 0) AS quote_count,"
            " :impressions AS impression_count, 0 AS bookmark_count",
            {"t": row["id"], "impressions": row["impressions"]},
        )
    )


def render_tweet(ctx, row, errors):
    fields, tid = ctx.fields("tweet"), str(row["id"])
    out = {"id": tid, "text": row["text"], "edit_history_tweet_ids": [tid]}
    if "author_id" in fields:
        out["author_id"] = row["author_id"]
    if "created_at" in fields:
        out["created_at"] = iso(row["created_at"])
    if "conversation_id" in fields:
        out["conversation_id"] = str(row["conversation_id"])
    if "lang" in fields:
        out["lang"] = "hi" if re.search("[\u0900-\u097f]", row["text"]) else "en"
    if (
        "in_reply_to_user_id" in fields
        and row["reply_to"]
        and (parent := ctx.store.one("SELECT author_id FROM tweets WHERE id = ?", row["reply_to"]))
    ):
        out["in_reply_to_user_id"] = parent["author_id"]
    if "referenced_tweets" in fields:
        refs = [{"type": "replied_to", "id": str(row["reply_to"])}] if row["reply_to"] else []
        refs += [{"type": "quoted", "id": str(row["quote_of"])}] if row["quote_of"] else []
        if refs:
            out["referenced_tweets"] = refs
    if "attachments" in fields and (media := json.loads(row["media_ids"])):
        out["attachments"] = {"media_keys": [f"3_{m}" for m in media]}
    if "public_metrics" in fields:
        out["public_metrics"] = tweet_metrics(ctx, row)
    wanted = [f for f in PRIVATE_METRICS if f in fields]
    own = ctx.user is not None and ctx.user["id"] == row["author_id"]
    recent = ctx.store.now() - row["created_at"] <= 30 * DAY
    for field in wanted:
        if own and recent:
            m = tweet_metrics(ctx, row)
            out[field] = {"impression_count": m["impression_count"]}
            if field == "organic_metrics":
                out[field] |= {k: m[k] for k in ("retweet_count", "reply_count", "like_count")}
        else:
            errors.append(field_unauthorized(field, tid, ctx.fields_parameter("tweet")))
    return out


def expand_references(ctx, rows):
    """`includes` for the expansions asked: the authors, the posts replied to or quoted (a
    mention's conversation context) and their authors."""
    wanted = ctx.expansions()
    referenced = []
    if "referenced_tweets.id" in wanted:
        ids = dict.fromkeys(r[k] for r in rows for k in ("reply_to", "quote_of") if r[k])
        referenced = [t for t in map(ctx.store.tweet, ids) if t]
    authors = {r["author_id"] for r in rows} if "author_id" in wanted else set()
    if "referenced_tweets.id.author_id" in wanted:
        authors |= {t["author_id"] for t in referenced}
    includes = {}
    if users := [u for u in (ctx.store.user(id=a) for a in sorted(authors)) if u]:
        includes["users"] = [render_user(ctx, u) for u in users]
    if referenced:
        includes["tweets"] = [render_tweet(ctx, t, []) for t in referenced]
    return includes


def tweets_body(ctx, rows, meta=None, errors=()):
    errors = list(errors)
    data = [render_tweet(ctx, row, errors) for row in rows]
    body = listing(data, meta, errors)
    if data and (includes := expand_references(ctx, rows)):
        body["includes"] = includes
    if "attachments.media_keys" in ctx.expansions() and data:
        media = [render_media(ctx, m) for row in rows for m in json.loads(row["media_ids"])]
        if media:
            body.setdefault("includes", {})["media"] = media
    return body


def render_media(ctx, media_id):
    out = {"media_key": f"3_{media_id}", "type": "photo"}
    if "alt_text" in ctx.fields("media") and (
        meta := ctx.store.one("SELECT alt_text FROM media_metadata WHERE media_id = ?", media_id)
    ):
        out["alt_text"] = meta["alt_text"]
    return out


# -- posts -----------------------------------------------------------------------------------
def create_tweet(ctx):
    body = ctx.json()
    text = body.get("text") or ""
    reply_to = (body.get("reply") or {}).get("in_reply_to_tweet_id") or (
        body.get("reply") or {}
    ).get("in_reply_to_post_id")
    quote_of = body.get("quote_tweet_id") or body.get("quote_post_id")
    media_ids = (body.get("media") or {}).get("media_ids")
    if not isinstance(text, str) or (not text and not media_ids):
        raise invalid({"text": str(text)}, "text: Post text or media is required")
    if weighted_length(text) > 280:
        raise invalid({"text": text}, "text: Post text is longer than 280 weighted characters")
    check_media(ctx, media_ids)
    if reply_to is not None:
        check_reply(ctx, str(reply_to))
    if quote_of is not None and not ctx.store.tweet(quote_of):
        raise invalid(
            {"quote_tweet_id": quote_of}, "quote_tweet_id: the quoted post does not exist"
        )
    if text and is_duplicate(ctx, text):
        raise generic(403, "Forbidden", DUPLICATE)
    row = ctx.store.create_tweet(
        ctx.user["id"], text, reply_to=reply_to, quote_of=quote_of, media_ids=media_ids or ()
    )
    tid = str(row["id"])
    return 201, {"data": {"id": tid, "text": text, "edit_history_tweet_ids": [tid]}}


def check_media(ctx, media_ids):
    if media_ids is None:
        return
    if not isinstance(media_ids, list) or not 1 <= len(media_ids) <= 4:
        raise invalid(
            {"media.media_ids": str(media_ids)},
            "media.media_ids: between 1 and 4 media ids are allowed",
        )
    for mid in media_ids:
        media = ctx.store.one(
            "SELECT * FROM media WHERE id = ? AND user_id = ?", str(mid), ctx.user["id"]
        )
        if not media or media_state(ctx, media)[0] != "succeeded":
            raise invalid(
                {"media.media_ids": str(mid)},
                f"media.media_ids: Your media IDs are invalid: [{mid}]",
            )


def check_reply(ctx, reply_to):
    parent = ctx.store.tweet(reply_to)
    if not parent:
        raise invalid(
            {"reply.in_reply_to_tweet_id": reply_to},
            "reply.in_reply_to_tweet_id: the post you are replying to does not exist",
        )
    me = ctx.user["id"]
    engaged = (
        parent["author_id"] == me
        or ctx.store.one(
            "SELECT 1 FROM mentions WHERE tweet_id = ? AND user_id = ?", parent["id"], me
        )
        or (
            parent["quote_of"]
            and ctx.store.one(
                "SELECT 1 FROM tweets WHERE id = ? AND author_id = ?", parent["quote_of"], me
            )
        )
    )
    if not engaged:
        raise generic(403, "Forbidden", REPLY_NOT_ALLOWED)


def is_duplicate(ctx, text):
    window = ctx.store.get("duplicate_window_seconds", DAY)
    row = ctx.store.one(
        "SELECT 1 FROM tweets WHERE author_id = ? AND text = ? AND deleted = 0 AND created_at > ?",
        ctx.user["id"],
        text,
        ctx.store.now() - window,
    )
    return row is not None


def delete_tweet(ctx, id):
    row = ctx.store.tweet(id_param(id))
    if not row:
        return {"data": {"deleted": False}}
    if row["author_id"] != ctx.user["id"]:
        raise generic(403, "Forbidden", "You are not authorized to delete this Tweet.")
    ctx.store.run("UPDATE tweets SET deleted = 1 WHERE id = ?", row["id"])
    return {"data": {"deleted": True}}


def get_tweets(ctx):
    ids = list_param(ctx, "ids", NUMERIC_ID, 100)
    rows, errors = [], []
    for tid in ids:
        if row := ctx.store.tweet(tid):
            rows.append(row)
        else:
            errors.append(not_found("tweet", "ids", tid))
    return tweets_body(ctx, rows, errors=errors)


def get_tweet(ctx, id):
    row = ctx.store.tweet(id_param(id))
    if row:
        body = tweets_body(ctx, [row])
        return body | {"data": body["data"][0]}
    problem = not_found("tweet", "id", id)
    if ctx.store.get("missing_tweet_status", 200) == 404:
        raise ApiError(404, {**problem, "status": 404})
    return {"errors": [problem]}


# -- users -----------------------------------------------------------------------------------
def users_by(ctx):
    names = list_param(ctx, "usernames", USERNAME, 100)
    found, errors = [], []
    for name in names:
        if row := ctx.store.user(username=name):
            found.append(render_user(ctx, row))
        else:
            errors.append(not_found("user", "usernames", name))
    return listing(found, None, errors)


def user_by_username(ctx, username):
    if not USERNAME.match(username):
        raise invalid(
            {"username": username},
            f"The `username` query parameter value [{username}] does not match {USERNAME.pattern}",
        )
    if row := ctx.store.user(username=username):
        return {"data": render_user(ctx, row)}
    return {"errors": [not_found("user", "username", username)]}


def users_by_ids(ctx):
    ids = list_param(ctx, "ids", NUMERIC_ID, 100)
    rows = [(i, ctx.store.user(id=i)) for i in ids]
    return listing(
        [render_user(ctx, r) for _, r in rows if r],
        None,
        [not_found("user", "ids", i) for i, r in rows if not r],
    )


def user_by_id(ctx, id):
    if row := ctx.store.user(id=id_param(id)):
        return {"data": render_user(ctx, row)}
    return {"errors": [not_found("user", "id", id)]}


def me(ctx):
    return {"data": render_user(ctx, ctx.user)}


def _user_page(ctx, sql, key, default, maximum):
    """An offset-paged list of users, newest edge first. `key`: the query's parameter, or a tuple
    of them."""
    limit = int_param(ctx, "max_results", 1, maximum, default)
    offset = 0
    if token := ctx.request.args.get("pagination_token"):
        offset = decode_token(token, "pagination_token")[1]
    keys = key if isinstance(key, tuple) else (key,)
    rows = ctx.store.all(sql + " LIMIT ? OFFSET ?", *keys, limit + 1, offset)
    meta = {"result_count": min(len(rows), limit)}
    if len(rows) > limit:
        meta["next_token"] = encode_token("o", offset + limit)
    if offset:
        meta["previous_token"] = encode_token("o", max(0, offset - limit))
    return listing([render_user(ctx, r) for r in rows[:limit]], meta)


def followers(ctx, id):
    if not ctx.store.user(id=id_param(id)):
        return {"errors": [not_found("user", "id", id)]}
    return _user_page(
        ctx,
        "SELECT u.* FROM follows f JOIN users u ON u.id = f.follower_id"
        # A world rewound to replay past days has follows dated after its clock: not yet made.
        " WHERE f.followee_id = ? AND f.created_at <= ? ORDER BY f.created_at DESC, f.seq DESC",
        (id, ctx.store.now()),
        100,
        1000,
    )


def following(ctx, id):
    if not ctx.store.user(id=id_param(id)):
        return {"errors": [not_found("user", "id", id)]}
    return _user_page(
        ctx,
        "SELECT u.* FROM follows f JOIN users u ON u.id = f.followee_id"
        # A world rewound to replay past days has follows dated after its clock: not yet made.
        " WHERE f.follower_id = ? AND f.created_at <= ? ORDER BY f.created_at DESC, f.seq DESC",
        (id, ctx.store.now()),
        100,
        1000,
    )


def retweeted_by(ctx, id):
    if not ctx.store.tweet(id_param(id)):
        return {"errors": [not_found("tweet", "id", id)]}
    return _user_page(
        ctx,
        "SELECT u.* FROM retweets r JOIN users u ON u.id = r.user_id"
        " WHERE r.tweet_id = ? ORDER BY r.seq DESC",
        int(id),
        100,
        100,
    )


def liking_users(ctx, id):
    if not ctx.store.tweet(id_param(id)):
        return {"errors": [not_found("tweet", "id", id)]}
    return _user_page(
        ctx,
        "SELECT u.* FROM likes k JOIN users u ON u.id = k.user_id"
        " WHERE k.tweet_id = ? ORDER BY k.seq DESC",
        int(id),
        100,
        100,
    )


# -- timelines and search ----------------------------------------------------------------------
def _timeline(ctx, rows, *, default, lo, hi, token_param="pagination_token"):  # noqa: S107
    """Id-cursored pages over rows (newest first): since/until ids, times and tokens."""
    args = ctx.request.args
    limit = int_param(ctx, "max_results", lo, hi, default)
    since = int(id_param(args["since_id"], "since_id")) if "since_id" in args else 0
    until = int(id_param(args["until_id"], "until_id")) if "until_id" in args else None
    rows = [r for r in rows if r["id"] > since and (until is None or r["id"] < until)]
    for name, keep in (("start_time", lambda t, b: t >= b), ("end_time", lambda t, b: t < b)):
        if value := args.get(name):
            try:
                bound = datetime.fromisoformat(value.replace("Z", "+00:00")).timestamp()
            except ValueError:
                raise invalid({name: value}, f"Invalid {name}") from None
            rows = [r for r in rows if keep(r["created_at"], bound)]
    token = args.get(token_param) or args.get("next_token")
    if token:
        kind, cursor = decode_token(token, token_param)
        if kind == "p":  # newer than the cursor: the page just above it
            rows = [r for r in rows if r["id"] > cursor][-limit:]
        else:
            rows = [r for r in rows if r["id"] < cursor]
    page = rows[:limit]
    meta = {"result_count": len(page)}
    if page:
        meta |= {"newest_id": str(page[0]["id"]), "oldest_id": str(page[-1]["id"])}
        if len(rows) > limit:
            meta["next_token"] = encode_token("n", page[-1]["id"])
        if token:
            meta["previous_token"] = encode_token("p", page[0]["id"])
    return tweets_body(ctx, page, meta)


def mentions(ctx, id):
    if not ctx.store.user(id=id_param(id)):
        return {"errors": [not_found("user", "id", id)]}
    rows = ctx.store.all(
        "SELECT t.* FROM mentions m JOIN tweets t ON t.id = m.tweet_id"
        " WHERE m.user_id = ? AND t.deleted = 0 ORDER BY t.id DESC LIMIT 800",
        id,
    )
    return _timeline(ctx, rows, default=10, lo=5, hi=100)


def user_tweets(ctx, id):
    if not ctx.store.user(id=id_param(id)):
        return {"errors": [not_found("user", "id", id)]}
    rows = ctx.store.all(
        "SELECT * FROM tweets WHERE author_id = ? AND deleted = 0 ORDER BY id DESC LIMIT 3200", id
    )
    if "replies" in ctx.request.args.get("exclude", ""):
        rows = [r for r in rows if not r["reply_to"]]
    return _timeline(ctx, rows, default=10, lo=5, hi=100)


def search_recent(ctx):
    query = ctx.request.args.get("query", "")
    if not 1 <= len(query) <= 512:
        raise invalid({"query": query}, "The `query` query parameter must be 1 to 512 long")
    sql, params = ["deleted = 0", "created_at > ?"], [ctx.store.now() - 7 * DAY]
    for term in query.split():
        negate, term = term.startswith("-"), term.lstrip("-")
        if term.startswith("from:"):
            clause = "author_id IN (SELECT id FROM users WHERE username = ?)"
            params.append(term[5:])
        elif term.startswith("@"):
            clause = (
                "id IN (SELECT tweet_id FROM mentions WHERE user_id IN"
                " (SELECT id FROM users WHERE username = ?))"
            )
            params.append(term[1:])
        elif term == "is:reply":
            clause = "reply_to IS NOT NULL"
        elif term.startswith("is:") or term.startswith("has:") or term.startswith("lang:"):
            continue  # accepted and ignored: the sandbox has no retweet posts or languages
        else:
            clause = "instr(lower(text), lower(?)) > 0"
            params.append(term.strip('"'))
        sql.append(f"NOT ({clause})" if negate else clause)
    where = " AND ".join(sql)  # fixed clauses; every value is a bound parameter
    rows = ctx.store.all(f"SELECT * FROM tweets WHERE {where} ORDER BY id DESC", *params)  # noqa: S608
    return _timeline(ctx, rows, default=10, lo=10, hi=100, token_param="next_token")


# -- media -----------------------------------------------------------------------------------
def media_kind(category, media_type):
    text = f"{category or ''} {media_type or ''}"
    return "video" if "video" in text else "gif" if "gif" in text else "image"


def media_state(ctx, media):
    """Processing advances on the sandbox clock: pending, in_progress, then succeeded."""
    if media["state"] != "processing":
        return media["state"], None
    elapsed = ctx.store.now() - media["finalized_at"]
    if elapsed >= 4:
        return "succeeded", None
    if elapsed >= 1:
        return "in_progress", int(elapsed * 25)
    return "pending", 0


def media_body(ctx, media):
    data = {
        "id": media["id"],
        "media_key": f"3_{media['id']}",
        "size": media["size"],
        "expires_after_secs": DAY,
    }
    state, percent = media_state(ctx, media)
    if media["state"] == "processing":
        data["processing_info"] = {"state": state}
        if state != "succeeded":
            data["processing_info"] |= {"check_after_secs": 1, "progress_percent": percent}
    return {"data": data}


def _media_bytes(ctx):
    """The uploaded bytes and fields, from multipart or from JSON with base64 `media`."""
    if ctx.request.mimetype == "multipart/form-data":
        fields = ctx.request.form.to_dict()
        if upload := ctx.request.files.get("media"):
            return upload.read(), fields
        raw = fields.get("media", "")
    else:
        fields = ctx.json()
        raw = fields.get("media") or ""
    try:
        return base64.b64decode(raw, validate=True), fields
    except (binascii.Error, ValueError, TypeError):
        raise invalid({"media": "..."}, "media: not valid base64") from None


def _new_media(ctx, *, category, media_type, total_bytes, size, state):
    mid = str(ctx.store.next_id(ctx.store.now()))
    limit = MEDIA_LIMITS[media_kind(category, media_type)]
    if (total_bytes or size) > limit:
        raise invalid({"total_bytes": total_bytes or size}, f"media is larger than {limit} bytes")
    ctx.store.run(
        "INSERT INTO media (id, user_id, category, media_type, total_bytes, size, state,"
        " created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        mid,
        ctx.user["id"],
        category,
        media_type,
        total_bytes,
        size,
        state,
        ctx.store.now(),
    )
    return ctx.store.one("SELECT * FROM media WHERE id = ?", mid)


def upload_media(ctx):
    data, fields = _media_bytes(ctx)
    if not data:
        raise invalid({"media": ""}, "media: is required")
    media = _new_media(
        ctx,
        category=fields.get("media_category") or "tweet_image",
        media_type=fields.get("media_type"),
        total_bytes=None,
        size=len(data),
        state="succeeded",
    )
    ctx.store.run(
        "INSERT INTO media_sha256 (media_id, sha256) VALUES (?, ?)",
        media["id"],
        hashlib.sha256(data).hexdigest(),
    )
    return media_body(ctx, media)


def create_media_metadata(ctx):
    """Alt text for an uploaded image: what screen readers say instead of the picture."""
    body = ctx.json()
    media = _own_media(ctx, str(body.get("id") or ""))
    alt = ((body.get("metadata") or {}).get("alt_text") or {}).get("text")
    if not isinstance(alt, str) or not 1 <= len(alt) <= 1000:
        raise invalid({"metadata.alt_text.text": str(alt)}, "alt_text: 1 to 1000 characters")
    ctx.store.run(
        "INSERT INTO media_metadata (media_id, alt_text) VALUES (?, ?)"
        " ON CONFLICT (media_id) DO UPDATE SET alt_text = excluded.alt_text",
        media["id"],
        alt,
    )
    return {"data": {"id": media["id"], "associated_metadata": {"alt_text": {"text": alt}}}}


def initialize_media(ctx):
    body = ctx.json()
    total = body.get("total_bytes")
    if not isinstance(total, int) or total <= 0 or not body.get("media_type"):
        raise invalid({"total_bytes": str(total)}, "total_bytes and media_type are required")
    media = _new_media(
        ctx,
        category=body.get("media_category") or "tweet_image",
        media_type=body["media_type"],
        total_bytes=total,
        size=0,
        state="uploading",
    )
    return media_body(ctx, media)


def _own_media(ctx, id):
    media = ctx.store.one(
        "SELECT * FROM media WHERE id = ? AND user_id = ?", id_param(id), ctx.user["id"]
    )
    if not media:
        raise ApiError(404, {**not_found("media", "id", id), "status": 404})
    return media


def append_media(ctx, id):
    media = _own_media(ctx, id)
    if media["state"] != "uploading":
        raise invalid({"id": id}, "media upload is not in progress")
    data, fields = _media_bytes(ctx)
    if not str(fields.get("segment_index", "")).isdigit():
        raise invalid(
            {"segment_index": str(fields.get("segment_index"))},
            "segment_index: is required (0 to 999)",
        )
    ctx.store.run("UPDATE media SET size = size + ? WHERE id = ?", len(data), id)
    return {"data": {"expires_at": int(media["created_at"] + DAY)}}


def finalize_media(ctx, id):
    media = _own_media(ctx, id)
    if media["state"] != "uploading":
        raise invalid({"id": id}, "media upload is not in progress")
    if media["size"] != media["total_bytes"]:
        raise invalid(
            {"id": id},
            f"File size mismatch: received {media['size']} of {media['total_bytes']} bytes",
        )
    state = "processing" if media["category"] in PROCESSED else "succeeded"
    ctx.store.run(
        "UPDATE media SET state = ?, finalized_at = ? WHERE id = ?", state, ctx.store.now(), id
    )
    return media_body(ctx, _own_media(ctx, id))


def media_status(ctx):
    args = ctx.request.args
    if args.get("command", "STATUS") != "STATUS":
        raise invalid({"command": args["command"]}, "command: only STATUS is supported by GET")
    return media_body(ctx, _own_media(ctx, args.get("media_id", "")))
