"""The API's access rule: the same `can()` and role names as the pages' `@allow`, and for a
bearer token, the scope the operation needs (a logged-in session has every scope)."""

from functools import wraps

from django.utils.translation import gettext as _

from samvad.api.models import EDITORIAL, READ, SUBMIT  # noqa: F401  (the scopes, for callers)
from samvad.api.problems import Problem
from samvad.org.access import can


def api_access(*allowed: str, scope: str = READ):
    """Decorate an API operation with who may call it (PUBLIC, AUTHENTICATED or roles) and the
    token scope it needs (read by default; writes name theirs).

    Put it under the router's decorator. Marks the function with `access_rule` like `@allow`
    does, so a test can prove that no operation is left without a rule.
    """

    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            # Both auth classes leave the caller in request.user (the token's user or the
            # session's), so operations without auth (PUBLIC) work the same way.
            if not can(request.user, *allowed):
                raise Problem(403, "forbidden")
            token = getattr(request, "api_token", None)
            if token is not None and scope not in token.scope_list:
                raise Problem(
                    403,
                    "insufficient-scope",
                    detail=_("This needs a token with the “%(scope)s” scope.") % {"scope": scope},
                )
            return view(request, *args, **kwargs)

        wrapper.access_rule = allowed
        wrapper.scope = scope
        return wrapper

    return decorator
