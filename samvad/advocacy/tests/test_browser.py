"""Acceptance 1, as people do it: an officer uploads a 500-row list with 20 bad rows, reads the
report and saves the 480 good rows; the handles are verified against the sandbox; three employees
follow @DmDausa through the sandbox's intent page; after the sync the department shows them."""

import pytest

from samvad.advocacy import jobs, task_links
from samvad.advocacy.models import StaffHandle
from samvad.advocacy.tests.conftest import run_jobs, staff_rows, xlsx_bytes
from samvad.conftest import log_in
from samvad.jobs.registry import enqueue
from samvad.org.models import Person

pytestmark = pytest.mark.browser


@pytest.fixture(autouse=True)
def _ample_budget(settings):
    settings.SAMVAD_X_DAILY_BUDGET_INR = 100_000  # thousands of followers and handles read


def five_hundred_rows_with_twenty_bad() -> list[list]:
    rows = staff_rows(480)
    bad = []
    for i in range(5):
        bad.append(["", "लिपिक", f"X{i}", "", "", "", ""])  # missing name
        bad.append(["नाम", "लिपिक", f"Y{i}", "", "", "", f"@bad handle {i}"])
        bad.append(["नाम", "लिपिक", f"E{i + 1:06d}", "", "", "", ""])  # duplicate code
        bad.append(["नाम", "लिपिक", f"Z{i}", "Police", "", "", ""])  # unknown department
    for n, row in enumerate(bad):  # spread through the file
        rows.insert(n * 24 + 7, row)
    return rows


def test_an_officer_brings_the_department_on_board(page, world, sandbox, dausa):
    sandbox.call("POST", "users", json={"count": 480, "prefix": "staff"})
    log_in(page, "officer_a")

    page.goto(f"/advocacy/departments/{world.water.pk}/upload/")
    page.set_input_files(
        "input[type=file]",
        files=[
            {
                "name": "staff.xlsx",
                "mimeType": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                "buffer": xlsx_bytes(five_hundred_rows_with_twenty_bad()),
            }
        ],
    )
    page.click("form.form button")
    page.wait_for_selector("#import-status[data-status=checking]")
    run_jobs()
    page.wait_for_selector("#summary")  # the page polled until the report was ready
    assert "480" in page.inner_text("#summary") and "20" in page.inner_text("#summary")
    assert page.locator("#problems tbody tr").count() == 20
    assert not Person.objects.filter(employee_code__startswith="E0").exists()

    page.click("#import-status form button")  # save the good rows, fixing nothing
    run_jobs()  # saves, then verifies the handles on the sandbox
    page.wait_for_selector("#saved")
    assert (
        Person.objects.filter(department=world.water, employee_code__startswith="E0").count() == 480
    )
    assert StaffHandle.objects.filter(status="verified").count() == 480

    for code in ("E000010", "E000200", "E000480"):
        person = Person.objects.get(employee_code=code)
        employee = page.context.new_page()
        employee.goto(task_links.task_path(person))
        with employee.expect_popup() as popup:
            employee.click("#follow")
        intent = popup.value
        intent.wait_for_load_state()
        intent.fill("#username", person.x_handle.handle)
        intent.click("button")
        intent.wait_for_selector("text=DmDausa")
        intent.close()
        employee.close()

    enqueue(jobs.sync_followers, district_id=world.dausa.pk)
    run_jobs()
    page.goto(f"/advocacy/departments/{world.water.pk}/")
    assert page.inner_text("#following-count") == "3"
    for code in ("E000010", "E000200", "E000480"):
        row = page.locator(f"#staff tr[data-code={code}] td.following")
        assert any(ch.isdigit() for ch in row.inner_text())
