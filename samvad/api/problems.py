"""Errors a program can read: every API error is RFC 9457 problem details
(`application/problem+json`) with a stable `type` per kind of error, a `title` and `detail` in the
caller's language, and the fields that were wrong under `errors`.

    raise Problem(409, "conflict", detail=...)
    raise Problem.invalid({"title": ["This field is required."]})

`type` is a URN, not a web address: it names the kind of error for a program to branch on and is
never fetched. The kinds are listed in KINDS and described in the OpenAPI document.
"""

import json

from django.http import HttpResponse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

CONTENT_TYPE = "application/problem+json"

# kind: (HTTP status, title). A kind never changes its meaning; new kinds may be added.
KINDS = {
    "bad-request": (400, _("The request is not right.")),
    "unauthorized": (401, _("Log in, or send a valid API token.")),
    "token-refused": (401, _("This API token cannot be used.")),
    "forbidden": (403, _("You do not have permission for this.")),
    "insufficient-scope": (403, _("The token's scopes do not allow this.")),
    "not-found": (404, _("Not found.")),
    "method-not-allowed": (405, _("This method is not allowed here.")),
    "conflict": (409, _("This cannot be done in the present state.")),
    "too-large": (413, _("The request is too large.")),
    "invalid": (422, _("Some values are not right.")),
    "idempotency-key-reused": (422, _("This Idempotency-Key was used with another request.")),
    "too-many-requests": (429, _("Too many requests; wait a little and try again.")),
    "server-error": (500, _("Something went wrong on our side.")),
}
KIND_OF_STATUS = {}
for _kind, (_status, _title) in KINDS.items():
    KIND_OF_STATUS.setdefault(_status, _kind)


def type_uri(kind: str) -> str:
    return f"urn:samvad:problem:{kind}"


class Problem(Exception):
    def __init__(
        self,
        status: int,
        kind: str | None = None,
        *,
        detail: str = "",
        errors: list[dict] | None = None,
    ):
        super().__init__(detail)
        self.status = status
        self.kind = kind or KIND_OF_STATUS.get(status, "bad-request")
        self.detail = str(detail)
        self.errors = errors

    @classmethod
    def invalid(cls, errors, detail: str = "") -> "Problem":
        """422 with a form's (or a dict's) messages, field by field, as JSON pointers."""
        errors = getattr(errors, "errors", errors)
        return cls(
            422,
            "invalid",
            detail=detail,
            errors=[
                {"pointer": f"#/{field}", "detail": " ".join(str(m) for m in messages)}
                for field, messages in errors.items()
            ],
        )


def problem_body(status: int, kind: str, detail: str = "", errors=None) -> dict:
    title = gettext(str(KINDS[kind][1])) if kind in KINDS else ""
    body = {"type": type_uri(kind), "title": title, "status": status, "detail": detail or title}
    if errors:
        body["errors"] = errors
    return body


def problem_response(
    status: int, kind: str | None = None, detail: str = "", errors=None
) -> HttpResponse:
    kind = kind or KIND_OF_STATUS.get(status, "bad-request")
    body = problem_body(status, kind, detail, errors)
    return HttpResponse(
        json.dumps(body, ensure_ascii=False),
        status=status,
        content_type=f"{CONTENT_TYPE}; charset=utf-8",
    )


def field_errors(ninja_errors: list[dict]) -> list[dict]:
    """Pydantic's errors, located and in the caller's language (Django's own translations)."""
    found = []
    for error in ninja_errors:
        source, *location = error.get("loc", ("body",))
        if source == "body" and location:
            location = location[1:]  # the payload's parameter name
        message = (
            gettext("This field is required.")
            if error.get("type") == "missing"
            else gettext("Enter a valid value.")
        )
        place = "/".join(str(part) for part in location)
        if source == "body":
            found.append({"pointer": f"#/{place}", "detail": message})
        else:
            found.append({"parameter": place, "detail": message})
    return found


SCHEMA = {
    "type": "object",
    "description": "RFC 9457 problem details. `type` is stable per kind of error: "
    + ", ".join(type_uri(kind) for kind in KINDS)
    + ".",
    "required": ["type", "title", "status"],
    "properties": {
        "type": {"type": "string", "format": "uri", "example": type_uri("not-found")},
        "title": {"type": "string", "description": "The kind of error, in the caller's language."},
        "status": {"type": "integer"},
        "detail": {"type": "string", "description": "This occurrence, in the caller's language."},
        "errors": {
            "type": "array",
            "description": "The values that were not right: a JSON pointer into the body, or "
            "the name of a query or path parameter.",
            "items": {
                "type": "object",
                "required": ["detail"],
                "properties": {
                    "pointer": {"type": "string"},
                    "parameter": {"type": "string"},
                    "detail": {"type": "string"},
                },
            },
        },
    },
}
