"""Session limits: an idle timeout, an absolute timeout from login, and "recently authenticated"
for the changes that need the password again. Times are kept in the session as Unix seconds."""

import time
from functools import wraps
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth import backends
from django.contrib.auth.signals import user_logged_in
from django.contrib.sessions.backends import db
from django.contrib.sessions.backends.base import VALID_KEY_CHARS
from django.db import connection
from django.dispatch import receiver
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import get_random_string

from samvad.org import sql
from samvad.org.models import User

LOGIN_AT = "samvad_login_at"
SEEN_AT = "samvad_seen_at"
AUTH_AT = "samvad_auth_at"
# Writing the session on every request would cost a database write per page; a minute's
# precision is plenty for a 30-minute idle limit.
SEEN_PRECISION = 60
# What Django's database sessions read (the session, if it has not expired), written out.
LOAD = "SELECT session_data FROM django_session WHERE session_key = %s AND expire_date > %s"
USER = sql.Rows(User, "id = %s")


class SessionStore(db.SessionStore):
    """Django's database sessions (SESSION_ENGINE), read with written-out SQL: every page reads
    its session, and the ORM took longer to build the query than PostgreSQL took to answer it."""

    def load(self) -> dict:
        now = connection.ops.adapt_datetimefield_value(timezone.now())
        with connection.cursor() as cursor:
            cursor.execute(LOAD, [self.session_key, now])
            row = cursor.fetchone()
        if row is None:  # unknown or expired: a new session, as Django's own store does
            self._session_key = None
            return {}
        return self.decode(row[0])

    def cycle_key(self) -> None:
        """A log-in's new key, given when the response saves the session: one INSERT. Django's
        writes the session under its new key at once and again at the response, with the user
        in it (the crowd of `bench/load` logs in twenty people a second)."""
        data = self._session
        old_key = self.session_key
        self._session_key = None
        self._session_cache = data
        self.modified = True
        if old_key:
            self.delete(old_key)

    def _get_new_session_key(self) -> str:
        # Django asks the table first whether the key is taken; 32 random characters (165 bits)
        # never are, and if one were, create()'s INSERT would fail and create() draw another.
        return get_random_string(32, VALID_KEY_CHARS)


class ModelBackend(backends.ModelBackend):
    """Django's ModelBackend, reading the session's user with written-out SQL for the same reason.
    Still refuses an inactive user on every request."""

    def get_user(self, user_id):
        user = next(iter(USER(user_id)), None)
        return user if user is not None and self.user_can_authenticate(user) else None


@receiver(user_logged_in)
def on_login(sender, request, user, **kwargs):
    if request is None or not hasattr(request, "session"):
        return
    now = time.time()
    request.session[LOGIN_AT] = now
    request.session[SEEN_AT] = now
    request.session[AUTH_AT] = now  # the password was just given


def expired(session, now: float) -> bool:
    """True if the session was idle too long or is older than the absolute limit."""
    login_at = session.setdefault(LOGIN_AT, now)  # sessions from before these limits start now
    seen_at = session.get(SEEN_AT, now)
    return (
        now - seen_at > settings.SAMVAD_SESSION_IDLE_SECONDS
        or now - login_at > settings.SAMVAD_SESSION_MAX_SECONDS
    )


def touch(session, now: float) -> None:
    if now - session.get(SEEN_AT, 0) >= SEEN_PRECISION:
        session[SEEN_AT] = now


def mark_authenticated(session) -> None:
    session[AUTH_AT] = time.time()


def recently_authenticated(session) -> bool:
    return time.time() - session.get(AUTH_AT, 0) <= settings.SAMVAD_REAUTH_SECONDS


def recent_auth(view):
    """The view changes how the account is protected: ask for the password (and the code, if the
    user has a second factor) again unless they were given in the last few minutes."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not recently_authenticated(request.session):
            query = urlencode({"next": request.get_full_path()})
            return redirect(f"{reverse('reauthenticate')}?{query}")
        return view(request, *args, **kwargs)

    return wrapper
