import django.db.models.functions.text
from django.db import migrations, models


class Migration(migrations.Migration):
    """X ids are named x_post_id and x_user_id everywhere. Only the names in Python change: the
    columns keep theirs for a release, since the previous release reads them during an upgrade
    (docs/deploy.md), so nothing happens in the database."""

    dependencies = [("inbox", "0001_initial")]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.RemoveConstraint(model_name="mention", name="mention_once_per_district"),
                migrations.RenameField(model_name="mention", old_name="x_id", new_name="x_post_id"),
                migrations.AlterField(
                    model_name="mention",
                    name="x_post_id",
                    field=models.CharField(db_column="x_id", max_length=32),
                ),
                migrations.RenameField(
                    model_name="mention", old_name="author_x_id", new_name="author_x_user_id"
                ),
                migrations.AlterField(
                    model_name="mention",
                    name="author_x_user_id",
                    field=models.CharField(db_column="author_x_id", max_length=32),
                ),
                migrations.RenameField(
                    model_name="mention",
                    old_name="in_reply_to_x_id",
                    new_name="in_reply_to_x_post_id",
                ),
                migrations.AlterField(
                    model_name="mention",
                    name="in_reply_to_x_post_id",
                    field=models.CharField(blank=True, db_column="in_reply_to_x_id", max_length=32),
                ),
                migrations.AddConstraint(
                    model_name="mention",
                    constraint=models.UniqueConstraint(
                        fields=("district", "x_post_id"), name="mention_once_per_district"
                    ),
                ),
            ],
        ),
        migrations.AlterModelOptions(
            name="mention",
            options={
                "ordering": [
                    django.db.models.functions.text.Length("x_post_id").desc(),
                    "-x_post_id",
                ]
            },
        ),
    ]
