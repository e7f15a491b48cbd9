"""Importing a department's staff list: a 100,000-row XLSX checked row by row and then saved,
exactly as the two import jobs do it, in a forked child so that its own peak RSS is measured.
The same file is then saved again, which must change nothing.

The baseline is the naive way (the whole workbook loaded in memory, one query and one save per
row), timed on a `baseline_rows` sample and extrapolated linearly.
"""

import io

from bench import harness

PARAMS = {"rows": 100_000, "departments": 20, "baseline_rows": 3_000}
HEADINGS = [
    "नाम / Name",
    "पदनाम / Designation",
    "कर्मचारी कोड / Employee code",
    "विभाग / Department",
    "ईमेल / Email",
    "मोबाइल / Mobile",
    "X हैंडल / X handle",
]
# Issue 19: at disk speed, and a re-import that changes nothing as fast.
TARGETS = {
    "total_s": ("<=", 10),
    "peak_rss_mb": ("<=", 300),
    "reimport_s": ("<=", 10),
    "reimport_changed": ("==", 0),
    "speedup": (">=", 3),
}


def _workbook(rows: int, departments: int) -> bytes:
    from openpyxl import Workbook

    # A normal workbook, like Excel's, carries its dimension (write_only ones do not).
    book = Workbook()
    sheet = book.active
    sheet.append(HEADINGS)
    for i in range(rows):
        sheet.append(
            [
                f"कार्मिक {i}",
                "कनिष्ठ लिपिक",
                f"E{i:07d}",
                f"d{i % departments}",
                f"p{i}@example.gov.in",
                f"9{i:09d}",
                f"staff{i}",
            ]
        )
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _setup(departments: int):
    from samvad.org.models import Department, District, Role, RoleAssignment, State, User

    state = State.objects.create(code="rajasthan", name_hi="राजस्थान", name_en="Rajasthan")
    district = District.objects.create(state=state, code="dausa", name_hi="दौसा", name_en="Dausa")
    depts = Department.objects.bulk_create(
        Department(
            district=district,
            code=f"d{i}",
            name_hi=f"विभाग {i}",
            name_en=f"Dept {i}",
            head_designation_hi="-",
            head_designation_en="-",
        )
        for i in range(departments)
    )
    admin = User.objects.create_user("admin", "admin@example.gov.in", "x")
    RoleAssignment.objects.create(user=admin, role=Role.DISTRICT_ADMIN, district=district)
    return district, depts[0], admin


def _import(district_pk: int, department_pk: int, user_pk: int, content: bytes) -> dict:
    """In the measured child: pass one (check) and pass two (save), as the jobs run them."""
    from samvad.advocacy import staff_import
    from samvad.advocacy.models import StaffImport

    record = StaffImport.objects.create(
        district_id=district_pk,
        department_id=department_pk,
        uploaded_by_id=user_pk,
        filename="staff.xlsx",
        content=content,
    )
    del content
    record = StaffImport.objects.select_related("district", "uploaded_by").get(pk=record.pk)
    with harness.timer() as check:
        staff_import.check_file(record)
    record.status = StaffImport.Status.SAVING
    with harness.timer() as save:
        staff_import.save_file(record)
    return {
        "check_s": check.seconds,
        "save_s": save.seconds,
        "good": record.good,
        "bad": record.bad,
        "created": record.created_count,
    }


def _reimport(district_pk, department_pk, user_pk, content) -> dict:
    from samvad.advocacy import staff_import
    from samvad.advocacy.models import StaffImport

    record = StaffImport.objects.create(
        district_id=district_pk,
        department_id=department_pk,
        uploaded_by_id=user_pk,
        filename="staff.xlsx",
        content=content,
    )
    record = StaffImport.objects.select_related("district", "uploaded_by").get(pk=record.pk)
    staff_import.check_file(record)
    staff_import.save_file(record)
    return {
        "created": record.created_count,
        "updated": record.updated_count,
        "unchanged": record.unchanged_count,
    }


def _naive(content: bytes, district, limit: int) -> float:
    """Whole workbook in memory, then per row: look up, validate, save."""
    from openpyxl import load_workbook

    from samvad.advocacy.models import StaffHandle
    from samvad.org.models import Department, Person

    with harness.timer() as t:
        sheet = load_workbook(io.BytesIO(content)).worksheets[0]
        for n, row in enumerate(sheet.iter_rows(min_row=2, values_only=True)):
            if n >= limit:
                break
            name, designation, code, dept, email, mobile, handle = row
            department = Department.objects.get(district=district, code=dept)
            person = Person.objects.filter(district=district, employee_code=f"N{code}").first()
            person = person or Person(district=district, employee_code=f"N{code}")
            person.name, person.designation, person.department = name, designation, department
            person.email, person.mobile = email, str(mobile)
            person.full_clean()
            person.save()
            if not StaffHandle.objects.filter(handle__iexact=f"n{handle}"[:15]).exists():
                StaffHandle.objects.create(
                    person=person, district=district, handle=f"n{handle}"[:15]
                )
    return t.seconds


def run(params: dict) -> dict:
    rows = params["rows"]
    content, make_s, _rss = harness.in_child(_workbook, rows, params["departments"])
    with harness.postgres_database("bench_import") as url:
        harness.django_setup(url)
        district, department, admin = _setup(params["departments"])
        result, child_s, peak_rss = harness.in_child(
            _import, district.pk, department.pk, admin.pk, content
        )
        again, again_s, again_rss = harness.in_child(
            _reimport, district.pk, department.pk, admin.pk, content
        )
        naive_s = _naive(content, district, params["baseline_rows"])
        engine = harness._database_server(url)["engine"]
    total = result["check_s"] + result["save_s"]
    naive_full_s = naive_s * rows / params["baseline_rows"]
    return {
        "figures": {
            "total_s": round(total, 2),
            "check_s": round(result["check_s"], 2),
            "save_s": round(result["save_s"], 2),
            "peak_rss_mb": round(peak_rss / 2**20, 1),
            "rows": rows,
            "file_mb": round(len(content) / 2**20, 1),
            "good": result["good"],
            "bad": result["bad"],
            "created": result["created"],
            "reimport_s": round(again_s, 2),
            "reimport_changed": again["created"] + again["updated"],
            "reimport_peak_rss_mb": round(again_rss / 2**20, 1),
            "speedup": round(naive_full_s / total, 1),
            "engine": engine,
        },
        "baseline": {
            "method": "whole workbook in memory; one lookup, full_clean and save per row",
            "sample_rows": params["baseline_rows"],
            "sample_s": round(naive_s, 2),
            "extrapolated_s": round(naive_full_s, 1),
        },
    }
