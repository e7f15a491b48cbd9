"""Who is calling: a per-user token (`Authorization: Bearer <token>`) or the logged-in session."""

from django.utils import translation
from ninja.security import HttpBearer, django_auth

from samvad.api.models import ApiToken


class BearerToken(HttpBearer):
    def authenticate(self, request, token):
        api_token = ApiToken.objects.by_token(token)
        if api_token is None:
            return None
        api_token.touch()
        user = api_token.user
        # The session middleware ran before the token was read, so the request was anonymous
        # until now: make it the token's user, answering in their language.
        request.user = user
        translation.activate(user.language)
        request.LANGUAGE_CODE = user.language
        return user


# The session (with ninja's CSRF check) lets the pages' htmx call the API too.
AUTH = [BearerToken(), django_auth]
