"""Settings an admin or officer changes write their audit row too, like every post and ticket."""

import json

from django.urls import reverse

from samvad.advocacy.tests.conftest import staff_rows, upload, xlsx_bytes
from samvad.audit.models import AuditEvent


def rows(action):
    return list(AuditEvent.objects.filter(action=action).order_by("pk"))


def test_the_x_app_is_audited_without_its_secret(login, world):
    client = login(world.admin)
    client.post(reverse("x:app"), {"client_id": "first", "client_secret": "the-secret"})
    client.post(reverse("x:app"), {"client_id": "second", "client_secret": ""})
    first, second = rows("xapp.enter")
    assert (first.actor, first.district) == (world.admin, world.dausa)
    assert first.after == {"client_id": "first", "secret_changed": True}
    assert (second.before, second.after) == (
        {"client_id": "first"},
        {"client_id": "second", "secret_changed": False},
    )
    assert "the-secret" not in json.dumps([first.before, first.after, second.after])


def test_the_budget_is_audited_with_before_and_after(login, world):
    client = login(world.admin)
    client.post(reverse("x:budget", args=[world.dausa.pk]), {"daily_inr": "500"})
    client.post(reverse("x:budget", args=[world.dausa.pk]), {"daily_inr": "800"})
    first, second = rows("budget.set")
    assert first.before == {} and first.after["daily_inr"] == 500
    assert (second.before["daily_inr"], second.after["daily_inr"]) == (500, 800)


def test_the_report_recipients_are_audited(login, world):
    client = login(world.admin)
    url = reverse("reports:recipients")
    client.post(url, {"emails": "collector@example.gov.in\n"})
    client.post(url, {"emails": "adc@example.gov.in en\n"})
    last = rows("report.recipients")[-1]
    assert last.before == {"recipients": [["collector@example.gov.in", "hi"]]}
    assert last.after == {"recipients": [["adc@example.gov.in", "en"]]}
    assert (last.actor, last.district) == (world.admin, world.dausa)


def test_a_staff_list_upload_is_audited(login, world):
    record = upload(login(world.officer_a), world.water, xlsx_bytes(staff_rows(2)))
    [event] = rows("staff_import.receive")
    assert (event.actor, event.object_id) == (world.officer_a, str(record.pk))
    assert event.after["filename"] == record.filename
