# The audit log and notifications now belong to their own apps (audit, notifications), which took
# over the tables as they are: here Django's state forgets the models, and no table is dropped.

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("content", "0003_district_four_eyes"),
        ("audit", "0001_initial"),
        ("notifications", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.DeleteModel(name="AuditEvent"),
                migrations.DeleteModel(name="Notification"),
            ],
            database_operations=[],
        ),
    ]
