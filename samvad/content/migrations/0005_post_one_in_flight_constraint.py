from django.db import migrations, models

# The index as publishing/0001 made it, for going back.
RAW_INDEX = (
    "CREATE UNIQUE INDEX publishing_one_in_flight_per_account ON content_post (account_id)"
    " WHERE state = 'publishing'"
)


class Migration(migrations.Migration):
    """The one-in-flight index becomes a constraint on Post. publishing/0001 made it with raw SQL,
    unknown to Django; on SQLite a later copy of content_post (content/0002) lost it where
    publishing/0001 had run first. So the old index goes, if there, and the constraint makes it
    again under the same name: every database ends with exactly one."""

    dependencies = [
        ('content', '0004_audit_and_notifications_move_out'),
        ('publishing', '0001_initial'),
    ]

    operations = [
        migrations.RunSQL(
            "DROP INDEX IF EXISTS publishing_one_in_flight_per_account", RAW_INDEX
        ),
        migrations.AddConstraint(
            model_name='post',
            constraint=models.UniqueConstraint(
                condition=models.Q(('state', 'publishing')),
                fields=('account',),
                name='publishing_one_in_flight_per_account',
            ),
        ),
    ]
