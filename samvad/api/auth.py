"""Who is calling: a per-user token (`Authorization: Bearer <token>`) or the logged-in session."""

from django.utils import translation
from django.utils.translation import gettext as _
from ninja.security import HttpBearer, django_auth

from samvad.accounts_security import mfa
from samvad.api.models import ApiToken


class BearerToken(HttpBearer):
    def authenticate(self, request, token):
        api_token = ApiToken.objects.by_token(token)
        if api_token is None:
            return None
        user = api_token.user
        # The session middleware ran before the token was read, so the request was anonymous
        # until now: answer in the token user's language.
        translation.activate(user.language)
        request.LANGUAGE_CODE = user.language
        if mfa.mfa_required(user) and not mfa.has_mfa(user):
            # A session of this person would be sent to set up two-step verification first;
            # their token must not be a way around it.
            request.refused_token = _(
                "Your role requires two-step verification. Set it up in "
                "Samvad; until then your API tokens are refused."
            )
            return None
        api_token.touch()
        request.user = user
        request.api_token = api_token
        return user


# The session (with ninja's CSRF check) lets the pages' htmx call the API too.
AUTH = [BearerToken(), django_auth]
