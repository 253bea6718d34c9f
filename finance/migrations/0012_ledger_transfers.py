"""Transfers between the chama's own accounts (paybill, bank, cash), requested by the treasurer
or the chair and posted only when another official approves: LedgerTransfer, and the
``transfer`` entry type its entry carries."""

import django.db.models.deletion
import uuid
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("finance", "0011_balance_rules_sealed_entries"),
        ("groups", "0002_membership_credit_score"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AlterField(
            model_name="journalentry",
            name="entry_type",
            field=models.CharField(
                choices=[
                    ("contribution", "Contribution"),
                    ("credit_applied", "Member credit applied to dues"),
                    ("payout", "Pot payout"),
                    ("payout_requested", "Pot payout sent (in flight)"),
                    ("payout_completed", "Pot payout completed"),
                    ("payout_failed", "Pot payout failed"),
                    ("welfare_payout", "Welfare payout"),
                    ("welfare_in_flight", "Welfare payout sent (in flight)"),
                    ("welfare_failed", "Welfare payout failed"),
                    ("suspense", "Unidentified receipt"),
                    ("loan_disbursement", "Loan disbursed"),
                    ("loan_in_flight", "Loan sent (in flight)"),
                    ("loan_failed", "Loan disbursement failed"),
                    ("loan_repayment", "Loan repayment"),
                    ("loan_penalty", "Late-installment penalty"),
                    ("guarantor_recovery", "Loan recovered from guarantors"),
                    ("loan_write_off", "Loan written off"),
                    ("reversal", "Reversal"),
                    ("transfer", "Transfer between accounts"),
                ],
                max_length=20,
            ),
        ),
        migrations.CreateModel(
            name="LedgerTransfer",
            fields=[
                (
                    "id",
                    models.UUIDField(
                        default=uuid.uuid4, editable=False, primary_key=True, serialize=False
                    ),
                ),
                ("created_at", models.DateTimeField(auto_now_add=True, db_index=True)),
                ("updated_at", models.DateTimeField(auto_now=True)),
                (
                    "from_account",
                    models.CharField(
                        choices=[
                            ("paybill", "M-Pesa paybill (1010)"),
                            ("bank", "Bank account (1020)"),
                            ("cash", "Cash at hand (1030)"),
                        ],
                        max_length=10,
                    ),
                ),
                (
                    "to_account",
                    models.CharField(
                        choices=[
                            ("paybill", "M-Pesa paybill (1010)"),
                            ("bank", "Bank account (1020)"),
                            ("cash", "Cash at hand (1030)"),
                        ],
                        max_length=10,
                    ),
                ),
                ("amount", models.DecimalField(decimal_places=2, max_digits=14)),
                ("memo", models.CharField(blank=True, max_length=255)),
                (
                    "status",
                    models.CharField(
                        choices=[
                            ("requested", "Requested, awaiting approval"),
                            ("completed", "Completed"),
                            ("rejected", "Rejected"),
                        ],
                        default="requested",
                        max_length=10,
                    ),
                ),
                ("decided_at", models.DateTimeField(blank=True, null=True)),
                ("rejection_reason", models.CharField(blank=True, max_length=255)),
                (
                    "chama",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="ledger_transfers",
                        to="groups.chama",
                    ),
                ),
                (
                    "decided_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "entry",
                    models.OneToOneField(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="finance.journalentry",
                    ),
                ),
                (
                    "requested_by",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={
                "ordering": ["-created_at", "-id"],
                "indexes": [
                    models.Index(fields=["chama", "status"], name="finance_ledgertransfer_status")
                ],
                "constraints": [
                    models.CheckConstraint(
                        condition=models.Q(("amount__gt", 0)),
                        name="finance_ledgertransfer_amount_positive",
                    ),
                    models.CheckConstraint(
                        condition=models.Q(("from_account", models.F("to_account")), _negated=True),
                        name="finance_ledgertransfer_accounts_differ",
                    ),
                    models.CheckConstraint(
                        condition=models.Q(
                            models.Q(("entry__isnull", False), ("status", "completed")),
                            models.Q(
                                models.Q(("status", "completed"), _negated=True),
                                ("entry__isnull", True),
                            ),
                            _connector="OR",
                        ),
                        name="finance_ledgertransfer_completed_iff_posted",
                    ),
                    models.CheckConstraint(
                        condition=models.Q(
                            models.Q(
                                ("decided_at__isnull", True),
                                ("decided_by__isnull", True),
                                ("status", "requested"),
                            ),
                            models.Q(
                                models.Q(("status", "requested"), _negated=True),
                                ("decided_at__isnull", False),
                                ("decided_by__isnull", False),
                            ),
                            _connector="OR",
                        ),
                        name="finance_ledgertransfer_decided_iff_not_requested",
                    ),
                    models.CheckConstraint(
                        condition=models.Q(
                            models.Q(("status", "completed"), _negated=True),
                            models.Q(("decided_by", models.F("requested_by")), _negated=True),
                            _connector="OR",
                        ),
                        name="finance_ledgertransfer_maker_is_not_checker",
                    ),
                    models.CheckConstraint(
                        condition=models.Q(
                            models.Q(("status", "rejected"), _negated=True),
                            models.Q(("rejection_reason", ""), _negated=True),
                            _connector="OR",
                        ),
                        name="finance_ledgertransfer_rejected_has_reason",
                    ),
                ],
            },
        ),
    ]
