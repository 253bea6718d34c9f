"""Balance rules, balances kept by the database, sealed entries and fixed account identity.

Every account carries the rule of its chart line (money held and owed never go below zero in
their normal direction), and a CHECK refuses a balance that breaks it on every database.
Existing accounts take their rule from the chart; the migration stops, naming them, if any is
already overdrawn — such books need a treasurer's correcting entry first.

On PostgreSQL:

- A journal entry records the top-level transaction that created it (``txid``, a column the
  database fills in itself; ``txid_current()`` is the top-level transaction even inside a
  savepoint). A posting may be inserted only for an entry of the current transaction, so a
  committed entry can never gain legs. Entries made before this migration are sealed (txid 0).
- Balances are kept by the database from posting inserts: a deferred constraint trigger applies
  every posting of the transaction once, at commit or when the ledger writer fires it early with
  SET CONSTRAINTS, locking each account in pk order with a conditional UPDATE that must touch
  its row (SQLSTATE HZ001, with the account and the delta as JSON, when it does not).
- A direct UPDATE of a balance is refused: balances change only inside that trigger
  (``pg_trigger_depth() > 1``) or in a repair session (``SET LOCAL hazina.ledger_repair =
  'on'``, for mending a drift the nightly proof reported). An account's chama, code and owner
  never change; its type and rule only in a repair session.
- The per-posting balance check of 0002 is dropped: with entries sealed, the per-entry check at
  commit sees all of an entry's postings, and checking once per posting repeated the work while
  the balance locks were held.
"""

from django.db import migrations, models
from django.db.models import Q

FORWARD = r"""
ALTER TABLE finance_journalentry ADD COLUMN txid bigint NOT NULL DEFAULT 0;

CREATE OR REPLACE FUNCTION finance_journalentry_txid() RETURNS trigger AS $$
BEGIN
    NEW.txid := txid_current();
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER finance_journalentry_txid
    BEFORE INSERT ON finance_journalentry
    FOR EACH ROW EXECUTE FUNCTION finance_journalentry_txid();

CREATE OR REPLACE FUNCTION finance_posting_sealed() RETURNS trigger AS $$
BEGIN
    IF EXISTS (
        SELECT 1 FROM new_postings p JOIN finance_journalentry e ON e.id = p.entry_id
         WHERE e.txid <> txid_current()
    ) THEN
        RAISE EXCEPTION 'journal entries are sealed: postings may be added only in the transaction that created the entry'
            USING ERRCODE = 'restrict_violation';
    END IF;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER finance_posting_sealed
    AFTER INSERT ON finance_posting
    REFERENCING NEW TABLE AS new_postings
    FOR EACH STATEMENT EXECUTE FUNCTION finance_posting_sealed();

CREATE OR REPLACE FUNCTION finance_posting_balance() RETURNS trigger AS $$
DECLARE
    v_applied bigint := coalesce(
        nullif(current_setting('hazina.balances_applied_through', true), ''), '0')::bigint;
    v_through bigint;
    v_account record;
    v_refused record;
BEGIN
    -- The first posting of the transaction still to apply applies all of them, so that every
    -- account is locked once and in pk order; the later ones find nothing left.
    IF NEW.id <= v_applied THEN
        RETURN NULL;
    END IF;
    SELECT max(p.id) INTO v_through
      FROM finance_posting p JOIN finance_journalentry e ON e.id = p.entry_id
     WHERE p.id >= NEW.id AND e.txid = txid_current();
    FOR v_account IN
        SELECT p.account_id,
               sum(CASE p.side WHEN 'D' THEN p.amount ELSE -p.amount END) AS delta
          FROM finance_posting p JOIN finance_journalentry e ON e.id = p.entry_id
         WHERE p.id >= NEW.id AND p.id <= v_through AND e.txid = txid_current()
         GROUP BY p.account_id
         ORDER BY p.account_id
    LOOP
        UPDATE finance_ledgeraccount a
           SET cached_balance = a.cached_balance + v_account.delta
         WHERE a.id = v_account.account_id
           AND CASE a.balance_rule
                   WHEN 'credits_le_debits' THEN a.cached_balance + v_account.delta >= 0
                   WHEN 'debits_le_credits' THEN a.cached_balance + v_account.delta <= 0
                   ELSE true
               END;
        IF NOT FOUND THEN
            SELECT a.code, a.name, a.type, a.cached_balance, c.currency INTO v_refused
              FROM finance_ledgeraccount a JOIN groups_chama c ON c.id = a.chama_id
             WHERE a.id = v_account.account_id;
            RAISE EXCEPTION 'insufficient funds in account % (%)', v_refused.code, v_account.account_id
                USING ERRCODE = 'HZ001',
                      DETAIL = json_build_object(
                          'account', v_account.account_id, 'code', v_refused.code,
                          'name', v_refused.name, 'type', v_refused.type,
                          'balance', v_refused.cached_balance, 'currency', v_refused.currency,
                          'delta', v_account.delta)::text;
        END IF;
    END LOOP;
    PERFORM set_config('hazina.balances_applied_through', v_through::text, true);
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;

CREATE CONSTRAINT TRIGGER finance_posting_balance
    AFTER INSERT ON finance_posting
    DEFERRABLE INITIALLY DEFERRED
    FOR EACH ROW EXECUTE FUNCTION finance_posting_balance();

CREATE OR REPLACE FUNCTION finance_ledgeraccount_guard() RETURNS trigger AS $$
DECLARE
    v_repair boolean := coalesce(current_setting('hazina.ledger_repair', true), '') = 'on';
BEGIN
    IF NEW.chama_id <> OLD.chama_id OR NEW.code <> OLD.code
       OR NEW.member_id IS DISTINCT FROM OLD.member_id
       OR NEW.round_id IS DISTINCT FROM OLD.round_id THEN
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

CREATE TRIGGER finance_ledgeraccount_guard
    BEFORE UPDATE ON finance_ledgeraccount
    FOR EACH ROW EXECUTE FUNCTION finance_ledgeraccount_guard();

DROP TRIGGER IF EXISTS finance_posting_entry_check ON finance_posting;
"""

BACKWARD = r"""
CREATE CONSTRAINT TRIGGER finance_posting_entry_check
    AFTER INSERT ON finance_posting
    DEFERRABLE INITIALLY DEFERRED
    FOR EACH ROW EXECUTE FUNCTION finance_entry_check();
DROP TRIGGER IF EXISTS finance_ledgeraccount_guard ON finance_ledgeraccount;
DROP FUNCTION IF EXISTS finance_ledgeraccount_guard();
DROP TRIGGER IF EXISTS finance_posting_balance ON finance_posting;
DROP FUNCTION IF EXISTS finance_posting_balance();
DROP TRIGGER IF EXISTS finance_posting_sealed ON finance_posting;
DROP FUNCTION IF EXISTS finance_posting_sealed();
DROP TRIGGER IF EXISTS finance_journalentry_txid ON finance_journalentry;
DROP FUNCTION IF EXISTS finance_journalentry_txid();
ALTER TABLE finance_journalentry DROP COLUMN txid;
"""


def run_on_postgresql(sql):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            # A plain cursor: the PL/pgSQL bodies contain % placeholders of RAISE, not params.
            with schema_editor.connection.cursor() as cursor:
                cursor.execute(sql)

    return run


def rules_from_chart(apps, schema_editor):
    from finance.chart import SPECS
    from finance.choices import BalanceRule

    LedgerAccount = apps.get_model("finance", "LedgerAccount")
    overdrawn = []
    for rule in BalanceRule:
        codes = [code for code, spec in SPECS.items() if spec.balance_rule == rule]
        accounts = LedgerAccount.objects.filter(code__in=codes)
        if rule == BalanceRule.CREDITS_MUST_NOT_EXCEED_DEBITS:
            overdrawn += accounts.filter(cached_balance__lt=0)
        elif rule == BalanceRule.DEBITS_MUST_NOT_EXCEED_CREDITS:
            overdrawn += accounts.filter(cached_balance__gt=0)
        accounts.update(balance_rule=rule)
    if overdrawn:
        names = ", ".join(f"{a.code} {a.name} of chama {a.chama_id}" for a in overdrawn)
        raise RuntimeError(f"These accounts are already overdrawn; correct them first: {names}")


class Migration(migrations.Migration):
    dependencies = [
        ("finance", "0010_loan_policy_early_payoff_credit_discount_minimum"),
        ("groups", "0001_chama_membership"),
    ]

    operations = [
        migrations.AddField(
            model_name="ledgeraccount",
            name="balance_rule",
            field=models.CharField(
                choices=[
                    ("none", "No rule"),
                    ("credits_le_debits", "Credits must not exceed debits"),
                    ("debits_le_credits", "Debits must not exceed credits"),
                ],
                default="none",
                editable=False,
                max_length=20,
            ),
        ),
        migrations.RunPython(rules_from_chart, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="ledgeraccount",
            constraint=models.CheckConstraint(
                condition=Q(balance_rule="none")
                | Q(balance_rule="credits_le_debits", cached_balance__gte=0)
                | Q(balance_rule="debits_le_credits", cached_balance__lte=0),
                name="finance_ledgeraccount_balance_rule",
            ),
        ),
        migrations.RunPython(run_on_postgresql(FORWARD), run_on_postgresql(BACKWARD)),
    ]
