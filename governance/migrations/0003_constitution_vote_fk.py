"""ConstitutionVersion.vote_id, a bare UUID until the votes area was merged, becomes a foreign
key to the Vote that adopted the version. The column keeps its name and its values: the field
is renamed in the state only (db_column pins the column), then altered to the key, which adds
the constraint and its index."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("governance", "0002_expenses"),
    ]

    operations = [
        migrations.AlterField(
            model_name="constitutionversion",
            name="vote_id",
            field=models.UUIDField(blank=True, db_column="vote_id", null=True),
        ),
        migrations.RenameField(
            model_name="constitutionversion",
            old_name="vote_id",
            new_name="vote",
        ),
        migrations.AlterField(
            model_name="constitutionversion",
            name="vote",
            field=models.ForeignKey(
                blank=True,
                help_text="The vote that adopted it, if one did.",
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="governance.vote",
            ),
        ),
    ]
