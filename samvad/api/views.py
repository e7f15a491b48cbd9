"""Each person's own API tokens: list them with when each was last used, make one, revoke one."""

from urllib.parse import urlencode

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from samvad.accounts_security import mfa, sessions
from samvad.api.forms import RevokeForm, TokenForm
from samvad.api.models import SCOPES, ApiToken
from samvad.org.access import AUTHENTICATED, allow


def _page(request, form, raw: str = ""):
    tokens = request.user.api_tokens.all()
    return render(
        request,
        "api/tokens.html",
        {
            "form": form,
            "tokens": tokens,
            "raw": raw,
            "scope_names": SCOPES,
            "needs_recent_mfa": mfa.mfa_required(request.user),
        },
    )


@allow(AUTHENTICATED)
def tokens(request):
    """GET lists; POST makes a token and shows it once, in the answer (never stored)."""
    if request.method != "POST":
        return _page(request, TokenForm())
    if mfa.mfa_required(request.user) and not (
        mfa.has_mfa(request.user)
        and request.user.is_verified()
        and sessions.recently_authenticated(request.session)
    ):
        # A token acts as its owner for months: where the role needs two steps, both are asked
        # for again, just now, as for any change of how the account is protected.
        messages.info(request, _("Give your password and a code again to make an API token."))
        query = urlencode({"next": reverse("api_tokens")})
        return redirect(f"{reverse('reauthenticate')}?{query}")
    form = TokenForm(request.POST)
    if not form.is_valid():
        return _page(request, form)
    _token, raw = ApiToken.issue(
        user=request.user,
        name=form.cleaned_data["name"],
        scopes=form.cleaned_data["scopes"],
        days=form.cleaned_data["days"],
    )
    return _page(request, TokenForm(), raw=raw)


@require_POST
@allow(AUTHENTICATED)
def revoke(request):
    form = RevokeForm(request.POST)
    if not form.is_valid():
        raise Http404
    token = get_object_or_404(request.user.api_tokens, pk=form.cleaned_data["token"])
    token.revoke()
    messages.success(request, _("The token %(prefix)s… was revoked.") % {"prefix": token.prefix})
    return redirect("api_tokens")
