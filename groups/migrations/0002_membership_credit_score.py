"""A member's credit score: governance computes it, groups keeps it, finance reads it."""

import django.core.validators
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("groups", "0001_chama_membership"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="membership",
            name="credit_score",
            field=models.PositiveSmallIntegerField(
                blank=True,
                help_text="0-100, computed by governance's monthly scoring; may lower a loan's rate.",
                null=True,
                validators=[django.core.validators.MaxValueValidator(100)],
            ),
        ),
        migrations.AddConstraint(
            model_name="membership",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("credit_score__isnull", True),
                    models.Q(("credit_score__gte", 0), ("credit_score__lte", 100)),
                    _connector="OR",
                ),
                name="groups_membership_credit_score_0_to_100",
            ),
        ),
    ]
