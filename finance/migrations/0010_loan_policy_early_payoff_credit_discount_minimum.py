"""Early payoff, the credit-score discount and the minimum principal.

An installment's total must equal its principal plus interest to within half a cent: SQLite
adds decimals as floats, so the exact check refused reducing-balance schedules there
(7,884.88 + 1,000.00 ≠ 8,884.88); in whole cents, as on PostgreSQL, it is the same rule.

The policy's rebate was a decimal fraction that nothing read; it becomes a percent (0.25 →
25.00). Loans made before now keep their rate as the base rate (no discount) and take the
early-repayment rule their chama's policy has today, as they were never given one.
"""

import django.core.validators
import django.db.models.expressions
from decimal import Decimal
from django.conf import settings
from django.db import migrations, models

HUNDRED = Decimal("100")


def rebate_to_percent(apps, schema_editor):
    LoanPolicy = apps.get_model("finance", "LoanPolicy")
    for policy in LoanPolicy.objects.exclude(early_repayment_rebate=0):
        percent = min(max(policy.early_repayment_rebate * HUNDRED, Decimal("0")), HUNDRED)
        policy.early_repayment_rebate_percent = percent.quantize(Decimal("0.01"))
        policy.save(update_fields=["early_repayment_rebate_percent"])


def rebate_to_fraction(apps, schema_editor):
    LoanPolicy = apps.get_model("finance", "LoanPolicy")
    for policy in LoanPolicy.objects.exclude(early_repayment_rebate_percent=0):
        policy.early_repayment_rebate = policy.early_repayment_rebate_percent / HUNDRED
        policy.save(update_fields=["early_repayment_rebate"])


def existing_loans_take_their_terms(apps, schema_editor):
    # One UPDATE per row: on PostgreSQL a second UPDATE of a row this transaction already
    # changed queues its deferred foreign-key checks, and ALTER TABLE then refuses to run
    # ("pending trigger events").
    Loan = apps.get_model("finance", "Loan")
    LoanPolicy = apps.get_model("finance", "LoanPolicy")
    for policy in LoanPolicy.objects.all():
        Loan.objects.filter(chama_id=policy.chama_id).update(
            base_interest_rate=models.F("interest_rate"),
            early_repayment=policy.early_repayment,
            early_repayment_rebate_percent=policy.early_repayment_rebate_percent,
        )
    Loan.objects.filter(base_interest_rate__isnull=True).update(
        base_interest_rate=models.F("interest_rate")
    )


class Migration(migrations.Migration):
    dependencies = [
        ("finance", "0009_transfers_in_flight_and_suspense"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="installment",
            name="interest_waived",
            field=models.DecimalField(decimal_places=2, default=0, max_digits=14),
        ),
        migrations.AddField(
            model_name="loan",
            name="base_interest_rate",
            field=models.DecimalField(
                decimal_places=6,
                help_text="The rate before the credit-score discount.",
                max_digits=9,
                null=True,
            ),
        ),
        migrations.AddField(
            model_name="loan",
            name="credit_discount_percent",
            field=models.DecimalField(
                decimal_places=2,
                default=Decimal("0"),
                help_text="The credit-score discount applied.",
                max_digits=5,
                validators=[
                    django.core.validators.MinValueValidator(Decimal("0")),
                    django.core.validators.MaxValueValidator(Decimal("100")),
                ],
            ),
        ),
        migrations.AddField(
            model_name="loan",
            name="credit_score",
            field=models.PositiveSmallIntegerField(
                blank=True,
                help_text="The borrower's credit score when they applied.",
                null=True,
                validators=[django.core.validators.MaxValueValidator(100)],
            ),
        ),
        migrations.AddField(
            model_name="loan",
            name="early_repayment",
            field=models.CharField(
                choices=[
                    (
                        "interest_to_date",
                        "Interest to the payoff date (reducing balance)",
                    ),
                    ("full_interest", "All the scheduled interest (flat)"),
                    ("rebate", "Scheduled interest less a rebate on what is not yet due (flat)"),
                ],
                default="full_interest",
                max_length=20,
            ),
        ),
        migrations.AddField(
            model_name="loan",
            name="early_repayment_rebate_percent",
            field=models.DecimalField(
                decimal_places=2,
                default=Decimal("0"),
                max_digits=5,
                validators=[
                    django.core.validators.MinValueValidator(Decimal("0")),
                    django.core.validators.MaxValueValidator(Decimal("100")),
                ],
            ),
        ),
        migrations.AddField(
            model_name="loanpolicy",
            name="credit_discount_min_score",
            field=models.PositiveSmallIntegerField(
                blank=True,
                help_text="Members with at least this credit score (0-100) pay a lower rate; empty: no discount.",
                null=True,
                validators=[django.core.validators.MaxValueValidator(100)],
            ),
        ),
        migrations.AddField(
            model_name="loanpolicy",
            name="credit_discount_percent",
            field=models.DecimalField(
                decimal_places=2,
                default=Decimal("0"),
                help_text="How much lower: this percent of the rate (20 makes 10% a month 8%).",
                max_digits=5,
                validators=[
                    django.core.validators.MinValueValidator(Decimal("0")),
                    django.core.validators.MaxValueValidator(Decimal("100")),
                ],
            ),
        ),
        migrations.AddField(
            model_name="loanpolicy",
            name="early_repayment_rebate_percent",
            field=models.DecimalField(
                decimal_places=2,
                default=Decimal("0"),
                help_text="Under the rebate rule: the percent of the interest not yet due that is let go.",
                max_digits=5,
                validators=[
                    django.core.validators.MinValueValidator(Decimal("0")),
                    django.core.validators.MaxValueValidator(Decimal("100")),
                ],
            ),
        ),
        migrations.RunPython(rebate_to_percent, rebate_to_fraction),
        migrations.RemoveField(
            model_name="loanpolicy",
            name="early_repayment_rebate",
        ),
        migrations.AddField(
            model_name="loanpolicy",
            name="min_principal",
            field=models.DecimalField(
                decimal_places=2,
                default=Decimal("100.00"),
                help_text="The smallest loan the chama makes.",
                max_digits=14,
                validators=[django.core.validators.MinValueValidator(Decimal("0.01"))],
            ),
        ),
        migrations.AlterField(
            model_name="loanpolicy",
            name="early_repayment",
            field=models.CharField(
                choices=[
                    (
                        "interest_to_date",
                        "Interest to the payoff date (reducing balance)",
                    ),
                    ("full_interest", "All the scheduled interest (flat)"),
                    ("rebate", "Scheduled interest less a rebate on what is not yet due (flat)"),
                ],
                default="full_interest",
                help_text="What a loan paid off early owes in interest.",
                max_length=20,
            ),
        ),
        migrations.RunPython(existing_loans_take_their_terms, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="loan",
            name="base_interest_rate",
            field=models.DecimalField(
                decimal_places=6,
                help_text="The rate before the credit-score discount.",
                max_digits=9,
            ),
        ),
        migrations.RemoveConstraint(model_name="installment", name="finance_installment_total"),
        migrations.AddConstraint(
            model_name="installment",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    (
                        "total__gt",
                        django.db.models.expressions.CombinedExpression(
                            django.db.models.expressions.CombinedExpression(
                                models.F("principal"), "+", models.F("interest")
                            ),
                            "-",
                            models.Value(Decimal("0.005")),
                        ),
                    ),
                    (
                        "total__lt",
                        django.db.models.expressions.CombinedExpression(
                            django.db.models.expressions.CombinedExpression(
                                models.F("principal"), "+", models.F("interest")
                            ),
                            "+",
                            models.Value(Decimal("0.005")),
                        ),
                    ),
                ),
                name="finance_installment_total",
            ),
        ),
        migrations.AddConstraint(
            model_name="installment",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("interest_waived__gte", 0),
                    (
                        "interest_waived__lt",
                        django.db.models.expressions.CombinedExpression(
                            django.db.models.expressions.CombinedExpression(
                                models.F("interest"), "-", models.F("paid_interest")
                            ),
                            "+",
                            models.Value(Decimal("0.005")),
                        ),
                    ),
                ),
                name="finance_installment_waiver_within_interest",
            ),
        ),
        migrations.AddConstraint(
            model_name="loan",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("credit_discount_percent__gte", 0),
                    ("credit_discount_percent__lte", 100),
                    ("early_repayment_rebate_percent__gte", 0),
                    ("early_repayment_rebate_percent__lte", 100),
                ),
                name="finance_loan_percents_0_to_100",
            ),
        ),
        migrations.AddConstraint(
            model_name="loan",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("interest_rate__gte", 0),
                    ("interest_rate__lte", models.F("base_interest_rate")),
                ),
                name="finance_loan_discount_lowers_the_rate",
            ),
        ),
        migrations.AddConstraint(
            model_name="loanpolicy",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("credit_discount_percent__gte", 0),
                    ("credit_discount_percent__lte", 100),
                    ("early_repayment_rebate_percent__gte", 0),
                    ("early_repayment_rebate_percent__lte", 100),
                ),
                name="finance_loanpolicy_percents_0_to_100",
            ),
        ),
        migrations.AddConstraint(
            model_name="loanpolicy",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("credit_discount_min_score__isnull", True),
                    ("credit_discount_min_score__lte", 100),
                    _connector="OR",
                ),
                name="finance_loanpolicy_discount_score_0_to_100",
            ),
        ),
        migrations.AddConstraint(
            model_name="loanpolicy",
            constraint=models.CheckConstraint(
                condition=models.Q(("min_principal__gt", 0)),
                name="finance_loanpolicy_min_principal_positive",
            ),
        ),
    ]
