"""Samvad's REST API, mounted at /api/v1/, with its OpenAPI document and Swagger UI."""

from collections.abc import Iterator

from django.core.exceptions import RequestDataTooBig
from django.http import Http404
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError

from samvad.api.auth import AUTH
from samvad.org.access import PUBLIC, allow
from samvad.org.api import router as org_router

api = NinjaAPI(
    title="Samvad API",
    version="1",
    urls_namespace="api",
    auth=AUTH,
    # The description of the API is no secret; marking it keeps the URL-walk test complete.
    docs_decorator=allow(PUBLIC),
)
api.add_router("/org/", org_router)
api.add_router("/", "samvad.campaigns.api.router")  # /campaigns, /campaigns/{id}, ...
api.add_router("/", "samvad.content.api.router")  # /submissions, /posts/{id}/approve, ...

UNAUTHORIZED = _("Log in, or send a valid API token as “Authorization: Bearer <token>”.")
NOT_FOUND = _("Not found.")
TOO_LARGE = _("The request is too large.")


@api.exception_handler(AuthenticationError)
def unauthorized(request, exc):
    return api.create_response(request, {"detail": str(UNAUTHORIZED)}, status=401)


@api.exception_handler(Http404)
def not_found(request, exc):
    return api.create_response(request, {"detail": str(NOT_FOUND)}, status=404)


@api.exception_handler(RequestDataTooBig)
def too_large(request, exc):
    # Django would answer with its HTML 400 page; an API client reads JSON.
    return api.create_response(request, {"detail": str(TOO_LARGE)}, status=413)


def operations() -> Iterator[tuple[str, str, object, tuple | None]]:
    """Every operation as (path, method, view function, access rule or None)."""
    root = reverse("api:api-root")
    for bound in api._get_bound_routers():
        for path, path_view in bound.path_operations.items():
            full = root + "/".join(p.strip("/") for p in (bound.prefix, path) if p.strip("/"))
            for operation in path_view.operations:
                rule = getattr(operation.view_func, "access_rule", None)
                for method in operation.methods:
                    yield full, method, operation.view_func, rule
