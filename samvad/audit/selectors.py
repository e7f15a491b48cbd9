"""The audit log's reads that pages show."""

from django.db.models import Q

from samvad.audit.models import AuditEvent


def history(*objects):
    """The audit trail of these objects (a ticket and its reply, say), oldest first; None is
    skipped."""
    wanted = Q(pk__in=[])
    for obj in objects:
        if obj is not None:
            wanted |= Q(object_type=obj._meta.label_lower, object_id=str(obj.pk))
    return AuditEvent.objects.filter(wanted).select_related("actor").order_by("at", "id")
