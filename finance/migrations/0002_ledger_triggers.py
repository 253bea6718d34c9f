"""PostgreSQL guards for the ledger: append-only tables and balanced entries.

- UPDATE and DELETE on journal entries and postings are refused; so is TRUNCATE, unless the
  session sets ``hazina.ledger_maintenance = 'on'`` (the test suite does, to flush its database).
- A deferred constraint trigger checks each entry at commit: at least two postings, debits equal
  credits, and every posting on an account of the entry's own chama.
SQLite has no such triggers: there ``ledger_post`` enforces the same rules in Python.
"""

from django.db import migrations

FORWARD = r"""
CREATE OR REPLACE FUNCTION finance_ledger_append_only() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'TRUNCATE' AND current_setting('hazina.ledger_maintenance', true) = 'on' THEN
        RETURN NULL;
    END IF;
    RAISE EXCEPTION 'the ledger is append-only: % on % is not allowed', TG_OP, TG_TABLE_NAME
        USING ERRCODE = 'restrict_violation';
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER finance_posting_append_only
    BEFORE UPDATE OR DELETE ON finance_posting
    FOR EACH ROW EXECUTE FUNCTION finance_ledger_append_only();
CREATE TRIGGER finance_posting_no_truncate
    BEFORE TRUNCATE ON finance_posting
    FOR EACH STATEMENT EXECUTE FUNCTION finance_ledger_append_only();
CREATE TRIGGER finance_journalentry_append_only
    BEFORE UPDATE OR DELETE ON finance_journalentry
    FOR EACH ROW EXECUTE FUNCTION finance_ledger_append_only();
CREATE TRIGGER finance_journalentry_no_truncate
    BEFORE TRUNCATE ON finance_journalentry
    FOR EACH STATEMENT EXECUTE FUNCTION finance_ledger_append_only();

CREATE OR REPLACE FUNCTION finance_entry_check() RETURNS trigger AS $$
DECLARE
    v_entry uuid;
    v_legs integer;
    v_debits numeric;
    v_credits numeric;
    v_foreign integer;
BEGIN
    IF TG_TABLE_NAME = 'finance_posting' THEN
        v_entry := NEW.entry_id;
    ELSE
        v_entry := NEW.id;
    END IF;
    SELECT count(*),
           coalesce(sum(amount) FILTER (WHERE side = 'D'), 0),
           coalesce(sum(amount) FILTER (WHERE side = 'C'), 0)
      INTO v_legs, v_debits, v_credits
      FROM finance_posting WHERE entry_id = v_entry;
    IF v_legs < 2 THEN
        RAISE EXCEPTION 'journal entry % has % posting(s); an entry needs at least two', v_entry, v_legs
            USING ERRCODE = 'check_violation';
    END IF;
    IF v_debits <> v_credits THEN
        RAISE EXCEPTION 'journal entry % does not balance: debits %, credits %', v_entry, v_debits, v_credits
            USING ERRCODE = 'check_violation';
    END IF;
    SELECT count(*) INTO v_foreign
      FROM finance_posting p
      JOIN finance_ledgeraccount a ON a.id = p.account_id
      JOIN finance_journalentry e ON e.id = p.entry_id
     WHERE p.entry_id = v_entry AND a.chama_id <> e.chama_id;
    IF v_foreign > 0 THEN
        RAISE EXCEPTION 'journal entry % posts to another chama''s accounts', v_entry
            USING ERRCODE = 'check_violation';
    END IF;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;

CREATE CONSTRAINT TRIGGER finance_posting_entry_check
    AFTER INSERT ON finance_posting
    DEFERRABLE INITIALLY DEFERRED
    FOR EACH ROW EXECUTE FUNCTION finance_entry_check();
CREATE CONSTRAINT TRIGGER finance_journalentry_entry_check
    AFTER INSERT ON finance_journalentry
    DEFERRABLE INITIALLY DEFERRED
    FOR EACH ROW EXECUTE FUNCTION finance_entry_check();
"""

BACKWARD = r"""
DROP TRIGGER IF EXISTS finance_journalentry_entry_check ON finance_journalentry;
DROP TRIGGER IF EXISTS finance_posting_entry_check ON finance_posting;
DROP FUNCTION IF EXISTS finance_entry_check();
DROP TRIGGER IF EXISTS finance_journalentry_no_truncate ON finance_journalentry;
DROP TRIGGER IF EXISTS finance_journalentry_append_only ON finance_journalentry;
DROP TRIGGER IF EXISTS finance_posting_no_truncate ON finance_posting;
DROP TRIGGER IF EXISTS finance_posting_append_only ON finance_posting;
DROP FUNCTION IF EXISTS finance_ledger_append_only();
"""


def run_on_postgresql(sql):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            # A plain cursor: the PL/pgSQL bodies contain % placeholders of RAISE, not params.
            with schema_editor.connection.cursor() as cursor:
                cursor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [("finance", "0001_ledger_cycles_dues")]

    operations = [
        migrations.RunPython(run_on_postgresql(FORWARD), run_on_postgresql(BACKWARD)),
    ]
