from django.db import migrations, models


class Migration(migrations.Migration):
    """An unknown X id is "", never NULL; a post's X id is x_post_id. The repost columns keep
    their name `tweet_id` for a release, since the previous release reads them during an upgrade
    (docs/deploy.md): only the names in Python change."""

    dependencies = [("advocacy", "0005_x_ids_are_text")]

    operations = [
        migrations.AlterField(
            model_name="staffhandle",
            name="x_user_id",
            field=models.CharField(blank=True, db_index=True, max_length=32),
        ),
        migrations.AlterField(
            model_name="taskclick",
            name="tweet_id",
            field=models.CharField(blank=True, db_column="tweet_id", max_length=32),
        ),
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.RemoveConstraint(model_name="staffrepost", name="staff_repost_unique"),
                migrations.RenameField(
                    model_name="staffrepost", old_name="tweet_id", new_name="x_post_id"
                ),
                migrations.RenameField(
                    model_name="taskclick", old_name="tweet_id", new_name="x_post_id"
                ),
                migrations.AddConstraint(
                    model_name="staffrepost",
                    constraint=models.UniqueConstraint(
                        fields=("person", "x_post_id"), name="staff_repost_unique"
                    ),
                ),
            ],
        ),
    ]
