import io
import re

import time_machine
from django.utils import timezone
from openpyxl import load_workbook

from samvad.advocacy.models import StaffHandle, StaffImport
from samvad.advocacy.tests.conftest import csv_bytes, run_jobs, staff_rows, upload, xlsx_bytes
from samvad.org.models import Person


def staff_people(world):
    return Person.objects.filter(employee_code__startswith="E0")


def sent_to_save(client, department, content: bytes, **upload_options) -> StaffImport:
    """A list uploaded, checked and asked to be saved; the saving job is left to the caller."""
    record = upload(client, department, content, **upload_options)
    run_jobs()
    client.post(f"/advocacy/imports/{record.pk}/save/")
    return record


def bad_rows():
    return [
        ["", "लिपिक", "B1", "", "", "", ""],  # missing name
        ["नाम", "लिपिक", "B2", "", "", "", "@not a handle!"],  # bad handle
        ["नाम", "लिपिक", "E000001", "", "", "", ""],  # duplicate employee code
        ["नाम", "लिपिक", "B4", "Police", "", "", ""],  # unknown department
        ["नाम", "लिपिक", "B5", "", "", "12345", ""],  # bad mobile
        ["नाम", "लिपिक", "B6", "", "not-an-email", "", ""],  # bad email
        ["नाम", "लिपिक", "B7", "", "", "", "@staff2"],  # handle repeated
    ]


def test_it_checks_every_row_and_saves_nothing_before_asked(world, login):
    client = login(world.officer_a)
    record = upload(client, world.water, xlsx_bytes(staff_rows(5) + bad_rows()))
    run_jobs()
    record.refresh_from_db()
    assert record.status == StaffImport.Status.CHECKED
    assert (record.good, record.bad) == (5, 7)
    codes = {(p["row"], p["field"], p["code"]) for p in record.problems}
    assert codes == {
        (7, "name", "missing"),
        (8, "handle", "bad_handle"),
        (9, "employee_code", "duplicate"),
        (10, "department", "unknown_department"),
        (11, "mobile", "bad_mobile"),
        (12, "email", "bad_email"),
        (13, "handle", "duplicate"),
    }
    assert not staff_people(world).exists()
    page = client.get(f"/advocacy/imports/{record.pk}/")
    assert b"Not a valid X handle" in page.content or "X हैंडल".encode() in page.content
    assert b"hx-trigger" not in page.content


def test_it_saves_the_good_rows_when_asked(world, login):
    client = login(world.officer_a)
    record = upload(client, world.water, xlsx_bytes(staff_rows(5) + bad_rows()))
    run_jobs()
    response = client.post(f"/advocacy/imports/{record.pk}/save/")
    assert response.status_code == 302
    run_jobs()
    record.refresh_from_db()
    assert record.status == StaffImport.Status.SAVED
    assert record.created_count == 5
    assert record.content == b""  # the uploaded file is not kept
    people = staff_people(world)
    assert people.count() == 5
    assert set(people.values_list("department", flat=True)) == {world.water.pk}
    person = people.get(employee_code="E000003")
    assert person.mobile == "9800000003"
    assert person.x_handle.handle == "staff3"
    assert person.x_handle.status == StaffHandle.Status.UNVERIFIED


def test_reimporting_the_same_file_changes_nothing(world, login):
    client = login(world.officer_a)
    content = xlsx_bytes(staff_rows(30))
    for _ in range(2):
        record = sent_to_save(client, world.water, content)
        run_jobs()
        if _ == 0:
            before = list(staff_people(world).order_by("pk").values())
            handles = list(StaffHandle.objects.order_by("pk").values())
    record.refresh_from_db()
    assert (record.created_count, record.updated_count, record.unchanged_count) == (0, 0, 30)
    assert list(staff_people(world).order_by("pk").values()) == before
    assert list(StaffHandle.objects.order_by("pk").values()) == handles


def test_a_changed_row_updates_the_person_and_restarts_the_handle(world, login):
    client = login(world.officer_a)
    for rows in (staff_rows(3), staff_rows(3, handle_prefix="new")):
        record = sent_to_save(client, world.water, xlsx_bytes(rows))
        run_jobs()
    record.refresh_from_db()
    assert (record.created_count, record.updated_count, record.unchanged_count) == (0, 3, 0)
    assert sorted(StaffHandle.objects.values_list("handle", flat=True)) == ["new1", "new2", "new3"]


def test_it_reads_a_utf8_csv_with_department_names(world, login):
    client = login(world.admin)
    rows = staff_rows(2)
    rows[1][3] = "Jaipur Vidyut Vitran Nigam"
    sent_to_save(client, world.water, csv_bytes(rows), name="staff.csv")
    run_jobs()
    assert staff_people(world).get(employee_code="E000002").department == world.power
    assert staff_people(world).get(employee_code="E000001").name == "कार्मिक 1"


def test_an_officer_cannot_take_over_another_departments_staff(world, login):
    Person.objects.create(
        district=world.dausa,
        department=world.power,
        name="X",
        designation="Y",
        employee_code="E000001",
    )
    client = login(world.officer_a)
    record = upload(client, world.water, xlsx_bytes(staff_rows(2)))
    run_jobs()
    record.refresh_from_db()
    assert record.problems[0]["code"] == "taken"
    assert record.good == 1


def test_an_officer_cannot_name_a_department_they_do_not_manage(world, login):
    client = login(world.officer_a)
    rows = staff_rows(1)
    rows[0][3] = "electricity"
    record = upload(client, world.water, xlsx_bytes(rows))
    run_jobs()
    record.refresh_from_db()
    assert record.problems[0]["code"] == "unknown_department"


def test_it_checks_import_ownership(world, login):
    record = upload(login(world.officer_a), world.water, xlsx_bytes(staff_rows(1)))
    client = login(world.officer_b)
    assert client.get(f"/advocacy/imports/{record.pk}/").status_code == 404
    assert client.post(f"/advocacy/imports/{record.pk}/save/").status_code == 404
    assert client.get(f"/advocacy/departments/{world.water.pk}/upload/").status_code == 404
    assert login(world.employee).get(f"/advocacy/imports/{record.pk}/").status_code == 403


def test_the_progress_fragment_polls_only_while_busy(world, login):
    client = login(world.officer_a)
    record = upload(client, world.water, xlsx_bytes(staff_rows(3)))
    busy = client.get(f"/advocacy/imports/{record.pk}/progress/")
    assert b'hx-trigger="every 1s"' in busy.content
    assert b"<progress" in busy.content
    run_jobs()
    done = client.get(f"/advocacy/imports/{record.pk}/progress/")
    assert b"hx-trigger" not in done.content
    assert b"<script" not in done.content


def test_the_templates_have_bilingual_headings(world, login):
    client = login(world.officer_a)
    book = load_workbook(io.BytesIO(client.get("/advocacy/template.xlsx").content))
    headings = [c.value for c in book.worksheets[0][1]]
    assert "नाम / Name" in headings and "X हैंडल / X handle" in headings
    text = client.get("/advocacy/template.csv").content.decode("utf-8-sig")
    assert text.startswith("नाम / Name,पदनाम / Designation")
    # The blank template itself is a valid (empty) list.
    record = upload(client, world.water, client.get("/advocacy/template.xlsx").content)
    run_jobs()
    record.refresh_from_db()
    assert record.status == StaffImport.Status.REFUSED


def _queries_of_both_passes(client, department, rows) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        record = sent_to_save(client, department, xlsx_bytes(rows))
        run_jobs()
    record.refresh_from_db()
    assert record.status == StaffImport.Status.SAVED
    return len(queries)


def test_checking_and_saving_cost_no_query_per_row(world, login):
    client = login(world.officer_a)
    # The clock stands still: the worker's tick queues each periodic job's current slot, and a
    # slot beginning between two passes would add that job's queries to one of them.
    with time_machine.travel(timezone.now(), tick=False):
        _queries_of_both_passes(client, world.water, staff_rows(3))  # the first fills caches
        few = _queries_of_both_passes(client, world.water, staff_rows(3, start=100))
        many = _queries_of_both_passes(client, world.water, staff_rows(300, start=1000))
    # SQLite takes at most 999 values a statement, so a few more INSERTs there; never one a row.
    assert few <= many <= few + 300 // 50


def test_saving_an_unchanged_list_writes_no_person_or_handle(world, login):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = login(world.officer_a)
    content = xlsx_bytes(staff_rows(30))
    for _ in range(2):
        sent_to_save(client, world.water, content)
        with CaptureQueriesContext(connection) as queries:
            run_jobs()
    writes = [
        q["sql"]
        for q in queries
        if re.search(
            r'^\s*(INSERT|UPDATE|DELETE|COPY).*"?(org_person|advocacy_staffhandle)"?\b', q["sql"]
        )
    ]
    assert writes == []


def test_a_list_checked_before_the_upgrade_is_refused_with_a_reason(world, login):
    """The release before kept one row per record, as read; the officer is asked to upload
    again rather than shown a list saved wrong."""
    from samvad.advocacy.models import StaffImportBatch

    client = login(world.officer_a)
    record = upload(client, world.water, xlsx_bytes(staff_rows(1)))
    run_jobs()
    StaffImportBatch.objects.filter(staff_import=record).update(rows={"name": "कार्मिक 1"})
    client.post(f"/advocacy/imports/{record.pk}/save/")
    run_jobs()
    record.refresh_from_db()
    assert record.status == StaffImport.Status.REFUSED
    assert "upgraded" in record.message or "अपग्रेड" in record.message
    assert not staff_people(world).exists()
