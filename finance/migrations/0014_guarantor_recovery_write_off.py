"""Guarantor recovery that settles installments and is refunded first, write-offs that clear
penalties, and the bad debts recovered account (4400) for chamas opened before it."""

import django.db.models.expressions
from decimal import Decimal
from django.conf import settings
from django.db import migrations, models


def open_bad_debts_recovered(apps, schema_editor):
    from finance.chart import BAD_DEBTS_RECOVERED, SPECS

    Chama = apps.get_model("groups", "Chama")
    LedgerAccount = apps.get_model("finance", "LedgerAccount")
    spec = SPECS[BAD_DEBTS_RECOVERED]
    LedgerAccount.objects.bulk_create(
        [
            LedgerAccount(
                chama=chama,
                code=spec.code,
                name=spec.name,
                type=spec.type,
                balance_rule=spec.balance_rule,
            )
            for chama in Chama.objects.all()
        ],
        ignore_conflicts=True,
    )


class Migration(migrations.Migration):
    dependencies = [
        ("finance", "0013_loan_policy_rate_range"),
        ("groups", "0002_membership_credit_score"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="guarantee",
            name="recovered",
            field=models.DecimalField(
                decimal_places=2,
                default=0,
                help_text="Taken from the guarantor's savings.",
                max_digits=14,
            ),
        ),
        migrations.AddField(
            model_name="guarantee",
            name="refunded",
            field=models.DecimalField(
                decimal_places=2,
                default=0,
                help_text="Given back from the borrower's repayments.",
                max_digits=14,
            ),
        ),
        migrations.AddField(
            model_name="installment",
            name="penalty_written_off",
            field=models.DecimalField(decimal_places=2, default=0, max_digits=14),
        ),
        migrations.AddField(
            model_name="installment",
            name="principal_recovered",
            field=models.DecimalField(decimal_places=2, default=0, max_digits=14),
        ),
        migrations.AddField(
            model_name="installment",
            name="principal_written_off",
            field=models.DecimalField(decimal_places=2, default=0, max_digits=14),
        ),
        migrations.AddField(
            model_name="loanrepayment",
            name="recovered",
            field=models.DecimalField(
                decimal_places=2,
                default=0,
                help_text="Paid on a written-off loan: bad debts recovered income.",
                max_digits=14,
            ),
        ),
        migrations.AddField(
            model_name="loanrepayment",
            name="refunded",
            field=models.DecimalField(
                decimal_places=2,
                default=0,
                help_text="Given back to the guarantors first, for what recovery took.",
                max_digits=14,
            ),
        ),
        migrations.AddConstraint(
            model_name="guarantee",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("refunded__gte", 0),
                    (
                        "refunded__lt",
                        django.db.models.expressions.CombinedExpression(
                            models.F("recovered"), "+", models.Value(Decimal("0.005"))
                        ),
                    ),
                ),
                name="finance_guarantee_refunded_within_recovered",
            ),
        ),
        migrations.AddConstraint(
            model_name="guarantee",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("recovered__gte", 0),
                    (
                        "recovered__lt",
                        django.db.models.expressions.CombinedExpression(
                            models.F("amount"), "+", models.Value(Decimal("0.005"))
                        ),
                    ),
                ),
                name="finance_guarantee_recovered_within_amount",
            ),
        ),
        migrations.AddConstraint(
            model_name="installment",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("penalty_written_off__gte", 0),
                    ("principal_recovered__gte", 0),
                    ("principal_written_off__gte", 0),
                    (
                        "principal_recovered__lt",
                        django.db.models.expressions.CombinedExpression(
                            django.db.models.expressions.CombinedExpression(
                                django.db.models.expressions.CombinedExpression(
                                    models.F("principal"), "-", models.F("paid_principal")
                                ),
                                "-",
                                models.F("principal_written_off"),
                            ),
                            "+",
                            models.Value(Decimal("0.005")),
                        ),
                    ),
                    (
                        "penalty_written_off__lt",
                        django.db.models.expressions.CombinedExpression(
                            django.db.models.expressions.CombinedExpression(
                                models.F("penalty_charged"), "-", models.F("paid_penalty")
                            ),
                            "+",
                            models.Value(Decimal("0.005")),
                        ),
                    ),
                ),
                name="finance_installment_settled_within_owed",
            ),
        ),
        migrations.AddConstraint(
            model_name="loanrepayment",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("excess__gte", 0),
                    ("recovered__gte", 0),
                    ("refunded__gte", 0),
                    (
                        "refunded__lt",
                        django.db.models.expressions.CombinedExpression(
                            django.db.models.expressions.CombinedExpression(
                                django.db.models.expressions.CombinedExpression(
                                    models.F("amount"), "-", models.F("excess")
                                ),
                                "-",
                                models.F("recovered"),
                            ),
                            "+",
                            models.Value(Decimal("0.005")),
                        ),
                    ),
                ),
                name="finance_loanrepayment_parts_within_amount",
            ),
        ),
        migrations.RunPython(open_bad_debts_recovered, migrations.RunPython.noop),
    ]
