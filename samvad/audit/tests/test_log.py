import ast
import csv
import io
import re
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.urls import reverse
from django.utils import translation

from samvad import audit
from samvad.audit.models import ACTIONS, AuditEvent, state_label


def test_the_audit_log_is_append_only(world):
    event = audit.record(actor=world.admin, action="department.edit", obj=world.water)
    with pytest.raises(TypeError):
        event.save()
    with pytest.raises(TypeError):
        AuditEvent.objects.all().delete()
    with pytest.raises(TypeError):
        AuditEvent.objects.update(action="x")


def test_the_audit_export_escapes_formulas(login, world):
    audit.record(actor=world.editor, action='=HYPERLINK("http://evil")', obj=world.water)
    client = login(world.admin)
    csv_text = client.get(reverse("audit:download", args=["csv"])).content.decode()
    assert "'=HYPERLINK" in csv_text
    assert ",=HYPERLINK" not in csv_text
    xlsx = client.get(reverse("audit:download", args=["xlsx"]))
    assert xlsx.status_code == 200 and xlsx.content[:2] == b"PK"
    assert login(world.editor).get(reverse("audit:download", args=["csv"])).status_code == 403


def test_the_audit_export_is_scoped_to_the_district(login, world):
    audit.record(
        actor=world.editor, action="post.create", obj=world.water, after={"text": "दौसा की पोस्ट"}
    )
    export = reverse("audit:download", args=["csv"])
    assert "दौसा की पोस्ट" in login(world.admin).get(export).content.decode()
    assert "दौसा की पोस्ट" not in login(world.alwar_admin).get(export).content.decode()


def test_the_audit_log_page_names_each_action_in_words(login, world):
    audit.record(actor=world.editor, action="post.create", obj=world.water)
    page = login(world.admin).get(reverse("audit:log")).content.decode()
    assert "पोस्ट बनाई गई" in page and "post.create" not in page


def test_the_audit_export_keeps_the_code_beside_the_words(login, world):
    audit.record(actor=None, action="ticket.open", obj=world.water, after={"status": "new"})
    body = login(world.admin).get(reverse("audit:download", args=["csv"])).content
    [row] = csv.DictReader(io.StringIO(body.decode("utf-8-sig")))
    assert (row["action"], row["action_code"]) == ("शिकायत-प्रकरण खोला गया", "ticket.open")
    assert row["actor"] == "सिस्टम" and row["at"].endswith("+05:30")
    assert row["after"] == '{"status": "new"}'


def test_every_action_the_product_records_has_a_label():
    assert recorded_actions() - set(ACTIONS) == set()


def test_a_state_is_named_by_its_models_choices():
    with translation.override("en"):
        assert state_label("content.post", "state", "uncertain") == "Uncertain"
        assert state_label("inbox.ticket", "status", "no_action") == "No action needed"
        assert state_label("org.department", "state", "x") == "x"  # no such field: as stored


def recorded_actions() -> set[str]:
    """The action codes written in the product's code: dotted words in the modules that write
    audit rows (the audit app's own, which lists them, aside), less Django's model labels (the
    rows' object_type)."""
    shape = re.compile(r"^[a-z_]+\.[a-z_]+$")
    model_labels = {m._meta.label_lower for m in apps.get_models()}
    found = set()
    for path in Path(settings.BASE_DIR).rglob("*.py"):
        if {"tests", "migrations", "audit"} & set(path.parts):
            continue
        source = path.read_text()
        if not re.search(r"audit\.(record|event)\(|AuditEvent\b", source):
            continue
        for node in ast.walk(ast.parse(source)):
            value = node.value if isinstance(node, ast.Constant) else None
            if isinstance(value, str) and shape.match(value) and value not in model_labels:
                found.add(value)
    return found
