"""Reading a department's staff list (XLSX or CSV), checking it row by row, and saving it.

Files come from anyone's spreadsheet, so they are read defensively: a zip's declared sizes are
checked before it is opened, cells are never evaluated, reading stops at the end of real data, and
a whole file that cannot be trusted is refused with a message before anything is saved. Rows are
read as a stream and handled in batches, so that a 100,000-row list needs little memory.
"""

import csv
import io
import logging
import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _

from samvad import confined
from samvad.advocacy import sheets
from samvad.advocacy.models import StaffHandle, StaffImport, StaffImportRow
from samvad.org.access import managed_departments
from samvad.org.models import Department, Person

MAX_UPLOAD_BYTES = 20 * 1024 * 1024
MAX_ROWS = sheets.MAX_ROWS
EMPTY_RUN = sheets.EMPTY_RUN
SHEET_MEMORY_MB = 1024  # reading a 200,000-row list takes about a third of this
SHEET_CPU_SECONDS = 60
BATCH = 1000
MAX_PROBLEMS_KEPT = 2000

HANDLE = re.compile(r"^[A-Za-z0-9_]{1,15}$")
HANDLE_URL = re.compile(r"^(?:https?://)?(?:www\.|mobile\.)?(?:x|twitter)\.com/([^/?#\s]+)", re.I)
MOBILE = re.compile(r"^[6-9]\d{9}$")

# (key, Hindi heading, English heading, required)
COLUMNS = [
    ("name", "नाम", "Name", True),
    ("designation", "पदनाम", "Designation", True),
    ("employee_code", "कर्मचारी कोड", "Employee code", True),
    ("department", "विभाग", "Department", False),
    ("email", "ईमेल", "Email", False),
    ("mobile", "मोबाइल", "Mobile", False),
    ("handle", "X हैंडल", "X handle", False),
]
LABELS = {
    "name": _("Name"),
    "designation": _("Designation"),
    "employee_code": _("Employee code"),
    "department": _("Department"),
    "email": _("Email"),
    "mobile": _("Mobile"),
    "handle": _("X handle"),
}
PROBLEMS = {
    "missing": _("This field is required."),
    "too_long": _("This is too long."),
    "formula": _("This cell holds a formula; type the value itself."),
    "bad_handle": _("Not a valid X handle (up to 15 letters, digits or _)."),
    "bad_email": _("Not a valid email address."),
    "bad_mobile": _("Not a 10-digit mobile number."),
    "unknown_department": _("Unknown department, or one you do not manage."),
    "duplicate": _("Appears earlier in this file."),
    "taken": _("This employee code belongs to a person of a department you do not manage."),
    "handle_taken": _("This handle is registered for another person."),
}
MAX_LENGTH = {"name": 200, "designation": 200, "employee_code": 40, "email": 254}


logger = logging.getLogger(__name__)

NOT_UTF8 = _(
    "This CSV file is not in UTF-8, so Hindi names would be garbled. In Excel, choose "
    "Save As → “CSV UTF-8 (Comma delimited)”, or upload the .xlsx file."
)


class Refused(Exception):
    """The whole file is refused; the message says why, for the person who uploaded it."""


# -- reading ------------------------------------------------------------------------------------
def rows_of(content: bytes, filename: str) -> tuple[Iterator[tuple[int, list]], int]:
    """The file's rows after the heading as (row number, cells), and an estimate of their count."""
    name = filename.lower()
    if content.startswith(b"PK\x03\x04") and not name.endswith(".csv"):
        return _xlsx_rows(content)
    if content.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise Refused(NOT_UTF8)
    if content.startswith(b"\xd0\xcf\x11\xe0"):
        raise Refused(_("This is an old Excel file (.xls). Save it as .xlsx and upload again."))
    if name.endswith(".csv"):
        return _csv_rows(content)
    raise Refused(_("This file is not a spreadsheet. Upload the template as .xlsx or .csv."))


SHEET_REFUSALS = {
    "damaged": _("This file is not a spreadsheet, or it is damaged."),
    "too_big": _("This file unpacks to far more data than a staff list holds; it was not opened."),
    "too_many_cells": _("This file holds far more cells than a staff list; it was not read."),
}
TOO_HARD = _(
    "Reading this file took more memory or time than any staff list needs, so it was stopped. "
    "Copy the staff rows into a fresh copy of the template and upload that."
)


def _xlsx_rows(content: bytes):
    # The file is read in a child process with hard limits on memory, time and output, so a
    # file made to exhaust the reader stops only this import (see samvad/confined.py).
    try:
        rows = confined.run(
            "sheet", content, memory_mb=SHEET_MEMORY_MB, cpu_seconds=SHEET_CPU_SECONDS
        )
    except confined.Refusal as refusal:
        raise Refused(SHEET_REFUSALS[refusal.args[0]]) from refusal
    except confined.Exceeded as exceeded:
        logger.warning("A staff list was stopped while being read: %s", exceeded)
        raise Refused(TOO_HARD) from exceeded
    heading, rows = (rows[0], rows[1:]) if rows else (None, [])
    return _numbered(heading, iter(rows)), min(len(rows), MAX_ROWS)


def _csv_rows(content: bytes):
    if b"\x00" in content[:65536]:
        raise Refused(_("This file is not a spreadsheet. Upload the template as .xlsx or .csv."))
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise Refused(NOT_UTF8) from exc
    rows = csv.reader(io.StringIO(text, newline=""))
    try:
        heading = next(rows, None)
    except csv.Error as exc:
        raise Refused(_("This CSV file could not be read: %(error)s") % {"error": exc}) from exc
    return _numbered(heading, rows), min(text.count("\n"), MAX_ROWS)


def _numbered(heading, rows) -> Iterator[tuple[int, list]]:
    """(row number, cells) for each non-empty row, ending at the end of real data."""
    columns = _columns(heading)
    empty = seen = 0
    try:
        for number, cells in enumerate(rows, start=2):
            if not any(_text(c) for c in cells):
                empty += 1
                if empty >= EMPTY_RUN:
                    return
                continue
            empty = 0
            seen += 1
            if seen > MAX_ROWS:
                raise Refused(
                    _("The file has more than %(max)s rows. Split it and upload each part.")
                    % {"max": MAX_ROWS}
                )
            yield number, {key: cells[i] if i < len(cells) else None for key, i in columns}
    except csv.Error as exc:
        raise Refused(_("This CSV file could not be read: %(error)s") % {"error": exc}) from exc


def _columns(heading) -> list[tuple[str, int]]:
    """Which column holds what, found by the template's headings in Hindi or English."""
    names = [_text(c).lower() for c in heading or []]
    found, missing = [], []
    for key, hindi, english, required in COLUMNS:
        accepted = {key, hindi.lower(), english.lower(), f"{hindi} / {english}".lower()}
        index = next(
            (i for i, n in enumerate(names) if n in accepted or set(_parts(n)) & accepted), None
        )
        if index is not None:
            found.append((key, index))
        elif required:
            missing.append(f"{hindi} / {english}")
    if missing:
        raise Refused(
            _("The first row must hold the template's headings. Missing: %(columns)s")
            % {"columns": ", ".join(missing)}
        )
    return found


def _parts(heading: str) -> list[str]:
    return [p.strip() for p in heading.split("/")]


_text = sheets.text


# -- checking -----------------------------------------------------------------------------------
@dataclass
class Row:
    number: int
    values: dict
    problems: list = field(default_factory=list)

    def problem(self, name: str, code: str) -> None:
        self.problems.append(
            {"row": self.number, "field": name, "code": code, "value": self.values.get(name, "")}
        )


@dataclass
class Checker:
    """Checks rows against the rules, the rest of the file and the database. One per pass."""

    staff_import: StaffImport
    departments: dict = field(default_factory=dict)  # lower name or code → department id
    codes: set = field(default_factory=set)
    handles: set = field(default_factory=set)

    def __post_init__(self):
        for d in Department.objects.filter(district=self.staff_import.district):
            for key in (d.code, d.name_hi, d.name_en):
                self.departments[key.strip().lower()] = d.id
        uploader = self.staff_import.uploaded_by
        managed = managed_departments(uploader) if uploader else None
        self.managed = set(managed.values_list("id", flat=True)) if managed is not None else set()

    def check(self, batch: list[tuple[int, dict]]) -> list[Row]:
        rows = [self._clean(number, cells) for number, cells in batch]
        self._check_database([r for r in rows if not r.problems])
        return rows

    def _clean(self, number: int, cells: dict) -> Row:
        row = Row(number, {key: _text(value) for key, value in cells.items()})
        values = row.values
        for key, *_labels, required in COLUMNS:
            value = values.setdefault(key, "")
            if value.startswith("="):
                row.problem(key, "formula")
            elif required and not value:
                row.problem(key, "missing")
            elif len(value) > MAX_LENGTH.get(key, 10_000):
                row.problem(key, "too_long")
        if row.problems:
            return row
        self._clean_department(row)
        self._clean_contacts(row)
        self._clean_handle(row)
        self._check_repeats(row)
        return row

    def _clean_department(self, row: Row) -> None:
        given = row.values["department"].lower()
        department_id = self.departments.get(given) if given else self.staff_import.department_id
        if department_id not in self.managed:
            row.problem("department", "unknown_department")
        row.values["department_id"] = department_id

    def _clean_contacts(self, row: Row) -> None:
        if email := row.values["email"]:
            try:
                validate_email(email)
            except ValidationError:
                row.problem("email", "bad_email")
        if mobile := row.values["mobile"]:
            digits = re.sub(r"[\s\-()]", "", mobile).removeprefix("+")
            if len(digits) == 12 and digits.startswith("91"):
                digits = digits[2:]
            digits = digits.removeprefix("0") if len(digits) == 11 else digits
            if MOBILE.match(digits):
                row.values["mobile"] = digits
            else:
                row.problem("mobile", "bad_mobile")

    def _clean_handle(self, row: Row) -> None:
        handle = clean_handle(row.values["handle"])
        if handle is None:
            row.problem("handle", "bad_handle")
        else:
            row.values["handle"] = handle

    def _check_repeats(self, row: Row) -> None:
        code, handle = row.values["employee_code"], row.values["handle"].lower()
        if code in self.codes:
            row.problem("employee_code", "duplicate")
        if handle and handle in self.handles:
            row.problem("handle", "duplicate")
        self.codes.add(code)
        if handle:
            self.handles.add(handle)

    def _check_database(self, rows: list[Row]) -> None:
        """A code or handle that belongs to someone outside the officer's departments is taken."""
        if not rows:
            return
        district = self.staff_import.district_id
        people = dict(
            Person.objects.filter(
                district=district, employee_code__in=[r.values["employee_code"] for r in rows]
            ).values_list("employee_code", "department_id")
        )
        owners = dict(
            StaffHandle.objects.annotate(lower=Lower("handle"))
            .filter(district=district, lower__in=[r.values["handle"].lower() for r in rows])
            .values_list("lower", "person__employee_code")
        )
        for row in rows:
            code = row.values["employee_code"]
            if code in people and people[code] not in self.managed:
                row.problem("employee_code", "taken")
            owner = owners.get(row.values["handle"].lower())
            if owner is not None and owner != code:
                row.problem("handle", "handle_taken")


def clean_handle(value: str) -> str | None:
    """'@Name', 'Name' or a profile link → 'Name'; '' stays ''; anything else is None."""
    value = value.strip()
    if match := HANDLE_URL.match(value):
        value = match.group(1)
    value = value.removeprefix("@")
    if not value:
        return ""
    return value if HANDLE.match(value) else None


def batches(rows: Iterator, size: int = BATCH) -> Iterator[list]:
    batch = []
    for row in rows:
        batch.append(row)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


# -- the two passes -----------------------------------------------------------------------------
def check_file(staff_import: StaffImport) -> None:
    """Pass one: check every row and keep the report, and the good rows as read. No person or
    handle is written."""
    rows, estimate = rows_of(bytes(staff_import.content), staff_import.filename)
    staff_import.total = estimate
    StaffImportRow.objects.filter(staff_import=staff_import).delete()
    checker = Checker(staff_import)
    problems, good, bad, done = [], 0, 0, 0
    for batch in batches(rows):
        keep = []
        for (number, cells), row in zip(batch, checker.check(batch), strict=True):
            if row.problems:
                bad += 1
                problems.extend(row.problems[: MAX_PROBLEMS_KEPT - len(problems)])
            else:
                good += 1
                values = {key: _text(value) for key, value in cells.items()}
                keep.append(StaffImportRow(staff_import=staff_import, number=number, values=values))
        StaffImportRow.objects.bulk_create(keep)
        done += len(batch)
        staff_import.show_progress(done=done, total=max(estimate, done))
    if good + bad == 0:
        raise Refused(_("The file has no staff rows below the headings."))
    staff_import.finish_check(good=good, bad=bad, problems=problems)


def save_file(staff_import: StaffImport) -> None:
    """Pass two: check the good rows again against the database as it is now, and save them, a
    batch per transaction so that progress can be seen. Saving again changes nothing, so a pass
    that stopped half-way can simply be run again."""
    checker = Checker(staff_import)
    counts = {"created": 0, "updated": 0, "unchanged": 0}
    staff_import.show_progress(done=0, total=staff_import.good)
    for batch in _staged(staff_import):
        good = [row for row in checker.check(batch) if not row.problems]
        with transaction.atomic():
            for key, value in save_rows(staff_import, good).items():
                counts[key] += value
        staff_import.show_progress(done=staff_import.done + len(batch))
    StaffImportRow.objects.filter(staff_import=staff_import).delete()
    staff_import.finish_saving(**counts)


def _staged(staff_import: StaffImport) -> Iterator[list[tuple[int, dict]]]:
    """The kept rows in file order, a batch at a time (keyset paging: no OFFSET scans)."""
    last = 0
    while True:
        batch = list(
            StaffImportRow.objects.filter(staff_import=staff_import, number__gt=last)
            .order_by("number")
            .values_list("number", "values")[:BATCH]
        )
        if not batch:
            return
        yield batch
        last = batch[-1][0]


PERSON_FIELDS = ("name", "designation", "department_id")


def save_rows(staff_import: StaffImport, rows: list[Row]) -> dict:
    """Create new people, update changed ones, leave the same ones alone: set-based per batch."""
    district = staff_import.district
    existing = {
        p.employee_code: p
        for p in Person.objects.filter(
            district=district, employee_code__in=[r.values["employee_code"] for r in rows]
        ).select_related("x_handle")
    }
    new, changed = [], []
    for row in rows:
        v = row.values
        person = existing.get(v["employee_code"])
        if person is None:
            person = Person(district=district, employee_code=v["employee_code"])
            new.append(person)
        if _apply(person, v) and person.pk:
            changed.append(person)
    Person.objects.bulk_create(new, batch_size=BATCH)
    Person.objects.bulk_update(changed, [*PERSON_FIELDS, "email", "mobile"], batch_size=BATCH)
    created = {p.employee_code: p for p in new}
    updated = {p.employee_code for p in changed} | _save_handles(district, rows, existing, created)
    return {
        "created": len(new),
        "updated": len(updated),
        "unchanged": len(rows) - len(new) - len(updated),
    }


def _apply(person: Person, values: dict) -> bool:
    before = [getattr(person, f, None) for f in (*PERSON_FIELDS, "email", "mobile")]
    for name in PERSON_FIELDS:
        setattr(person, name, values[name])
    # Optional contacts: a blank cell does not erase what is already known.
    for name in ("email", "mobile"):
        if values[name]:
            setattr(person, name, values[name])
    return before != [getattr(person, f) for f in (*PERSON_FIELDS, "email", "mobile")]


def _save_handles(district, rows, existing, created) -> set[str]:
    """New handles are created; a changed handle starts over unverified. Returns the employee
    codes of people already known whose handle was created or changed."""
    new, changed, touched = [], [], set()
    for row in rows:
        handle = row.values["handle"]
        if not handle:
            continue
        code = row.values["employee_code"]
        person = created.get(code) or existing[code]
        current = getattr(person, "x_handle", None) if code in existing else None
        if current is None:
            new.append(StaffHandle(person=person, district=district, handle=handle))
        elif current.change(handle):
            changed.append(current)
        else:
            continue
        if code in existing:
            touched.add(code)
    StaffHandle.objects.bulk_create(new, batch_size=BATCH)
    StaffHandle.objects.bulk_update(
        changed,
        ["handle", "x_user_id", "status", "checked_at", "following_since", "stopped_following_at"],
        batch_size=BATCH,
    )
    return touched
