"""Investment holdings' sub-accounts of 1200 and the investment entry types.

A ledger account may belong to one investment holding (``holding_id``, a plain id: finance
cannot name investments' table); a holding has one account, always under 1200. On
PostgreSQL the account guard of 0011 also refuses a change of that owner.
"""

from django.db import migrations, models

GUARD = r"""
CREATE OR REPLACE FUNCTION finance_ledgeraccount_guard() RETURNS trigger AS $$
DECLARE
    v_repair boolean := coalesce(current_setting('hazina.ledger_repair', true), '') = 'on';
BEGIN
    IF NEW.chama_id <> OLD.chama_id OR NEW.code <> OLD.code
       OR NEW.member_id IS DISTINCT FROM OLD.member_id
       OR NEW.round_id IS DISTINCT FROM OLD.round_id
       OR NEW.holding_id IS DISTINCT FROM OLD.holding_id THEN
        RAISE EXCEPTION 'a ledger account never changes its chama, code or owner'
            USING ERRCODE = 'restrict_violation';
    END IF;
    IF (NEW.type <> OLD.type OR NEW.balance_rule <> OLD.balance_rule) AND NOT v_repair THEN
        RAISE EXCEPTION 'a ledger account''s type and balance rule change only in a repair session'
            USING ERRCODE = 'restrict_violation';
    END IF;
    IF NEW.cached_balance <> OLD.cached_balance AND pg_trigger_depth() < 2
       AND NOT v_repair THEN
        RAISE EXCEPTION 'balances change only through postings'
            USING ERRCODE = 'restrict_violation';
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;
"""

GUARD_BEFORE = GUARD.replace("\n       OR NEW.holding_id IS DISTINCT FROM OLD.holding_id", "")


def run_on_postgresql(sql):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            with schema_editor.connection.cursor() as cursor:
                cursor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [
        ("finance", "0017_expense_entry_types"),
        ("groups", "0005_signature"),
    ]

    operations = [
        migrations.RemoveConstraint(
            model_name="ledgeraccount",
            name="finance_ledgeraccount_chama_code_unique",
        ),
        migrations.RemoveConstraint(
            model_name="ledgeraccount",
            name="finance_ledgeraccount_one_owner",
        ),
        migrations.AddField(
            model_name="ledgeraccount",
            name="holding_id",
            field=models.UUIDField(blank=True, editable=False, null=True),
        ),
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
                    ("fine", "Fine issued"),
                    ("fine_payment", "Fine paid"),
                    ("fine_waiver", "Fine waived"),
                    ("expense_approved", "Expense approved"),
                    ("expense_paid", "Expense paid"),
                    ("investment_placed", "Investment placed"),
                    ("investment_in_flight", "Investment sent (in flight)"),
                    ("investment_failed", "Investment placement failed"),
                    ("investment_income", "Investment income credited"),
                    ("investment_matured", "Investment matured"),
                ],
                max_length=20,
            ),
        ),
        migrations.AddConstraint(
            model_name="ledgeraccount",
            constraint=models.UniqueConstraint(
                condition=models.Q(
                    ("holding_id__isnull", True), ("member__isnull", True), ("round__isnull", True)
                ),
                fields=("chama", "code"),
                name="finance_ledgeraccount_chama_code_unique",
            ),
        ),
        migrations.AddConstraint(
            model_name="ledgeraccount",
            constraint=models.UniqueConstraint(
                condition=models.Q(("holding_id__isnull", False)),
                fields=("holding_id",),
                name="finance_ledgeraccount_holding_unique",
            ),
        ),
        migrations.AddConstraint(
            model_name="ledgeraccount",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(("member__isnull", True), ("round__isnull", True)),
                    models.Q(("holding_id__isnull", True), ("member__isnull", True)),
                    models.Q(("holding_id__isnull", True), ("round__isnull", True)),
                    _connector="OR",
                ),
                name="finance_ledgeraccount_one_owner",
            ),
        ),
        migrations.AddConstraint(
            model_name="ledgeraccount",
            constraint=models.CheckConstraint(
                condition=models.Q(("holding_id__isnull", True), ("code", "1200"), _connector="OR"),
                name="finance_ledgeraccount_holding_is_investment",
            ),
        ),
        migrations.RunPython(run_on_postgresql(GUARD), run_on_postgresql(GUARD_BEFORE)),
    ]
