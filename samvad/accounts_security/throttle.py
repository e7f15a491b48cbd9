"""Login throttling with django-axes, locked per username *and* address, so that someone elsewhere
can never lock a real user out, and only for a short cool-off (see AXES_* in settings)."""

from axes.backends import AxesStandaloneBackend
from django.conf import settings
from django.shortcuts import render


class ThrottleBackend(AxesStandaloneBackend):
    """Axes' guard for logins from the web. A call without a request (a management command, a
    test, a script) is not a login from the web, so there is nothing to throttle: ModelBackend,
    next in the list, decides alone (and still refuses inactive users)."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)


def client_ip(request) -> str:
    """The caller's address. Behind SAMVAD_TRUSTED_PROXIES reverse proxies, the address the
    nearest trusted proxy saw (X-Forwarded-For entries further left can be forged)."""
    hops = settings.SAMVAD_TRUSTED_PROXIES
    forwarded = [a.strip() for a in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    forwarded = [a for a in forwarded if a]
    if hops and len(forwarded) >= hops:
        return forwarded[-hops]
    return request.META.get("REMOTE_ADDR", "")


def locked_out(request, original_response=None, credentials=None):
    """Axes' answer to a locked login (429), in the page's own language and layout."""
    minutes = max(1, round(settings.AXES_COOLOFF_TIME.total_seconds() / 60))
    context = {"minutes": minutes}
    return render(request, "accounts_security/locked_out.html", context, status=429)
