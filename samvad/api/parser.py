"""API bodies as JSON the database can store: read once here, for every operation."""

import json
import re

from django.utils.translation import gettext as _
from ninja.parser import Parser

# JSON can escape a lone surrogate ("\ud800"), which UTF-8 cannot encode, and NUL, which
# PostgreSQL refuses in text and jsonb: either failed at the database insert with a 500.
UNSTORABLE = re.compile("[\x00\ud800-\udfff]")


class BadBody(ValueError):
    """Why the body was refused, in the caller's language (see api.http_error)."""


class JsonParser(Parser):
    def parse_body(self, request):
        try:
            data = json.loads(request.body)
        except ValueError:  # not JSON, or not UTF-8
            raise BadBody(_("The request body is not valid JSON.")) from None
        refuse_unstorable(data)
        return data


def refuse_unstorable(value) -> None:
    if isinstance(value, str):
        if UNSTORABLE.search(value):
            raise BadBody(
                _(
                    "The request holds a character that cannot be stored (a lone surrogate or "
                    "NUL); remove it and send again."
                )
            )
    elif isinstance(value, dict):
        for key, item in value.items():
            refuse_unstorable(key)
            refuse_unstorable(item)
    elif isinstance(value, list):
        for item in value:
            refuse_unstorable(item)
