"""The API's access rule: the same `can()` and role names as the pages' `@allow`."""

from functools import wraps

from django.utils.translation import gettext_lazy as _
from ninja.errors import HttpError

from samvad.org.access import can

FORBIDDEN = _("You do not have permission for this.")


def api_access(*allowed: str):
    """Decorate an API operation with who may call it (PUBLIC, AUTHENTICATED or roles).

    Put it under the router's decorator. Marks the function with `access_rule` like `@allow`
    does, so a test can prove that no operation is left without a rule.
    """

    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            # Both auth classes leave the caller in request.user (the token's user or the
            # session's), so operations without auth (PUBLIC) work the same way.
            if not can(request.user, *allowed):
                raise HttpError(403, str(FORBIDDEN))
            return view(request, *args, **kwargs)

        wrapper.access_rule = allowed
        return wrapper

    return decorator
