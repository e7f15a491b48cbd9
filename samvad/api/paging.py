"""Cursor paging for every API list: newest first, `limit` items (at most 100) and a `next` link
to follow until it is null. A cursor names the last item seen, so items added meanwhile never
shift a page (no duplicates, no gaps), unlike page numbers."""

import base64
import binascii
import json

from django.utils.translation import gettext as _
from ninja import Field, Schema
from pydantic import create_model

from samvad.api.problems import Problem

MAX_LIMIT = 100


class PageParams(Schema):
    cursor: str | None = Field(None, description="The `next` of the previous page's answer.")
    limit: int = Field(50, ge=1, le=MAX_LIMIT, description="Items per page, at most 100.")


def Page(item: type[Schema]) -> type[Schema]:  # noqa: N802  (it makes a class)
    """The answer schema of a list of `item`s: {items, next, count}."""
    return create_model(
        f"{item.__name__.removesuffix('Out')}Page",
        __base__=Schema,
        items=(list[item], ...),
        next=(str | None, None),
        count=(int | None, None),
    )


def whole(items: list) -> dict:
    """A list that is always short and whole (one page, no `next`)."""
    return {"items": items, "next": None, "count": len(items)}


def encode(last_id: int) -> str:
    return base64.urlsafe_b64encode(json.dumps({"before": last_id}).encode()).decode().rstrip("=")


def decode(cursor: str) -> int:
    try:
        before = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))["before"]
        if isinstance(before, int) and before > 0:
            return before
    except (ValueError, KeyError, TypeError, binascii.Error):
        pass
    raise Problem(
        422,
        "invalid",
        errors=[
            {
                "parameter": "cursor",
                "detail": _("This cursor is not one that Samvad gave; start again without it."),
            }
        ],
    )


def page(request, queryset, params: PageParams, *, count: bool = True) -> dict:
    """{"items", "next", "count"}: count is the number of all items that match (not just this
    page), given where counting is one cheap query; null where it is not."""
    ordered = queryset.order_by("-id")
    if params.cursor:
        ordered = ordered.filter(id__lt=decode(params.cursor))
    items = list(ordered[: params.limit + 1])
    more = len(items) > params.limit
    items = items[: params.limit]
    next_url = None
    if more:
        query = request.GET.copy()
        query["cursor"] = encode(items[-1].pk)
        next_url = f"{request.path}?{query.urlencode()}"
    return {"items": items, "next": next_url, "count": queryset.count() if count else None}
