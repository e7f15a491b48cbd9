import pytest
from django.urls import reverse

from samvad import audit
from samvad.audit.models import AuditEvent


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


def test_the_audit_log_page_renders_for_a_district_admin(login, world):
    audit.record(actor=world.editor, action="post.create", obj=world.water)
    page = login(world.admin).get(reverse("audit:log")).content.decode()
    assert "post.create" in page
