from django.db import migrations

BATCH = 2000


def keep_in_snapshots(apps, schema_editor):
    """Staff figures a department's day holds and advocacy has no record of become that record,
    so that removing the columns loses nothing. The other snapshot figures were never counted
    for those days and stay 0."""
    DepartmentDay = apps.get_model("campaigns", "DepartmentDay")
    DepartmentSnapshot = apps.get_model("advocacy", "DepartmentSnapshot")
    known = set(DepartmentSnapshot.objects.values_list("department_id", "day"))
    missing = {}
    rows = DepartmentDay.objects.values_list("department_id", "day", "staff", "following")
    for department, day, staff, following in rows.order_by("department_id", "day", "-id"):
        if (department, day) not in known:
            missing.setdefault((department, day), (staff, following))
    DepartmentSnapshot.objects.bulk_create(
        [
            DepartmentSnapshot(department_id=d, day=day, staff=staff, following=following)
            for (d, day), (staff, following) in missing.items()
        ],
        batch_size=BATCH,
    )


def back_from_snapshots(apps, schema_editor):
    """Reversed: each department's day takes its staff figures from the snapshot of that day."""
    DepartmentDay = apps.get_model("campaigns", "DepartmentDay")
    DepartmentSnapshot = apps.get_model("advocacy", "DepartmentSnapshot")
    days = DepartmentDay.objects.values_list("day", flat=True).distinct()
    snapshots = DepartmentSnapshot.objects.filter(day__in=days)
    figures = {(s.department_id, s.day): (s.staff, s.following) for s in snapshots.iterator()}
    rows = list(DepartmentDay.objects.all())
    for row in rows:
        row.staff, row.following = figures.get((row.department_id, row.day), (0, 0))
    DepartmentDay.objects.bulk_update(rows, ["staff", "following"], batch_size=BATCH)


class Migration(migrations.Migration):
    """Staff and following are stored once, in advocacy's daily DepartmentSnapshot."""

    dependencies = [
        ("campaigns", "0001_initial"),
        ("advocacy", "0004_snapshot_reposts_total"),
    ]

    operations = [
        migrations.RunPython(keep_in_snapshots, back_from_snapshots),
        migrations.RemoveField(model_name="departmentday", name="following"),
        migrations.RemoveField(model_name="departmentday", name="staff"),
    ]
