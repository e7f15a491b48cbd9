"""The append-only audit log: who did what to which object, when, with the before and after.

Every state change writes its row through `record` (or, for many rows at once, `record_all`);
district admins export the log for RTI requests (views.py, export.py).

    from samvad import audit
    audit.record(actor=by, action="post.approve", obj=post, before=before, after=post.snapshot())
"""

from datetime import date, datetime
from decimal import Decimal
from uuid import UUID

# Not `models`: importing samvad.audit.models binds that name on this package.
from django.db.models import Model


def record(*, actor, action: str, obj, before=None, after=None, district=None):
    """Append one event. `district` defaults to obj.district so that the export can be scoped."""
    entry = event(
        actor=actor, action=action, obj=obj, before=before, after=after, district=district
    )
    entry.save()
    return entry


def record_all(events) -> list:
    """Append many events (each made by `event`) in one INSERT."""
    from samvad.audit.models import AuditEvent

    return AuditEvent.objects.bulk_create(list(events))


def event(*, actor, action: str, obj, before=None, after=None, district=None):
    """The event, unsaved: `record_all` appends many at once."""
    # Imported here: this package is imported while Django is still loading the apps.
    from samvad.audit.models import AuditEvent

    if district is None:
        district = getattr(obj, "district", None)
    return AuditEvent(
        actor=actor if actor is not None and actor.is_authenticated else None,
        action=action,
        object_type=obj._meta.label_lower,
        object_id=str(obj.pk),
        object_repr=str(obj)[:200],
        district=district,
        before=_jsonable(before or {}),
        after=_jsonable(after or {}),
    )


def _jsonable(value):
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, UUID | Decimal):
        return str(value)
    if isinstance(value, Model):
        return value.pk
    return value
