"""The audit log as a spreadsheet, for RTI requests; `safe_cell` is also the project's one guard
against formula injection in any export."""

import csv
import io

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
