from django.db import migrations, models


class Migration(migrations.Migration):
    """X ids are named x_post_id and x_user_id everywhere. Only the name in Python changes: the
    column keeps its own for a release, since the previous release reads it during an upgrade
    (docs/deploy.md), so nothing happens in the database."""

    dependencies = [("content", "0005_post_one_in_flight_constraint")]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.RenameField(
                    model_name="post", old_name="in_reply_to_x_id", new_name="in_reply_to_x_post_id"
                ),
                migrations.AlterField(
                    model_name="post",
                    name="in_reply_to_x_post_id",
                    field=models.CharField(
                        blank=True, db_column="in_reply_to_x_id", default="", max_length=32
                    ),
                ),
            ],
        ),
    ]
