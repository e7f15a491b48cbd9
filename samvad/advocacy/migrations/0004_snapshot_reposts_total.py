from django.db import migrations


class Migration(migrations.Migration):
    """The snapshot's repost count is every repost ever by the department's staff; a campaign's
    reposts are its period's only. The name now says which."""

    dependencies = [("advocacy", "0003_task_clicks")]

    operations = [
        migrations.RenameField(
            model_name="departmentsnapshot", old_name="reposts", new_name="reposts_total"
        ),
    ]
