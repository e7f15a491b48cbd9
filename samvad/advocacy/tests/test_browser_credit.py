"""Acceptance: credit within minutes, as an employee sees it. The product's clock and the
sandbox's (both read the process's time) are moved together with time-machine; nothing sleeps.
The worker's steps are run by the test when their time has come."""

from datetime import datetime, timedelta

import pytest
import time_machine
from django.utils import timezone

from samvad.advocacy import sync, task_links
from samvad.advocacy.models import StaffHandle
from samvad.advocacy.tests.conftest import x_calls
from samvad.advocacy.tests.test_credit import run_queued
from samvad.advocacy.tests.test_sync import fans, make_staff
from samvad.jobs.models import Job
from samvad.platforms.x.client import XClient

pytestmark = pytest.mark.browser
START = datetime.fromisoformat("2026-03-02T11:00:10+05:30")


def test_an_employee_is_credited_within_minutes(page, client, world, sandbox, dausa):
    fans(sandbox, 200)
    sandbox.create_user("Ram_Lal")
    colleagues = make_staff(world, 2)
    fans(sandbox, 2, prefix="staff", follow="")
    sync.verify_handles(world.dausa, client=XClient(dausa))
    sync.sync_followers(dausa, client=XClient(dausa), full=True)
    employee = world.employee.person

    with time_machine.travel(START, tick=True) as clock:
        # Registering the handle: checked on X at once, and the page shows the answer.
        page.goto(task_links.task_path(employee))
        page.fill("input[name=handle]", "@Ram_Lal")
        page.check("input[name=consent]")
        page.click("form.form button")
        registered = timezone.now()
        page.wait_for_selector("#handle-state[data-state=waiting]")
        run_queued()  # the worker takes the check queued by the registration
        page.wait_for_selector("#handle-state[data-state=credited]")  # the page polled
        assert timezone.now() - registered < timedelta(seconds=60)
        assert StaffHandle.objects.get(person=employee).status == "verified"

        # Following through the task link, then coming back to the page.
        with page.expect_popup() as popup:
            page.click("#follow")
        intent = popup.value
        intent.wait_for_load_state()
        intent.fill("#username", "Ram_Lal")
        intent.click("button")
        intent.wait_for_selector("text=DmDausa")
        followed = timezone.now()
        intent.close()
        # Two colleagues tap their follow links in the same minutes.
        for person in colleagues:
            client.get(task_links.task_path(person) + "follow/")
        page.reload()
        page.wait_for_selector("#follow-state[data-state=waiting]")
        check = Job.objects.get(name="advocacy.credit_check")
        assert check.run_after - followed <= timedelta(minutes=3)

        sandbox.clear_requests()
        clock.move_to(check.run_after)  # Samvad's clock and the sandbox's, together
        run_queued()
        page.wait_for_selector("#follow-state[data-state=credited]")
        assert timezone.now() - followed <= timedelta(minutes=5)
        assert "पहली बार देखा गया" in page.inner_text("#follow-state")
        # One follower read for the district's window, not one per click.
        assert Job.objects.filter(name="advocacy.credit_check").count() == 1
        assert len(x_calls(sandbox, r"/followers$")) == 1
