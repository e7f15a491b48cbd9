import django_otp
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.core.mail import send_mail
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

from samvad.accounts_security import mfa, security_log
from samvad.accounts_security.forms import (
    CodeForm,
    EmailForm,
    EnrolForm,
    ReauthForm,
    ThrottledPasswordChangeForm,
)
from samvad.accounts_security.sessions import mark_authenticated, recent_auth
from samvad.org.access import AUTHENTICATED, Role, allow


def _next(request, default: str = "home") -> str:
    """A path on this site, or the default: redirect() takes a bare word for a view's name and
    answered ?next=abc with a 500 (issue 16, finding 11)."""
    url = request.POST.get("next") or request.GET.get("next") or ""
    if url.startswith("/") and url_has_allowed_host_and_scheme(
        url, {request.get_host()}, request.is_secure()
    ):
        return url
    return default


@allow(AUTHENTICATED)
def verify(request):
    """The second step of login: a code from the app, or a recovery code."""
    if request.user.is_verified() or not mfa.has_mfa(request.user):
        return redirect(_next(request))
    form = CodeForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        django_otp.login(request, form.device)
        if isinstance(form.device, mfa.RecoveryCodes):
            left = mfa.recovery_codes_left(request.user)
            messages.warning(
                request,
                _("You used a recovery code; %(left)s are left. Make new ones on your profile.")
                % {"left": left},
            )
        return redirect(_next(request))
    return render(request, "accounts_security/verify.html", {"form": form, "next": _next(request)})


@allow(AUTHENTICATED)
def manage(request):
    context = {
        "enabled": mfa.has_mfa(request.user),
        "required": mfa.mfa_required(request.user),
        "codes_left": mfa.recovery_codes_left(request.user),
    }
    return render(request, "accounts_security/manage.html", context)


@allow(AUTHENTICATED)
@recent_auth
def enrol(request):
    """Set up (or replace) the authenticator app: QR code and secret, then a code to confirm."""
    if request.method == "POST":
        device = mfa.pending_app_device(request.user)
        form = EnrolForm(request.POST, device=device)
        if form.is_valid():
            codes = mfa.confirm_app_device(request.user, device)
            security_log.record(request, security_log.Kind.MFA_ON)
            django_otp.login(request, device)
            return _show_codes(request, codes)
    else:
        device = mfa.new_app_device(request.user)
        form = EnrolForm(device=device)
    if device is None:  # the pending device is gone (set up in another tab): start again
        return redirect("mfa_enrol")
    context = {
        "form": form,
        "qr": mfa.qr_svg(device),
        "secret": mfa.secret(device),
        "required": mfa.mfa_required(request.user),
        "next": _next(request, ""),
    }
    return render(request, "accounts_security/enrol.html", context)


def _show_codes(request, codes: list[str]):
    # Rendered in answer to the POST, never stored for a later page: the codes are shown once.
    context = {"codes": codes, "next": _next(request, "")}
    return render(request, "accounts_security/recovery_codes.html", context)


@allow(AUTHENTICATED)
@recent_auth
def recovery_codes(request):
    if request.method != "POST" or not mfa.has_mfa(request.user):
        return redirect("mfa_manage")
    codes = mfa.new_recovery_codes(request.user)
    security_log.record(request, security_log.Kind.RECOVERY_CODES)
    return _show_codes(request, codes)


@allow(AUTHENTICATED)
@recent_auth
def turn_off(request):
    if request.method != "POST":
        return redirect("mfa_manage")
    if mfa.mfa_required(request.user):
        messages.error(request, _("Your role requires two-step verification; it stays on."))
        return redirect("mfa_manage")
    mfa.turn_off(request.user)
    security_log.record(request, security_log.Kind.MFA_OFF)
    request.session.pop(django_otp.DEVICE_ID_SESSION_KEY, None)
    messages.success(request, _("Two-step verification is off."))
    return redirect("mfa_manage")


@allow(AUTHENTICATED)
def reauthenticate(request):
    form = ReauthForm(request.POST or None, request=request)
    if request.method == "POST" and form.is_valid():
        mark_authenticated(request.session)
        return redirect(_next(request, "profile"))
    context = {"form": form, "next": _next(request, "")}
    return render(request, "accounts_security/reauthenticate.html", context)


@allow(AUTHENTICATED)
@recent_auth
def change_email(request):
    user = request.user
    form = EmailForm(request.POST or None, user=user)
    if request.method == "POST" and form.is_valid():
        old = user.email
        user.email = form.cleaned_data["email"]
        user.save(update_fields=["email"])
        if old:
            _notify_email_changed(request, old)
        messages.success(request, _("Your email address was changed."))
        return redirect("profile")
    return render(request, "accounts_security/email.html", {"form": form})


def _notify_email_changed(request, old: str) -> None:
    """Tell the old address, so that a stolen session cannot quietly take over password reset."""
    context = {"user": request.user, "new": request.user.email}
    send_mail(
        render_to_string("accounts_security/email/email_changed_subject.txt", context).strip(),
        render_to_string("accounts_security/email/email_changed.txt", context),
        None,
        [old],
    )


@allow(Role.DISTRICT_ADMIN)
def security_events(request):
    """The district's security log: logins, failures, pauses, two-step and role changes."""
    events = security_log.visible_events(request.user)
    kind = request.GET.get("kind", "")
    if kind in security_log.Kind.values:
        events = events.filter(kind=kind)
    context = {"events": events[:300], "kinds": security_log.Kind.choices, "kind": kind}
    return render(request, "accounts_security/security_log.html", context)


@allow(Role.DISTRICT_ADMIN)
def security_events_export(request):
    events = security_log.visible_events(request.user)
    response = HttpResponse(security_log.export_csv(events), content_type="text/csv")
    response["Content-Disposition"] = 'attachment; filename="security-log.csv"'
    return response


class PasswordChangeView(auth_views.PasswordChangeView):
    form_class = ThrottledPasswordChangeForm

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "request": self.request}

    def form_valid(self, form):
        response = super().form_valid(form)
        security_log.record(self.request, security_log.Kind.PASSWORD_CHANGED)
        return response


password_change = allow(AUTHENTICATED)(PasswordChangeView.as_view())
