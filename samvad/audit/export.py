"""The audit log as a spreadsheet, for RTI requests; `safe_cell` is also the project's one guard
against formula injection in any export.

A reader sees each action and state as words in the active language (action, state); scripts keep
the codes (action_code, before, after)."""

import csv
import io

from django.utils import timezone

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
COLUMNS = [
    "at",
    "actor",
    "action",
    "state",
    "object_type",
    "object_id",
    "object",
    "before",
    "after",
    "action_code",
]


def safe_cell(value) -> str:
    """A cell that a spreadsheet shows as text: formulas are neutralised with a leading quote."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_PREFIXES) else text


def _rows(events):
    import json

    for event in events:
        yield [
            timezone.localtime(event.at).isoformat(),
            event.actor_name,
            event.action_label,
            event.outcome,
            event.object_type,
            event.object_id,
            event.object_repr,
            json.dumps(event.before, ensure_ascii=False, sort_keys=True),
            json.dumps(event.after, ensure_ascii=False, sort_keys=True),
            event.action,
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
