"""PostgreSQL holds the ledger's rules even against code that bypasses the ledger service."""

from decimal import Decimal

import pytest
from django.db import DatabaseError, IntegrityError, connection, transaction

from finance import chart
from finance.choices import EntryType, Side
from finance.models import JournalEntry, Posting
from finance.services.ledger import ledger_account_get
from tests.factories import make_chama

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def raw_entry(chama, legs):
    """Insert an entry and its postings directly, the way a careless script would."""
    entry = JournalEntry.objects.create(
        chama=chama, entry_type=EntryType.CONTRIBUTION, effective_date="2026-01-01"
    )
    Posting.objects.bulk_create(
        [
            Posting(entry=entry, account=account, side=side, amount=Decimal(amount))
            for account, side, amount in legs
        ]
    )
    return entry


@pytest.fixture
def posted(chama, post_entry):
    return post_entry(chama, chart.CASH, chart.WELFARE_FUND, "100.00")


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE finance_posting SET amount = 1",
        "DELETE FROM finance_posting",
        "UPDATE finance_journalentry SET memo = 'edited'",
        "DELETE FROM finance_journalentry",
    ],
)
def test_ledger_rows_cannot_be_changed_or_deleted(posted, statement):
    with pytest.raises(IntegrityError, match="append-only"), transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute(statement)

    assert Posting.objects.filter(entry=posted).count() == 2


@pytest.mark.parametrize("table", ["finance_posting", "finance_journalentry"])
def test_ledger_tables_cannot_be_truncated(posted, table):
    with pytest.raises(IntegrityError, match="append-only"), transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL hazina.ledger_maintenance = 'off'")
            cursor.execute(f"TRUNCATE {table} CASCADE")


def test_the_orm_cannot_update_a_posting_either(posted):
    with pytest.raises(IntegrityError), transaction.atomic():
        Posting.objects.filter(entry=posted).update(amount=Decimal("1.00"))


def test_an_unbalanced_entry_fails_at_commit(chama):
    cash = ledger_account_get(chama=chama, code=chart.CASH)
    fund = ledger_account_get(chama=chama, code=chart.WELFARE_FUND)

    with pytest.raises(IntegrityError, match="does not balance"), transaction.atomic():
        raw_entry(chama, [(cash, Side.DEBIT, "100.00"), (fund, Side.CREDIT, "90.00")])

    assert JournalEntry.objects.count() == 0


def test_an_entry_with_one_leg_fails_at_commit(chama):
    cash = ledger_account_get(chama=chama, code=chart.CASH)

    with pytest.raises(IntegrityError, match="at least two"), transaction.atomic():
        raw_entry(chama, [(cash, Side.DEBIT, "100.00")])


def test_an_entry_without_legs_fails_at_commit(chama):
    with pytest.raises(IntegrityError, match="at least two"), transaction.atomic():
        raw_entry(chama, [])


def test_an_entry_on_another_chamas_account_fails_at_commit(chama):
    other = make_chama(name="Other Group")
    cash = ledger_account_get(chama=chama, code=chart.CASH)
    theirs = ledger_account_get(chama=other, code=chart.WELFARE_FUND)

    with pytest.raises(IntegrityError, match="another chama"), transaction.atomic():
        raw_entry(chama, [(cash, Side.DEBIT, "5.00"), (theirs, Side.CREDIT, "5.00")])


def test_the_check_can_be_made_immediate_inside_a_transaction(chama):
    cash = ledger_account_get(chama=chama, code=chart.CASH)
    fund = ledger_account_get(chama=chama, code=chart.WELFARE_FUND)

    with transaction.atomic():
        raw_entry(chama, [(cash, Side.DEBIT, "100.00"), (fund, Side.CREDIT, "100.00")])
        with pytest.raises(IntegrityError, match="does not balance"), transaction.atomic():
            raw_entry(chama, [(cash, Side.DEBIT, "3.00"), (fund, Side.CREDIT, "2.00")])
            with connection.cursor() as cursor:
                cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")

    assert JournalEntry.objects.count() == 1


def test_a_zero_amount_posting_is_refused(chama):
    cash = ledger_account_get(chama=chama, code=chart.CASH)
    fund = ledger_account_get(chama=chama, code=chart.WELFARE_FUND)

    with pytest.raises(IntegrityError), transaction.atomic():
        raw_entry(chama, [(cash, Side.DEBIT, "0.00"), (fund, Side.CREDIT, "0.00")])


# --- Sealed entries, protected balances, fixed identity, balance rules ----------------------


def raw(sql, params=None):
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def test_a_balance_cannot_be_updated_behind_the_ledgers_back(posted):
    cash = ledger_account_get(chama=posted.chama, code=chart.CASH)

    with pytest.raises(IntegrityError, match="balances change only through postings"):
        with transaction.atomic():
            raw(
                "UPDATE finance_ledgeraccount SET cached_balance = 1000000 WHERE id = %s", [cash.pk]
            )

    cash.refresh_from_db()
    assert cash.cached_balance == Decimal("100.00")


def test_postings_cannot_be_added_to_an_entry_committed_earlier(posted):
    cash = ledger_account_get(chama=posted.chama, code=chart.CASH)
    fund = ledger_account_get(chama=posted.chama, code=chart.WELFARE_FUND)

    # A balanced pair, in a transaction of its own, on the entry committed by the fixture
    with pytest.raises(IntegrityError, match="journal entries are sealed"), transaction.atomic():
        Posting.objects.bulk_create(
            [
                Posting(entry=posted, account=cash, side=Side.CREDIT, amount=Decimal("60.00")),
                Posting(entry=posted, account=fund, side=Side.DEBIT, amount=Decimal("60.00")),
            ]
        )

    assert Posting.objects.filter(entry=posted).count() == 2


def test_a_savepoint_is_the_same_transaction_as_its_entry(chama):
    cash = ledger_account_get(chama=chama, code=chart.CASH)
    fund = ledger_account_get(chama=chama, code=chart.WELFARE_FUND)

    with transaction.atomic():
        entry = raw_entry(chama, [(cash, Side.DEBIT, "10.00"), (fund, Side.CREDIT, "10.00")])
        with transaction.atomic():  # txid_current() is the top-level transaction
            Posting.objects.bulk_create(
                [
                    Posting(entry=entry, account=cash, side=Side.DEBIT, amount=Decimal("5.00")),
                    Posting(entry=entry, account=fund, side=Side.CREDIT, amount=Decimal("5.00")),
                ]
            )

    assert Posting.objects.filter(entry=entry).count() == 4
    cash.refresh_from_db()
    assert cash.cached_balance == Decimal("15.00")  # applied by the database at commit


@pytest.mark.parametrize(
    ("column", "value"),
    [("chama_id", "other"), ("code", "'1020'"), ("member_id", "member")],
)
def test_an_account_never_changes_chama_code_or_owner(posted, column, value):
    other = make_chama(name="Other Group")
    cash = ledger_account_get(chama=posted.chama, code=chart.CASH)
    new = {"other": f"'{other.pk}'", "member": f"'{posted.chama.memberships.get().pk}'"}
    sql = f"UPDATE finance_ledgeraccount SET {column} = {new.get(value, value)} WHERE id = %s"

    with pytest.raises(IntegrityError, match="never changes its chama, code or owner"):
        with transaction.atomic():
            raw(sql, [cash.pk])

    cash.refresh_from_db()
    assert (cash.chama_id, cash.code, cash.member_id) == (posted.chama_id, "1030", None)


def test_even_a_repair_session_cannot_overdraw_an_account(posted):
    cash = ledger_account_get(chama=posted.chama, code=chart.CASH)

    with pytest.raises(IntegrityError, match="finance_ledgeraccount_balance_rule"):
        with transaction.atomic():
            raw("SET LOCAL hazina.ledger_repair = 'on'")
            raw("UPDATE finance_ledgeraccount SET cached_balance = -1 WHERE id = %s", [cash.pk])


def test_raw_postings_that_overdraw_an_account_are_refused_at_commit(posted):
    cash = ledger_account_get(chama=posted.chama, code=chart.CASH)
    income = ledger_account_get(chama=posted.chama, code=chart.INTEREST_INCOME)

    # 100.00 in cash; a script pays out 100.01 from it, going around the ledger service
    with pytest.raises(DatabaseError, match="insufficient funds in account 1030"):
        with transaction.atomic():
            raw_entry(posted.chama, [(income, Side.DEBIT, "100.01"), (cash, Side.CREDIT, "100.01")])

    cash.refresh_from_db()
    assert cash.cached_balance == Decimal("100.00")
    assert JournalEntry.objects.count() == 1
