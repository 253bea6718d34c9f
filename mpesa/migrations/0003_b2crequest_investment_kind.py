"""B2C requests may carry an investment placement's kind (finance.gateways.TransferKind)."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("mpesa", "0002_fine_payments"),
    ]

    operations = [
        migrations.AlterField(
            model_name="b2crequest",
            name="kind",
            field=models.CharField(
                choices=[
                    ("payout", "Round pot payout"),
                    ("loan", "Loan disbursement"),
                    ("welfare", "Welfare claim"),
                    ("investment", "Investment placement"),
                ],
                max_length=10,
            ),
        ),
    ]
