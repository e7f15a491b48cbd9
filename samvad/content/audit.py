"""The append-only audit log: who did what to which object, when, with the before and after.

Any app writes to it through `audit(...)`; district admins export it for RTI requests.
"""

import csv
import io
from datetime import date, datetime
from decimal import Decimal
from uuid import UUID

from django.db import models


def _jsonable(value):
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, UUID | Decimal):
        return str(value)
    if isinstance(value, models.Model):
        return value.pk
    return value


def audit(*, actor, action: str, obj, before=None, after=None, district=None):
    """Append one event. `district` defaults to obj.district so that the export can be scoped."""
    event = audit_event(
        actor=actor, action=action, obj=obj, before=before, after=after, district=district
    )
    event.save()
    return event


def audit_event(*, actor, action: str, obj, before=None, after=None, district=None):
    """The event, unsaved: many are appended at once with AuditEvent.objects.bulk_create."""
    from samvad.content.models import AuditEvent

    if district is None:
        district = getattr(obj, "district", None)
    return AuditEvent(
        actor=actor if actor is not None and actor.is_authenticated else None,
        action=action,
        object_type=obj._meta.label_lower,
        object_id=str(obj.pk),
        object_repr=str(obj)[:200],
        district=district,
        before=_jsonable(before or {}),
        after=_jsonable(after or {}),
    )


# Export -----------------------------------------------------------------------------------------

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
COLUMNS = ["at", "actor", "action", "object_type", "object_id", "object", "before", "after"]


def safe_cell(value) -> str:
    """A cell that a spreadsheet shows as text: formulas are neutralised with a leading quote."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_PREFIXES) else text


def _rows(events):
    import json

    for event in events:
        yield [
            event.at.isoformat(),
            event.actor.get_username() if event.actor else "system",
            event.action,
            event.object_type,
            event.object_id,
            event.object_repr,
            json.dumps(event.before, ensure_ascii=False, sort_keys=True),
            json.dumps(event.after, ensure_ascii=False, sort_keys=True),
        ]


def export_csv(events) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(COLUMNS)
    for row in _rows(events):
        writer.writerow([safe_cell(cell) for cell in row])
    return ("\ufeff" + out.getvalue()).encode()  # the BOM makes Excel read UTF-8 Hindi


def export_xlsx(events) -> bytes:
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet("audit")
    sheet.append(COLUMNS)
    for row in _rows(events):
        sheet.append([safe_cell(cell) for cell in row])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
