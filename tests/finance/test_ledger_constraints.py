"""PostgreSQL holds the ledger's rules even against code that bypasses the ledger service."""

from decimal import Decimal

import pytest
from django.db import IntegrityError, connection, transaction

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
