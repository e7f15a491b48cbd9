from django.db import migrations, models


class Migration(migrations.Migration):
    """X ids are text everywhere, as X gives them (decimal strings). PostgreSQL casts the numbers
    in place; SQLite copies the tables. An unknown id becomes "" rather than NULL; NOT NULL comes
    in 0006, in a transaction of its own (PostgreSQL refuses to alter a table it has just updated
    in the same transaction)."""

    dependencies = [("advocacy", "0004_snapshot_reposts_total")]

    operations = [
        migrations.AlterField(
            model_name="staffhandle",
            name="x_user_id",
            field=models.CharField(blank=True, db_index=True, max_length=32, null=True),
        ),
        migrations.AlterField(
            model_name="follower",
            name="x_user_id",
            field=models.CharField(max_length=32),
        ),
        migrations.AlterField(
            model_name="followersighting",
            name="x_user_id",
            field=models.CharField(max_length=32),
        ),
        migrations.AlterField(
            model_name="staffrepost",
            name="tweet_id",
            field=models.CharField(db_column="tweet_id", max_length=32),
        ),
        migrations.AlterField(
            model_name="taskclick",
            name="tweet_id",
            field=models.CharField(blank=True, db_column="tweet_id", max_length=32, null=True),
        ),
        migrations.RunSQL(
            [
                "UPDATE advocacy_staffhandle SET x_user_id = '' WHERE x_user_id IS NULL",
                "UPDATE advocacy_taskclick SET tweet_id = '' WHERE tweet_id IS NULL",
            ],
            [
                "UPDATE advocacy_staffhandle SET x_user_id = NULL WHERE x_user_id = ''",
                "UPDATE advocacy_taskclick SET tweet_id = NULL WHERE tweet_id = ''",
            ],
        ),
    ]
