"""Middleware that keeps sessions honest: timeouts, the second step of login, and a few headers
that Django does not set itself."""

import time
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.middleware import get_user
from django.contrib.auth.views import redirect_to_login
from django.http import HttpResponse, HttpResponseRedirect, JsonResponse
from django.urls import reverse
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _
from django_otp import middleware as otp

from samvad.accounts_security import mfa, sessions


def _redirect(request, url: str) -> HttpResponse:
    if request.headers.get("HX-Request"):
        # htmx would swap the login page into a fragment; make it load the whole page instead.
        response = HttpResponse(status=204)
        response["HX-Redirect"] = url
        return response
    return HttpResponseRedirect(url)


def _is_api(request) -> bool:
    return request.path.startswith("/api/")


class OTPMiddleware(otp.OTPMiddleware):
    """django-otp's (user.otp_device, user.is_verified()), with request.user the user itself rather
    than django-otp's lazy proxy around Django's lazy proxy: every page reads the user at once
    anyway (LanguageMiddleware), and then a hundred times more, each read passing both proxies."""

    def __call__(self, request):
        if self._is_async:
            return super().__call__(request)
        self._install_lazy_accessors(request)  # request.auser, for async code
        request.user = self._verify_user_sync(request, get_user(request))
        return self.get_response(request)


class SessionLimitsMiddleware:
    """Log out a session that has been idle, or open, for too long."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            now = time.time()
            if sessions.expired(request.session, now):
                logout(request)
                messages.info(request, _("Your session ended; please log in again."))
                if _is_api(request):
                    return JsonResponse({"detail": _("Your session ended.")}, status=401)
                return _redirect(request, redirect_to_login(request.get_full_path()).url)
            sessions.touch(request.session, now)
        return self.get_response(request)


# Pages a user may open between the password and the second step.
VERIFY_OPEN = {"logout", "set_language", "mfa_verify"}
ENROL_OPEN = {"logout", "set_language", "mfa_enrol", "reauthenticate"}


# The idle clock's tick (sessions.SEEN_AT) at which the user was found to have no second factor.
NO_MFA_AT = "samvad_no_mfa_at"


def _has_mfa(request) -> bool:
    """mfa.has_mfa, asked again for a user without a second factor only when the session's idle
    clock ticks (once a minute at most, sessions.SEEN_PRECISION) rather than on every page: two
    queries a page for every officer and employee. A session opened elsewhere before the user sets
    one up is asked for the code within the minute, and the answer is saved with the tick's own
    session write."""
    session = request.session
    tick = session.get(sessions.SEEN_AT)
    if tick is not None and session.get(NO_MFA_AT) == tick:
        return False
    if mfa.has_mfa(request.user):
        return True
    session[NO_MFA_AT] = tick
    return False


class MfaMiddleware:
    """After the password, a user with a second factor must give a code before any page; a user
    whose role requires one and who has none is sent to set it up."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        user = request.user
        if not user.is_authenticated or user.is_verified():
            return None
        name = request.resolver_match.url_name
        if _has_mfa(request):
            return None if name in VERIFY_OPEN else self._send(request, "mfa_verify")
        if mfa.mfa_required(user):
            return None if name in ENROL_OPEN else self._send(request, "mfa_enrol")
        return None

    def _send(self, request, url_name: str) -> HttpResponse:
        if _is_api(request):
            return JsonResponse({"detail": _("Two-step verification is needed.")}, status=401)
        query = urlencode({"next": request.get_full_path()})
        return _redirect(request, f"{reverse(url_name)}?{query}")


class PermissionsPolicyMiddleware:
    """Turn off browser features that Samvad never uses, so injected content cannot use them."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", settings.SAMVAD_PERMISSIONS_POLICY)
        return response


class NoStoreMiddleware:
    """Nothing Samvad answers may be kept by a browser or proxy cache: pages carry names, e-mail
    addresses and drafts, exports and the API carry more. A response that chose its own caching
    keeps it (static files are served before this, by WhiteNoise)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if "Cache-Control" not in response:
            patch_cache_control(response, no_store=True)
        return response
