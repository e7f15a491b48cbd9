import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    """An import keeps its checked rows a batch per record (StaffImportBatch), no longer one row per
    record (StaffImportRow). Only the names in Python change: the table and its columns stay, so
    the previous release runs against this schema during an upgrade (docs/deploy.md)."""

    dependencies = [("advocacy", "0006_x_ids_named_and_not_null")]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.RenameModel(old_name="StaffImportRow", new_name="StaffImportBatch"),
                migrations.AlterModelTable(
                    name="staffimportbatch", table="advocacy_staffimportrow"
                ),
                migrations.RenameField(
                    model_name="staffimportbatch", old_name="values", new_name="rows"
                ),
                migrations.AlterField(
                    model_name="staffimportbatch",
                    name="rows",
                    field=models.JSONField(db_column="values"),
                ),
                migrations.AlterField(
                    model_name="staffimportbatch",
                    name="staff_import",
                    field=models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="batches",
                        to="advocacy.staffimport",
                    ),
                ),
            ]
        )
    ]
