"""The sandbox's state: one SQLite file in the data directory, and the sandbox clock.

One lock serialises every use of the one connection: the sandbox serves a demo or a test suite,
not a crowd, and a single writer keeps it obviously correct.
"""

import json
import re
import secrets
import sqlite3
import threading
import time
from contextlib import contextmanager
from pathlib import Path

SCHEMA = """
CREATE TABLE IF NOT EXISTS kv (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS users (
    id TEXT PRIMARY KEY, username TEXT NOT NULL UNIQUE COLLATE NOCASE, name TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '', created_at REAL NOT NULL,
    protected INTEGER NOT NULL DEFAULT 0, verified INTEGER NOT NULL DEFAULT 0,
    listed_count INTEGER NOT NULL DEFAULT 0, citizen INTEGER NOT NULL DEFAULT 0);
CREATE TABLE IF NOT EXISTS tokens (
    token TEXT PRIMARY KEY, kind TEXT NOT NULL, user_id TEXT, client_id TEXT, scopes TEXT,
    secret TEXT, expires_at REAL, revoked INTEGER NOT NULL DEFAULT 0);
CREATE TABLE IF NOT EXISTS codes (
    code TEXT PRIMARY KEY, client_id TEXT, user_id TEXT NOT NULL, redirect_uri TEXT,
    scopes TEXT NOT NULL, challenge TEXT, method TEXT, expires_at REAL NOT NULL,
    used INTEGER NOT NULL DEFAULT 0);
CREATE TABLE IF NOT EXISTS tweets (
    id INTEGER PRIMARY KEY, author_id TEXT NOT NULL, text TEXT NOT NULL, created_at REAL NOT NULL,
    reply_to INTEGER, quote_of INTEGER, conversation_id INTEGER,
    media_ids TEXT NOT NULL DEFAULT '[]',
    impressions INTEGER NOT NULL DEFAULT 0, deleted INTEGER NOT NULL DEFAULT 0);
CREATE INDEX IF NOT EXISTS tweets_author ON tweets (author_id, id);
CREATE TABLE IF NOT EXISTS mentions (tweet_id INTEGER NOT NULL, user_id TEXT NOT NULL,
    PRIMARY KEY (user_id, tweet_id));
CREATE TABLE IF NOT EXISTS follows (
    seq INTEGER PRIMARY KEY AUTOINCREMENT, follower_id TEXT NOT NULL, followee_id TEXT NOT NULL,
    created_at REAL NOT NULL, UNIQUE (follower_id, followee_id));
-- Followers newest first, a page at a time, without sorting them all for each page.
CREATE INDEX IF NOT EXISTS follows_newest ON follows (followee_id, created_at, seq);
CREATE TABLE IF NOT EXISTS likes (
    seq INTEGER PRIMARY KEY AUTOINCREMENT, user_id TEXT NOT NULL, tweet_id INTEGER NOT NULL,
    UNIQUE (user_id, tweet_id));
CREATE TABLE IF NOT EXISTS retweets (
    seq INTEGER PRIMARY KEY AUTOINCREMENT, user_id TEXT NOT NULL, tweet_id INTEGER NOT NULL,
    created_at REAL NOT NULL, UNIQUE (user_id, tweet_id));
CREATE TABLE IF NOT EXISTS media (
    id TEXT PRIMARY KEY, user_id TEXT NOT NULL, category TEXT, media_type TEXT,
    total_bytes INTEGER, size INTEGER NOT NULL DEFAULT 0, state TEXT NOT NULL,
    created_at REAL NOT NULL, finalized_at REAL);
CREATE TABLE IF NOT EXISTS media_metadata (
    media_id TEXT PRIMARY KEY, alt_text TEXT NOT NULL);
-- What X received, so that a test can tell that the right photo reached it.
CREATE TABLE IF NOT EXISTS media_sha256 (media_id TEXT PRIMARY KEY, sha256 TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS windows (
    key TEXT PRIMARY KEY, started_at REAL NOT NULL, count INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS billed (
    day TEXT NOT NULL, kind TEXT NOT NULL, resource TEXT NOT NULL,
    PRIMARY KEY (day, kind, resource));
CREATE TABLE IF NOT EXISTS requests (
    id INTEGER PRIMARY KEY AUTOINCREMENT, time REAL NOT NULL, method TEXT NOT NULL,
    path TEXT NOT NULL, query TEXT NOT NULL, status INTEGER, subject TEXT);
"""

TWEPOCH_MS = 1288834974657  # X's snowflake epoch, so ids look and sort like X's
MENTION = re.compile(r"(?<![\w@])@(\w{1,15})", re.ASCII)


class Store:
    def __init__(self, data_dir):
        path = Path(data_dir)
        path.mkdir(parents=True, exist_ok=True)
        self.db = sqlite3.connect(
            path / "xsandbox.sqlite3", check_same_thread=False, isolation_level=None
        )
        self.db.row_factory = sqlite3.Row
        self.db.execute("PRAGMA journal_mode=WAL")
        self.db.executescript(SCHEMA)
        self.lock = threading.RLock()
        self._depth = 0

    def close(self):
        with self.lock:
            self.db.close()

    @contextmanager
    def tx(self):
        """One transaction under the lock; nested uses join the outer one."""
        with self.lock:
            if self._depth:
                self._depth += 1
                try:
                    yield self.db
                finally:
                    self._depth -= 1
                return
            self._depth = 1
            self.db.execute("BEGIN IMMEDIATE")
            try:
                yield self.db
                self.db.execute("COMMIT")
            except BaseException:
                self.db.execute("ROLLBACK")
                raise
            finally:
                self._depth = 0

    def run(self, sql, *params):
        # One dict argument binds :named parameters, otherwise positional ones.
        named = len(params) == 1 and isinstance(params[0], dict)
        with self.tx() as db:
            return db.execute(sql, params[0] if named else params)

    def one(self, sql, *params):
        with self.tx():
            return self.run(sql, *params).fetchone()

    def all(self, sql, *params):
        with self.tx():
            return self.run(sql, *params).fetchall()

    # -- settings --------------------------------------------------------------------------
    def get(self, key, default=None):
        row = self.one("SELECT value FROM kv WHERE key = ?", key)
        return json.loads(row["value"]) if row else default

    def put(self, key, value):
        self.run("INSERT OR REPLACE INTO kv (key, value) VALUES (?, ?)", key, json.dumps(value))

    def reset(self):
        with self.tx() as db:
            for table in (
                "kv",
                "users",
                "tokens",
                "codes",
                "tweets",
                "mentions",
                "follows",
                "likes",
                "retweets",
                "media",
                "media_metadata",
                "media_sha256",
                "windows",
                "billed",
                "requests",
            ):
                db.execute(f"DELETE FROM {table}")  # noqa: S608 - fixed table names

    # -- clock: real time x factor + offset, anchored so that changing the factor is smooth ---
    def _clock(self):
        return self.get("clock") or {"real": time.time(), "sandbox": time.time(), "factor": 1.0}

    def now(self) -> float:
        c = self._clock()
        return c["sandbox"] + (time.time() - c["real"]) * c["factor"]

    def set_clock(self, *, at=None, advance=0.0, factor=None):
        with self.tx():
            c = self._clock()
            sandbox_now = (at if at is not None else self.now()) + advance
            factor = c["factor"] if factor is None else float(factor)
            self.put("clock", {"real": time.time(), "sandbox": sandbox_now, "factor": factor})

    # -- ids ---------------------------------------------------------------------------------
    def next_id(self, at: float) -> int:
        """A snowflake-like id: later sandbox time gives a larger id, and ids never repeat."""
        with self.tx():
            candidate = (int(at * 1000) - TWEPOCH_MS) << 22
            last = self.get("last_id", 0)
            new = max(candidate, last + 1)
            self.put("last_id", new)
            return new

    # -- users -----------------------------------------------------------------------------
    def user(self, *, id=None, username=None):
        if id is not None:
            return self.one("SELECT * FROM users WHERE id = ?", str(id))
        return self.one("SELECT * FROM users WHERE username = ?", username)

    def create_user(
        self,
        username,
        *,
        name=None,
        id=None,
        created_at=None,
        citizen=False,
        description="",
        protected=False,
        verified=False,
    ):
        with self.tx() as db:
            if existing := self.user(username=username):
                return existing
            at = self.now() if created_at is None else created_at
            uid = str(id) if id is not None else str(self.next_id(at))
            db.execute(
                "INSERT INTO users (id, username, name, description, created_at, protected,"
                " verified, citizen) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    uid,
                    username,
                    name or username,
                    description,
                    at,
                    int(protected),
                    int(verified),
                    int(citizen),
                ),
            )
            return self.user(id=uid)

    def follow(self, follower_id, followee_id, at=None):
        self.run(
            "INSERT OR IGNORE INTO follows (follower_id, followee_id, created_at) VALUES (?, ?, ?)",
            follower_id,
            followee_id,
            self.now() if at is None else at,
        )

    def unfollow(self, follower_id, followee_id):
        self.run(
            "DELETE FROM follows WHERE follower_id = ? AND followee_id = ?",
            follower_id,
            followee_id,
        )

    # -- tokens ----------------------------------------------------------------------------
    def issue_token(
        self, kind, *, user_id=None, client_id=None, scopes="", ttl=None, secret=None, prefix=""
    ):
        token = prefix + secrets.token_urlsafe(32)
        expires = self.now() + ttl if ttl else None
        self.run(
            "INSERT INTO tokens (token, kind, user_id, client_id, scopes, secret, expires_at)"
            " VALUES (?, ?, ?, ?, ?, ?, ?)",
            token,
            kind,
            user_id,
            client_id,
            scopes,
            secret,
            expires,
        )
        return token

    def token(self, token, kind):
        row = self.one(
            "SELECT * FROM tokens WHERE token = ? AND kind = ? AND revoked = 0", token, kind
        )
        if row and row["expires_at"] is not None and row["expires_at"] <= self.now():
            return None
        return row

    # -- tweets ----------------------------------------------------------------------------
    def tweet(self, tweet_id):
        if not str(tweet_id).isdigit():
            return None
        return self.one("SELECT * FROM tweets WHERE id = ? AND deleted = 0", int(tweet_id))

    def create_tweet(
        self, author_id, text, *, reply_to=None, quote_of=None, media_ids=(), at=None, impressions=0
    ):
        with self.tx() as db:
            at = self.now() if at is None else at
            tid = self.next_id(at)
            conversation = tid
            if reply_to and (parent := self.tweet(reply_to)):
                conversation = parent["conversation_id"]
            db.execute(
                "INSERT INTO tweets (id, author_id, text, created_at, reply_to, quote_of,"
                " conversation_id, media_ids, impressions) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    tid,
                    author_id,
                    text,
                    at,
                    reply_to and int(reply_to),
                    quote_of and int(quote_of),
                    conversation,
                    json.dumps(list(media_ids)),
                    impressions,
                ),
            )
            names = set(MENTION.findall(text))
            mentioned = {u["id"] for u in (self.user(username=n) for n in names) if u}
            if reply_to and parent:
                mentioned.add(parent["author_id"])  # on X a reply mentions whom it answers
            for user_id in mentioned - {author_id}:
                db.execute("INSERT OR IGNORE INTO mentions VALUES (?, ?)", (tid, user_id))
            return self.tweet(tid)

    def retweet(self, user_id, tweet_id, at=None):
        self.run(
            "INSERT OR IGNORE INTO retweets (user_id, tweet_id, created_at) VALUES (?, ?, ?)",
            user_id,
            int(tweet_id),
            self.now() if at is None else at,
        )

    def like(self, user_id, tweet_id):
        self.run(
            "INSERT OR IGNORE INTO likes (user_id, tweet_id) VALUES (?, ?)", user_id, int(tweet_id)
        )

    # -- billing: X bills each resource a read returns, once per UTC day ----------------------
    def bill(self, resources):
        """Remember (kind, resource id) pairs as billed on today's UTC day (the sandbox clock)."""
        day = time.strftime("%Y-%m-%d", time.gmtime(self.now()))
        with self.tx() as db:
            db.executemany(
                "INSERT OR IGNORE INTO billed (day, kind, resource) VALUES (?, ?, ?)",
                [(day, kind, resource) for kind, resource in resources],
            )

    def billed(self, day):
        rows = self.all("SELECT kind, COUNT(*) AS n FROM billed WHERE day = ? GROUP BY kind", day)
        return {row["kind"]: row["n"] for row in rows}

    # -- request log -----------------------------------------------------------------------
    def log_request(self, method, path, query, status, subject):
        self.run(
            "INSERT INTO requests (time, method, path, query, status, subject)"
            " VALUES (?, ?, ?, ?, ?, ?)",
            self.now(),
            method,
            path,
            query,
            status,
            subject,
        )
