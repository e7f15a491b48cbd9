from django.db import migrations, models

# PostgreSQL only: wake the workers' publishing loops (samvad/publishing/dispatcher.py) when a post
# may have become claimable: approved or back in retry_wait, or its account freed because the post
# left `publishing`. Lease renewals (publishing → publishing) do not wake anyone. Notifications
# are sent at commit and collapsed within a transaction, so a bulk update wakes a worker once.
WAKE = """
CREATE FUNCTION publishing_wake() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('samvad_publishing', '');
    RETURN NULL;
END $$;
CREATE TRIGGER publishing_wake AFTER UPDATE ON content_post FOR EACH ROW
    WHEN (NEW.state IN ('approved', 'retry_wait')
          OR (OLD.state = 'publishing' AND NEW.state <> 'publishing'))
    EXECUTE FUNCTION publishing_wake();
"""
NO_WAKE = """
DROP TRIGGER IF EXISTS publishing_wake ON content_post;
DROP FUNCTION IF EXISTS publishing_wake();
"""


def on_postgresql(sql):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(sql)
    return run


class Migration(migrations.Migration):

    dependencies = [
        ("content", "0002_post_in_reply_to_x_id"),
        ("publishing", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="attempt",
            name="worker",
            field=models.CharField(blank=True, db_default="", default="", max_length=200),
        ),
        migrations.RunPython(on_postgresql(WAKE), on_postgresql(NO_WAKE)),
    ]
