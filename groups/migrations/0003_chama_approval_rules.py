from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("groups", "0002_membership_credit_score"),
    ]

    operations = [
        migrations.AddField(
            model_name="chama",
            name="approval_rules",
            field=models.JSONField(blank=True, default=dict),
        ),
    ]
