"""Login throttling with django-axes, so that nobody can lock a real user out.

Failures are counted per username *and* address, and per address across usernames (one address
trying many usernames). Past a limit, logins from there pause for a minute, then two, four, ...
up to SAMVAD_LOGIN_PAUSE_MAX: exponential back-off instead of a fixed lock. Someone elsewhere is
never affected, and failures are forgotten an hour (AXES_COOLOFF_TIME) after the last one.
Behind reverse proxies the address is the one the nearest trusted proxy saw (docs/deploy.md).
"""

import logging
import math
from datetime import datetime

from axes.backends import AxesStandaloneBackend
from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_credentials
from django.conf import settings
from django.db.models import Max, Sum
from django.shortcuts import render
from django.utils import timezone

log = logging.getLogger(__name__)


class ThrottleBackend(AxesStandaloneBackend):
    """Axes' guard for logins from the web. A call without a request (a management command, a
    test, a script) is not a login from the web, so there is nothing to throttle: ModelBackend,
    next in the list, decides alone (and still refuses inactive users)."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)


def _pause(failures: int, limit: int):
    """No pause below the limit; at it one SAMVAD_LOGIN_PAUSE, doubled for each failure more."""
    if failures < limit:
        return None
    return min(
        settings.SAMVAD_LOGIN_PAUSE * 2 ** min(failures - limit, 20),
        settings.SAMVAD_LOGIN_PAUSE_MAX,
    )


class BackoffHandler(AxesDatabaseHandler):
    """Axes' database handler with back-off. AXES_LOCKOUT_PARAMETERS lists the username+address
    pair first and the address second; each has its own limit."""

    def paused_until(self, request, credentials=None) -> datetime | None:
        pair, address = self.get_user_attempts(request, credentials)
        limits = (settings.AXES_FAILURE_LIMIT, settings.SAMVAD_LOGIN_ADDRESS_FAILURE_LIMIT)
        ends = []
        for attempts, limit in zip((pair, address), limits, strict=True):
            seen = attempts.aggregate(
                failures=Sum("failures_since_start"), last=Max("attempt_time")
            )
            if pause := _pause(seen["failures"] or 0, limit):
                ends.append(seen["last"] + pause)
        until = max(ends, default=None)
        return until if until and until > timezone.now() else None

    def get_failures(self, request, credentials=None) -> int:
        # Axes decides "failures >= AXES_FAILURE_LIMIT" in two places (before a login and right
        # after a failure); here the back-off decides, so answer in axes' terms.
        return settings.AXES_FAILURE_LIMIT if self.paused_until(request, credentials) else 0

    def user_logged_in(self, sender, request, user, **kwargs):
        # Axes' own first deletes everyone's expired failures, two queries on every log-in. A
        # failure does the same before it is counted (user_login_failed), which is where it
        # matters: failures are read within AXES_COOLOFF_TIME anyway (get_user_attempts), an
        # hourly job forgets the rest (jobs.py), and the access log is off
        # (AXES_DISABLE_ACCESS_LOG). What a log-in itself must do is this:
        if settings.AXES_RESET_ON_SUCCESS:
            self.reset_user_attempts(request, get_credentials(user.get_username()))

    def reset_user_attempts(self, request, credentials=None) -> int:
        # A right password clears that username's failures from that address, never the
        # address's count across usernames (one good login would reset a guesser's budget).
        # Usually there are none: one query to find out, not a delete's three.
        pair = self.filter_user_attempts(request, credentials)[0]
        return pair.delete()[0] if pair.exists() else 0


def client_ip(request) -> str:
    """The caller's address. Behind SAMVAD_TRUSTED_PROXIES reverse proxies, the address the
    nearest trusted proxy saw (X-Forwarded-For entries further left can be forged)."""
    hops = settings.SAMVAD_TRUSTED_PROXIES
    forwarded = [a.strip() for a in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    forwarded = [a for a in forwarded if a]
    if hops and len(forwarded) >= hops:
        return forwarded[-hops]
    if forwarded and not hops:
        _untrusted_proxy_seen(request)
    return request.META.get("REMOTE_ADDR", "")


_warned = False


def _untrusted_proxy_seen(request) -> None:
    """Once per process: requests come through a proxy that SAMVAD_TRUSTED_PROXIES does not
    trust, so every caller seems to be the proxy (see the deploy check samvad.W001)."""
    global _warned
    if not _warned:
        _warned = True
        log.warning(
            "A request came through a proxy (X-Forwarded-For from %s) but "
            "SAMVAD_TRUSTED_PROXIES is 0: every caller seems to be that proxy. "
            "See docs/deploy.md.",
            request.META.get("REMOTE_ADDR", ""),
        )


def locked_out(request, original_response=None, credentials=None):
    """Axes' answer to a paused login (429), in the page's own language and layout."""
    until = BackoffHandler().paused_until(request, credentials)
    seconds = (until - timezone.now()).total_seconds() if until else 60
    context = {"minutes": max(1, math.ceil(seconds / 60))}
    return render(request, "accounts_security/locked_out.html", context, status=429)
