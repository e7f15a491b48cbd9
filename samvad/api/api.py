"""Samvad's REST API, mounted at /api/v1/, with its OpenAPI document and Swagger UI."""

import logging
from collections.abc import Iterator

from django.core.exceptions import PermissionDenied, RequestDataTooBig
from django.http import Http404
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError

from samvad.api import problems
from samvad.api.auth import AUTH
from samvad.api.org import router as org_router
from samvad.api.parser import BadBody, JsonParser
from samvad.api.problems import Problem, problem_response
from samvad.org.access import PUBLIC, ScopeMissing, allow

logger = logging.getLogger(__name__)

UNAUTHORIZED = _("Log in, or send a valid API token as “Authorization: Bearer <token>”.")

# The error answers every operation may give besides its own; writes may give the rest too.
COMMON_ERRORS = ("unauthorized", "forbidden", "not-found", "invalid", "too-many-requests")
WRITE_ERRORS = ("conflict", "idempotency-key-reused", "too-large", "insufficient-scope")

IDEMPOTENCY_KEY = {
    "name": "Idempotency-Key",
    "in": "header",
    "required": False,
    "description": (
        "Any unique string up to 255 characters (a UUID is best), as in the IETF draft "
        "“The Idempotency-Key HTTP Header Field”. Sent again with the same body within 24 hours, "
        "the request is not done again: the first successful answer (status and body) is "
        "returned. The same key with a different body answers 422 (idempotency-key-reused). "
        "Keys are kept per token (or per logged-in user)."
    ),
    "schema": {"type": "string", "maxLength": 255},
}


class SamvadAPI(NinjaAPI):
    def get_openapi_schema(self, **kwargs):
        """Ninja's document, with the problem schema on every error answer and the
        Idempotency-Key header on every write."""
        schema = super().get_openapi_schema(**kwargs)
        schema.setdefault("components", {}).setdefault("schemas", {})["Problem"] = problems.SCHEMA
        for item in schema["paths"].values():
            for method, operation in item.items():
                # Ninja keys statuses by int; JSON keys are strings, so one key per status here.
                responses = {str(k): v for k, v in operation.get("responses", {}).items()}
                operation["responses"] = responses
                kinds = COMMON_ERRORS + (WRITE_ERRORS if method != "get" else ())
                for kind in kinds:
                    status = str(problems.KINDS[kind][0])
                    responses.setdefault(status, {"description": "", "content": {}})
                    titles = responses[status]["description"].split(" / ")
                    title = str(problems.KINDS[kind][1])
                    responses[status]["description"] = " / ".join(t for t in [*titles, title] if t)
                for status, response in responses.items():
                    if int(status) >= 400:
                        response["content"] = {
                            problems.CONTENT_TYPE: {
                                "schema": {"$ref": "#/components/schemas/Problem"}
                            }
                        }
                if method != "get":
                    operation.setdefault("parameters", []).append(IDEMPOTENCY_KEY)
        return schema


api = SamvadAPI(
    title="Samvad API",
    version="1",
    description=(
        "Every error is RFC 9457 problem details (`application/problem+json`) with a stable "
        "`type`. Lists page with a cursor: follow `next` until it is null. Writes accept an "
        "`Idempotency-Key` header."
    ),
    urls_namespace="api",
    auth=AUTH,
    parser=JsonParser(),
    # The description of the API is no secret; marking it keeps the URL-walk test complete.
    docs_decorator=allow(PUBLIC),
)
api.add_router("/org/", org_router)
api.add_router("/", "samvad.campaigns.api.router")  # /campaigns, /campaigns/{id}, ...
api.add_router("/", "samvad.content.api.router")  # /submissions, /posts, /posts/{id}/approve, ...
api.add_router("/", "samvad.inbox.api.router")  # /tickets, /tickets/{id}/reply, ...


@api.exception_handler(Problem)
def problem(request, exc: Problem):
    return problem_response(exc.status, exc.kind, exc.detail, exc.errors)


@api.exception_handler(PermissionDenied)
def forbidden(request, exc):
    return problem_response(403, "forbidden")  # @api_access refused the caller


@api.exception_handler(ScopeMissing)
def insufficient_scope(request, exc: ScopeMissing):
    detail = gettext("This needs a token with the “%(scope)s” scope.") % {"scope": exc.scope}
    return problem_response(403, "insufficient-scope", detail)


@api.exception_handler(AuthenticationError)
def unauthorized(request, exc):
    refused = getattr(request, "refused_token", None)
    if refused:
        return problem_response(401, "token-refused", str(refused))
    return problem_response(401, "unauthorized", str(UNAUTHORIZED))


@api.exception_handler(HttpError)
def http_error(request, exc: HttpError):
    if isinstance(exc.__cause__, BadBody):  # ninja wraps the parser's refusal in English
        return problem_response(400, "bad-request", str(exc.__cause__))
    return problem_response(exc.status_code, detail=str(exc))


@api.exception_handler(ValidationError)
def invalid(request, exc: ValidationError):
    return problem_response(422, "invalid", errors=problems.field_errors(exc.errors))


@api.exception_handler(Http404)
def not_found(request, exc):
    return problem_response(404, "not-found")


@api.exception_handler(RequestDataTooBig)
def too_large(request, exc):
    # Django would answer with its HTML 400 page; an API client reads JSON.
    return problem_response(413, "too-large")


@api.exception_handler(Exception)
def server_error(request, exc):
    logger.exception("API operation %s %s raised", request.method, request.path)
    return problem_response(500, "server-error")


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
