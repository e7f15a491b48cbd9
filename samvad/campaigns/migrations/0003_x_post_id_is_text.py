from django.db import migrations, models


class Migration(migrations.Migration):
    """X ids are text everywhere, as X gives them (decimal strings). PostgreSQL casts the numbers
    in place; SQLite copies the table."""

    dependencies = [("campaigns", "0002_department_day_staff_from_snapshot")]

    operations = [
        migrations.AlterField(
            model_name="postmetrics",
            name="x_post_id",
            field=models.CharField(max_length=32, primary_key=True, serialize=False),
        ),
        migrations.AlterField(
            model_name="postmetricday",
            name="x_post_id",
            field=models.CharField(max_length=32),
        ),
    ]
