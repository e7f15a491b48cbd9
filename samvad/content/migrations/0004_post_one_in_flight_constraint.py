from django.db import migrations, models


class Migration(migrations.Migration):
    """The one-in-flight index becomes a constraint on Post. publishing/0001 created the index under
    this name with raw SQL on every database, so only the state learns of it; no index moves."""

    dependencies = [
        ('content', '0003_district_four_eyes'),
        ('publishing', '0001_initial'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AddConstraint(
                    model_name='post',
                    constraint=models.UniqueConstraint(
                        condition=models.Q(('state', 'publishing')),
                        fields=('account',),
                        name='publishing_one_in_flight_per_account',
                    ),
                ),
            ],
        ),
    ]
