from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("investments", "0005_profit_declarations"),
    ]

    operations = [
        # Snapshots taken before the welfare forecast kept the constitution's buffer.
        migrations.AddField(
            model_name="idlecashsnapshot",
            name="welfare_source",
            field=models.CharField(
                choices=[
                    ("history", "Forecast from the claim history"),
                    ("constitution", "The constitution's welfare buffer"),
                    ("none", "No history and no constitution"),
                ],
                default="constitution",
                max_length=12,
            ),
            preserve_default=False,
        ),
    ]
