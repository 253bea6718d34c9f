"""The ledger service: balanced, append-only entries in each chama's chart of accounts."""

from decimal import Decimal

import pytest

from core.db import durable_atomic
from core.exceptions import ConflictError, ValidationFailed
from finance import chart
from finance.choices import EntryType, Side
from finance.exceptions import FinanceError
from finance.models import JournalEntry, LedgerAccount, Posting
from finance.selectors import trial_balance_get
from finance.services.ledger import (
    credit,
    debit,
    ledger_account_get,
    ledger_balance_proof,
    ledger_post,
    ledger_reverse,
)
from tests.factories import make_chama
from tests.finance.books import balance_drift

pytestmark = pytest.mark.django_db


def balance(chama, code, **owner):
    return ledger_account_get(chama=chama, code=code, **owner).cached_balance


def test_every_new_chama_gets_the_chart_of_accounts(chama):
    codes = set(LedgerAccount.objects.filter(chama=chama).values_list("code", flat=True))

    assert codes == {spec.code for spec in chart.CHART if spec.scope == "chama"}
    assert len(codes) == 17
    assert trial_balance_get(chama=chama) == Decimal("0.00")


def test_a_balanced_entry_posts_its_legs_and_moves_the_balances(chama, post_entry):
    entry = post_entry(chama, chart.MPESA_PAYBILL, chart.WELFARE_FUND, "2500.00")

    legs = sorted((p.account.code, p.side, p.amount) for p in entry.postings.all())
    assert legs == [
        ("1010", Side.DEBIT, Decimal("2500.00")),
        ("3200", Side.CREDIT, Decimal("2500.00")),
    ]
    assert balance(chama, chart.MPESA_PAYBILL) == Decimal("2500.00")
    assert balance(chama, chart.WELFARE_FUND) == Decimal("-2500.00")
    assert trial_balance_get(chama=chama) == Decimal("0.00")
    assert ledger_balance_proof() == []


@pytest.mark.parametrize(
    ("amounts", "expected_message"),
    [
        (
            ("100.00", "99.99"),
            FinanceError.UNBALANCED_ENTRY.render(debits="100.00", credits="99.99"),
        ),
        (("100.00", None), FinanceError.TOO_FEW_POSTINGS.message),
        (("-5.00", "-5.00"), FinanceError.NON_POSITIVE_AMOUNT.message),
        (("10.005", "10.005"), FinanceError.NON_POSITIVE_AMOUNT.message),
    ],
)
def test_an_invalid_entry_is_refused_and_writes_nothing(chama, amounts, expected_message):
    cash = ledger_account_get(chama=chama, code=chart.CASH)
    fund = ledger_account_get(chama=chama, code=chart.WELFARE_FUND)
    lines = [debit(cash, Decimal(amounts[0]))]
    if amounts[1] is not None:
        lines.append(credit(fund, Decimal(amounts[1])))

    with pytest.raises(ValidationFailed) as caught, durable_atomic():
        ledger_post(chama=chama, entry_type=EntryType.CONTRIBUTION, lines=lines)

    assert caught.value.message == expected_message
    assert JournalEntry.objects.count() == 0
    assert Posting.objects.count() == 0
    assert balance(chama, chart.CASH) == Decimal("0.00")


def test_an_entry_may_not_touch_another_chamas_accounts(chama):
    other = make_chama(name="Other Group")
    mine = ledger_account_get(chama=chama, code=chart.CASH)
    theirs = ledger_account_get(chama=other, code=chart.WELFARE_FUND)

    with pytest.raises(ValidationFailed) as caught, durable_atomic():
        ledger_post(
            chama=chama,
            entry_type=EntryType.CONTRIBUTION,
            lines=[debit(mine, Decimal("1.00")), credit(theirs, Decimal("1.00"))],
        )

    assert caught.value.code == "foreign_account"
    assert JournalEntry.objects.count() == 0


def test_zero_parts_of_a_split_are_dropped(chama):
    cash = ledger_account_get(chama=chama, code=chart.CASH)
    fund = ledger_account_get(chama=chama, code=chart.WELFARE_FUND)
    surplus = ledger_account_get(chama=chama, code=chart.UNDISTRIBUTED_SURPLUS)

    with durable_atomic():
        entry = ledger_post(
            chama=chama,
            entry_type=EntryType.CONTRIBUTION,
            lines=[
                debit(cash, Decimal("10.00")),
                credit(fund, Decimal("10.00")),
                credit(surplus, Decimal("0.00")),
            ],
        )

    assert entry.postings.count() == 2


@pytest.mark.django_db(transaction=True)
def test_posting_outside_a_transaction_is_a_programming_error(chama):
    cash = ledger_account_get(chama=chama, code=chart.CASH)
    fund = ledger_account_get(chama=chama, code=chart.WELFARE_FUND)

    with pytest.raises(RuntimeError):
        ledger_post(
            chama=chama,
            entry_type=EntryType.CONTRIBUTION,
            lines=[debit(cash, Decimal("1.00")), credit(fund, Decimal("1.00"))],
        )


def test_a_reversal_mirrors_the_entry_once(chama, post_entry):
    entry = post_entry(chama, chart.CASH, chart.WELFARE_FUND, "700.00")

    with durable_atomic():
        reversal = ledger_reverse(entry=entry)

    assert reversal.reverses == entry
    assert reversal.entry_type == EntryType.REVERSAL
    legs = sorted((p.account.code, p.side, p.amount) for p in reversal.postings.all())
    assert legs == [
        ("1030", Side.CREDIT, Decimal("700.00")),
        ("3200", Side.DEBIT, Decimal("700.00")),
    ]
    assert balance(chama, chart.CASH) == Decimal("0.00")
    assert balance(chama, chart.WELFARE_FUND) == Decimal("0.00")

    with pytest.raises(ConflictError) as again, durable_atomic():
        ledger_reverse(entry=entry)
    assert again.value.message == FinanceError.ALREADY_REVERSED.message

    with pytest.raises(ConflictError) as of_reversal, durable_atomic():
        ledger_reverse(entry=reversal)
    assert of_reversal.value.code == "cannot_reverse_reversal"
    assert JournalEntry.objects.count() == 2


def test_member_and_round_sub_accounts_open_on_first_use(chama):
    member = chama.memberships.get()

    first = ledger_account_get(chama=chama, code=chart.MEMBER_SAVINGS, member=member)
    again = ledger_account_get(chama=chama, code=chart.MEMBER_SAVINGS, member=member)

    assert first == again
    assert first.name == f"Member savings — {member.member_code}"
    with pytest.raises(ValueError, match="member-scoped"):
        ledger_account_get(chama=chama, code=chart.MEMBER_SAVINGS)


def test_the_balance_proof_finds_a_cache_that_drifted(chama, post_entry):
    post_entry(chama, chart.CASH, chart.WELFARE_FUND, "50.00")
    balance_drift(chama, chart.CASH, Decimal("49.00"))

    drifted = ledger_balance_proof()

    assert [(a.code, a.cached_balance) for a in drifted] == [("1030", Decimal("49.00"))]
