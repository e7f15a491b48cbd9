"""How long the free text people type may be: one cap per kind of text (a post's text is
platforms.x.text.MAX_TEXT_LENGTH). Forms check a field's max_length first, with a translated
message; length_cap() puts the same number in the database, which refuses more whatever path the
text took: a form, the API, a service or the shell (issue 16, build item 10)."""

from django.db import models
from django.db.models.functions import Length
from django.db.models.lookups import LessThanOrEqual

MAX_BODY_LENGTH = 10_000  # a description, a department's statement
MAX_COMMENT_LENGTH = 2_000  # a reviewer's comment or reason, a claim, a list of keywords


def length_cap(model: str, field: str, length: int) -> models.CheckConstraint:
    """A TextField's max_length as a constraint (a CharField's is its column's size)."""
    return models.CheckConstraint(
        condition=LessThanOrEqual(Length(field), length), name=f"{model}_{field}_length_capped"
    )
