import csv
import io

from openpyxl import load_workbook

from samvad import audit
from samvad.audit.export import export_csv, export_xlsx, safe_cell
from samvad.audit.models import AuditEvent


def test_safe_cell_prefixes_every_formula_start():
    for text in ["=1+1", "+1", "-1", "@SUM(A1)", "\tx", "\rx"]:
        assert safe_cell(text) == "'" + text
    assert safe_cell("सरकार") == "सरकार"
    assert safe_cell(None) == ""


def test_both_exports_escape_formulas(world):
    audit.record(
        actor=world.admin,
        action="=cmd|' /C calc'!A0",
        obj=world.water,
        after={"text": "@evil"},
        district=world.dausa,
    )
    events = AuditEvent.objects.all()
    rows = list(csv.reader(io.StringIO(export_csv(events).decode("utf-8-sig"))))
    assert rows[1][2] == "'=cmd|' /C calc'!A0"
    sheet = load_workbook(io.BytesIO(export_xlsx(events))).active
    values = [cell.value for cell in next(sheet.iter_rows(min_row=2, max_row=2))]
    assert values[2] == "'=cmd|' /C calc'!A0"
    assert all(not str(v).startswith("=") for v in values if v)
