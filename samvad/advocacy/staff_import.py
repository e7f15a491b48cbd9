"""Reading a department's staff list (XLSX or CSV), checking it row by row, and saving it.

Files come from anyone's spreadsheet, so they are read defensively: a zip's declared sizes are
checked before it is opened, cells are never evaluated, reading stops at the end of real data, and
a whole file that cannot be trusted is refused with a message before anything is saved.

A 100,000-row list is checked and saved in seconds: each pass reads the district's people and
handles once, then handles the rows in batches, each batch checked against those in memory and
saved with a statement per kind of change (COPY on PostgreSQL), never a query per row.
"""

import contextlib
import csv
import gc
import io
import logging
import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import F
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _

from samvad import confined
from samvad.advocacy import bulk, sheets
from samvad.advocacy.models import StaffHandle, StaffImport, StaffImportBatch
from samvad.org.access import managed_departments
from samvad.org.models import Department, Person

MAX_UPLOAD_BYTES = 20 * 1024 * 1024
MAX_ROWS = sheets.MAX_ROWS
EMPTY_RUN = sheets.EMPTY_RUN
SHEET_MEMORY_MB = 1024  # reading a 200,000-row list takes about a third of this
SHEET_CPU_SECONDS = 60
BATCH = 5000  # rows per step: each step shows progress, and saves in one transaction
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
PERSON_FIELDS = ("name", "designation", "department_id", "email", "mobile")  # what a row sets
KEPT = ("employee_code", *PERSON_FIELDS, "handle")  # of a good row, from pass one to pass two
# What StaffHandle.change() sets: a changed handle starts over unverified.
HANDLE_RESET = [
    "handle", "x_user_id", "status", "checked_at", "following_since", "stopped_following_at"
]  # fmt: skip


logger = logging.getLogger(__name__)

NOT_UTF8 = _(
    "This CSV file is not in UTF-8, so Hindi names would be garbled. In Excel, choose "
    "Save As → “CSV UTF-8 (Comma delimited)”, or upload the .xlsx file."
)
CHECKED_BEFORE_UPGRADE = _(
    "This list was checked before Samvad was upgraded, and can no longer be saved. Upload it again."
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


def _numbered(heading, rows) -> Iterator[tuple[int, dict]]:
    """(row number, the text of each column) for each non-empty row, ending at the end of real
    data."""
    columns = _columns(heading)
    empty = seen = 0
    try:
        for number, cells in enumerate(rows, start=2):
            values = {key: _text(cells[i]) if i < len(cells) else "" for key, i in columns}
            if not any(values.values()) and not any(_text(c) for c in cells):
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
            yield number, values
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
    """Checks rows against the rules, the rest of the file and the database. One per pass: what
    the district's people and handles hold is read once when it is made, so no row costs a
    query."""

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
        district = self.staff_import.district_id
        self.people = dict(  # employee code → department
            Person.objects.filter(district=district).values_list("employee_code", "department_id")
        )
        self.owners = dict(  # lower handle → its person's employee code
            StaffHandle.objects.filter(district=district).values_list(
                Lower("handle"), "person__employee_code"
            )
        )

    def check(self, number: int, values: dict) -> Row:
        row = self._clean(number, values)
        if not row.problems:
            self._check_database(row)
        return row

    def recheck(self, number: int, values: dict) -> Row:
        """A row that passed the check, against the database as it is now."""
        row = Row(number, values)
        if values["department_id"] not in self.managed:
            row.problem("department", "unknown_department")
        self._check_database(row)
        return row

    def _clean(self, number: int, values: dict) -> Row:
        row = Row(number, values)
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

    def _check_database(self, row: Row) -> None:
        """A code or handle that belongs to someone outside the officer's departments is taken."""
        code = row.values["employee_code"]
        if code in self.people and self.people[code] not in self.managed:
            row.problem("employee_code", "taken")
        owner = self.owners.get(row.values["handle"].lower())
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
@contextlib.contextmanager
def _objects_before_set_aside():
    """The process's objects are left out of the garbage collector's passes until the import's
    pass ends. A pass makes hundreds of thousands of short-lived objects, and each collection
    they set off would walk every older object again: a third of a 100,000-row save's time."""
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()


@_objects_before_set_aside()
def check_file(staff_import: StaffImport) -> None:
    """Pass one: check every row and keep the report, and the good rows as checked. No person or
    handle is written."""
    rows, estimate = rows_of(bytes(staff_import.content), staff_import.filename)
    staff_import.total = estimate
    StaffImportBatch.objects.filter(staff_import=staff_import).delete()
    checker = Checker(staff_import)
    problems, good, bad, done = [], 0, 0, 0
    for batch in batches(rows):
        keep = []
        for row in (checker.check(number, cells) for number, cells in batch):
            if row.problems:
                bad += 1
                problems.extend(row.problems[: MAX_PROBLEMS_KEPT - len(problems)])
            else:
                good += 1
                keep.append([row.number, *(row.values[key] for key in KEPT)])
        if keep:
            StaffImportBatch.objects.create(staff_import=staff_import, number=keep[0][0], rows=keep)
        done += len(batch)
        staff_import.show_progress(done=done, total=max(estimate, done))
    if good + bad == 0:
        raise Refused(_("The file has no staff rows below the headings."))
    staff_import.finish_check(good=good, bad=bad, problems=problems)


@_objects_before_set_aside()
def save_file(staff_import: StaffImport) -> None:
    """Pass two: check the good rows again against the database as it is now, and save them, a
    batch per transaction so that progress can be seen. Saving again changes nothing, so a pass
    that stopped half-way can simply be run again."""
    checker = Checker(staff_import)
    people = _known_people(staff_import.district_id)
    counts = {"created": 0, "updated": 0, "unchanged": 0}
    staff_import.show_progress(done=0, total=staff_import.good)
    for batch in _staged(staff_import):
        good = [row for row in (checker.recheck(*kept) for kept in batch) if not row.problems]
        with transaction.atomic():
            for key, value in save_rows(staff_import, good, people).items():
                counts[key] += value
        staff_import.show_progress(done=staff_import.done + len(batch))
    StaffImportBatch.objects.filter(staff_import=staff_import).delete()
    staff_import.finish_saving(**counts)


def _staged(staff_import: StaffImport) -> Iterator[list[tuple[int, dict]]]:
    """The kept rows in file order, a batch at a time, each as (row number, values)."""
    kept = StaffImportBatch.objects.filter(staff_import=staff_import)
    for number in list(kept.order_by("number").values_list("number", flat=True)):
        rows = kept.filter(number=number).values_list("rows", flat=True).get()
        if not isinstance(rows, list):  # one row as the release before this one kept it
            raise Refused(CHECKED_BEFORE_UPGRADE)
        yield [(row[0], dict(zip(KEPT, row[1:], strict=True))) for row in rows]


def _known_people(district_id: int) -> dict:
    """The district's people as saved, by employee code, each with its handle (or None)."""
    people = (
        Person.objects.filter(district=district_id)
        .annotate(handle_id=F("x_handle__id"), handle=F("x_handle__handle"))
        .values_list("id", "employee_code", *PERSON_FIELDS, "handle_id", "handle", named=True)
    )
    return {p.employee_code: p for p in people}


def save_rows(staff_import: StaffImport, rows: list[Row], people: dict) -> dict:
    """Create new people, update changed ones, leave the same ones alone, each kind with one
    statement. `people` are the district's people before this pass, by employee code (a code
    appears once in a file, so no row of this pass changes another's)."""
    district = staff_import.district_id
    new = [row.values for row in rows if row.values["employee_code"] not in people]
    ids = _create_people(district, new)
    updated = _update_people(rows, people) | _save_handles(district, rows, people, ids)
    return {
        "created": len(new),
        "updated": len(updated),
        "unchanged": len(rows) - len(new) - len(updated),
    }


def _create_people(district: int, new: list[dict]) -> dict[str, int]:
    """Their ids by employee code."""
    fields = ["district_id", "employee_code", *PERSON_FIELDS]
    rows = [(district, v["employee_code"], *_person(v)) for v in new]
    ids = bulk.insert(Person, fields, rows, ids=True)
    return dict(zip((v["employee_code"] for v in new), ids, strict=True))


def _update_people(rows: list[Row], people: dict) -> set[str]:
    """The employee codes of people already known whose fields the rows change."""
    changed, codes = [], set()
    for row in rows:
        known = people.get(row.values["employee_code"])
        if known is None:
            continue
        wanted = _person(row.values, known)
        if wanted != tuple(getattr(known, f) for f in PERSON_FIELDS):
            changed.append((known.id, *wanted))
            codes.add(known.employee_code)
    bulk.update(Person, list(PERSON_FIELDS), changed)
    return codes


def _person(values: dict, known=None) -> tuple:
    """The PERSON_FIELDS as the row sets them."""
    name, designation, department_id, email, mobile = (values[f] for f in PERSON_FIELDS)
    if known is not None:
        # Optional contacts: a blank cell does not erase what is already known.
        email, mobile = email or known.email, mobile or known.mobile
    return name, designation, department_id, email, mobile


def _save_handles(district: int, rows: list[Row], people: dict, ids: dict) -> set[str]:
    """New handles are created; a changed handle starts over unverified. Returns the employee
    codes of people already known whose handle was created or changed."""
    new, changed, touched = [], [], set()
    for row in rows:
        code, handle = row.values["employee_code"], row.values["handle"]
        if not handle:
            continue
        known = people.get(code)
        if known is None:
            new.append((ids[code], district, handle))
            continue
        if known.handle is None:
            new.append((known.id, district, handle))
        elif handle.lower() != known.handle.lower():  # a record is built only for a change
            record = StaffHandle(pk=known.handle_id, handle=known.handle)
            record.change(handle)
            changed.append((record.pk, *(getattr(record, f) for f in HANDLE_RESET)))
        else:
            continue
        touched.add(code)
    bulk.update(StaffHandle, HANDLE_RESET, changed)
    bulk.insert(StaffHandle, ["person_id", "district_id", "handle"], new)
    return touched
