"""API bodies as JSON the database can store: read once here, for every operation."""

import json
import re

from django.utils.translation import gettext as _
from ninja.parser import Parser

# JSON can escape a lone surrogate ("\ud800"), which UTF-8 cannot encode, and NUL, which
# PostgreSQL refuses in text and jsonb: either failed at the database insert with a 500.
UNSTORABLE = re.compile("[\x00\ud800-\udfff]")

# Our bodies nest three or four deep. Python's json gives up near a thousand, with a
# RecursionError, and a body a few hundred deep would be stored only to break whoever reads it.
MAX_DEPTH = 32


class BadBody(ValueError):
    """Why the body was refused, in the caller's language (see api.http_error)."""


class JsonParser(Parser):
    def parse_body(self, request):
        try:
            data = json.loads(request.body)
        except (ValueError, RecursionError):  # not JSON, not UTF-8, or nested past the stack
            raise BadBody(not_json()) from None
        refuse_unstorable(data)
        return data


def not_json() -> str:
    return _("The request body is not valid JSON.")


def refuse_unstorable(data) -> None:
    """Refuses a string the database cannot store, and nesting deeper than MAX_DEPTH. A loop,
    not recursion, so that no body can run it out of stack."""
    pending = [(data, 0)]
    while pending:
        value, depth = pending.pop()
        if depth > MAX_DEPTH:
            raise BadBody(not_json())
        if isinstance(value, str) and UNSTORABLE.search(value):
            raise BadBody(
                _(
                    "The request holds a character that cannot be stored (a lone surrogate or "
                    "NUL); remove it and send again."
                )
            )
        if isinstance(value, dict):
            pending.extend((item, depth + 1) for item in (*value, *value.values()))
        elif isinstance(value, list):
            pending.extend((item, depth + 1) for item in value)
