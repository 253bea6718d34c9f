"""Real threads on PostgreSQL: racing outflows never overdraw an account.

Every outflow below is checked by the ledger writer in the statement that moves the balance,
under the account's row lock, so exactly the ones that fit succeed; the others get 409
``insufficient_funds`` and write nothing.
"""

from dataclasses import dataclass
from decimal import Decimal

import pytest

from core.exceptions import ConflictError
from finance import chart
from finance.choices import PaymentMethod, PayoutMethod, TransferAccount, WelfareClaimType
from finance.models import JournalEntry, Loan, Payout, WelfareClaim
from finance.selectors import trial_balance_get
from finance.services.contributions import contribution_record
from finance.services.ledger import ledger_balance_proof
from finance.services.ledger_transfers import ledger_transfer_approve, ledger_transfer_request
from finance.services.loans import loan_apply, loan_approve, loan_disburse, loan_policy_get
from finance.services.payouts import payout_approve, payout_request
from finance.services.welfare import welfare_claim_approve, welfare_claim_pay, welfare_claim_submit
from groups.choices import Role
from groups.models import Chama, Membership
from tests.concurrency import run_concurrently
from tests.factories import appoint
from tests.finance.books import balance
from tests.finance.factories import merry_go_round

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

CASH = PayoutMethod.CASH


@dataclass
class CashBox:
    chama: Chama
    seats: list[Membership]
    round1_id: object

    @property
    def chair(self) -> Membership:
        return self.seats[0]

    @property
    def treasurer(self) -> Membership:
        return self.seats[1]


def cash_box(members: int, paid_in_cash: dict[int, str]) -> CashBox:
    """A chama of 2,000 a month (1,000 to the pot, 500 savings, 500 welfare); seat 1 chairs,
    seat 2 keeps the books. ``paid_in_cash`` maps seat index → amount paid in cash; everyone
    else pays 2,000 by M-Pesa, into the paybill, where no cash outflow can reach it."""
    chama, seats, cycle = merry_go_round(
        members=members,
        amount="2000.00",
        rotation_amount="1000.00",
        savings_amount="500.00",
        welfare_amount="500.00",
    )
    appoint(seats[1], Role.TREASURER, by=seats[0])
    for index, seat in enumerate(seats):
        cash = paid_in_cash.get(index)
        contribution_record(
            chama=chama,
            membership=seat,
            amount=Decimal(cash or "2000.00"),
            method=PaymentMethod.CASH if cash else PaymentMethod.MPESA,
            mpesa_receipt=None if cash else f"RACE{index:06d}",
        )
    policy = loan_policy_get(chama=chama)
    policy.max_savings_multiple = Decimal("20")
    policy.processing_fee_rate = Decimal("0")
    policy.save()
    return CashBox(chama, seats, cycle.rounds.get(number=1).pk)


def approved_loan(box: CashBox, borrower: Membership, principal: str) -> Loan:
    loan = loan_apply(
        chama=box.chama,
        membership=borrower,
        acting=borrower,
        principal=Decimal(principal),
        term_months=3,
    )
    return loan_approve(loan=loan, acting=box.chair if borrower != box.chair else box.treasurer)


def approved_claim(box: CashBox, claimant: Membership, amount: str) -> WelfareClaim:
    claim = welfare_claim_submit(
        chama=box.chama,
        membership=claimant,
        claim_type=WelfareClaimType.HOSPITAL,
        amount=Decimal(amount),
        description="Ward bill",
        acting=claimant,
    )
    approver = box.chair if claimant != box.chair else box.treasurer
    return welfare_claim_approve(claim=claim, acting=approver)


def requested_payout(box: CashBox) -> Payout:
    rnd = box.chama.rounds.get(pk=box.round1_id)
    return payout_request(round=rnd, acting=box.treasurer, method=CASH)


def race(*actions):
    """Run each action in its own thread, all released at once; results in action order."""
    turn = iter(enumerate(actions))

    def go():
        index, action = next(turn)
        try:
            return index, action()
        except ConflictError as refused:
            return index, refused

    return [result for _, result in sorted(run_concurrently(go, len(actions)), key=lambda r: r[0])]


def assert_exactly_what_fits(box: CashBox, results, amounts, cash_before: Decimal) -> None:
    """The winners' money left the cash box and nothing else did; every loser was told
    ``insufficient_funds`` and would not have fitted in what is left; the books hold."""
    won = [
        amount for result, amount in zip(results, amounts, strict=True) if not is_refusal(result)
    ]
    lost = [amount for result, amount in zip(results, amounts, strict=True) if is_refusal(result)]
    assert all(
        isinstance(r, ConflictError) and r.code == "insufficient_funds"
        for r in results
        if is_refusal(r)
    ), results
    assert not [r for r in results if isinstance(r, Exception) and not is_refusal(r)], results
    left = cash_before - sum(won, Decimal("0.00"))
    assert balance(box.chama, chart.CASH) == left >= Decimal("0.00")
    assert all(amount > left for amount in lost)
    assert trial_balance_get(chama=box.chama) == Decimal("0.00")
    assert ledger_balance_proof(chama=box.chama) == []


def is_refusal(result) -> bool:
    return isinstance(result, ConflictError)


def test_two_disbursements_race_for_the_cash_box_and_only_one_fits():
    # Given 2,000 in cash and two approved loans of 1,500
    box = cash_box(4, {0: "2000.00"})
    loans = [approved_loan(box, box.seats[i], "1500.00") for i in (2, 3)]

    # When two officials press "disburse (cash)" at the same instant
    results = race(
        *[
            lambda loan=loan, by=by: loan_disburse(loan=loan, acting=by, method=CASH)
            for loan, by in zip(loans, (box.chair, box.treasurer), strict=True)
        ]
    )

    # Then exactly one is paid, and the cash box holds the 500 left
    assert sum(isinstance(r, Loan) for r in results) == 1, results
    assert_exactly_what_fits(box, results, [Decimal("1500.00")] * 2, Decimal("2000.00"))
    assert balance(box.chama, chart.CASH) == Decimal("500.00")


def test_twenty_disbursements_race_and_exactly_the_eight_that_fit_are_paid():
    # Given 12,000 in cash (six members paid in cash) and twenty approved loans of 1,500
    box = cash_box(22, dict.fromkeys(range(6), "2000.00"))
    loans = [approved_loan(box, box.seats[i], "1500.00") for i in range(2, 22)]
    entries = JournalEntry.objects.count()

    results = race(
        *[
            lambda loan=loan: loan_disburse(loan=loan, acting=box.treasurer, method=CASH)
            for loan in loans
        ]
    )

    assert sum(isinstance(r, Loan) for r in results) == 8, results
    assert_exactly_what_fits(box, results, [Decimal("1500.00")] * 20, Decimal("12000.00"))
    assert balance(box.chama, chart.CASH) == Decimal("0.00")
    assert JournalEntry.objects.count() == entries + 8


def test_a_payout_and_a_disbursement_race_for_the_cash_box():
    # Given 6,000 in cash, round 1's pot of 4,000 requested in cash and a loan of 2,500
    box = cash_box(4, {0: "2000.00", 1: "2000.00", 2: "2000.00"})
    payout = requested_payout(box)
    loan = approved_loan(box, box.seats[3], "2500.00")

    results = race(
        lambda: payout_approve(payout=payout, acting=box.chair),
        lambda: loan_disburse(loan=loan, acting=box.treasurer, method=CASH),
    )

    assert sum(not is_refusal(r) for r in results) == 1, results
    assert_exactly_what_fits(
        box, results, [Decimal("4000.00"), Decimal("2500.00")], Decimal("6000.00")
    )


def test_a_welfare_claim_and_a_payout_race_for_the_cash_box():
    # Given 5,500 in cash, a welfare fund of 2,000 with a claim of 2,000 approved, and round
    # 1's pot of 4,000 requested in cash: both together would need 6,000
    box = cash_box(4, {0: "2000.00", 1: "2000.00", 2: "1500.00"})
    claim = approved_claim(box, box.seats[3], "2000.00")
    payout = requested_payout(box)

    results = race(
        lambda: welfare_claim_pay(claim=claim, acting=box.treasurer, method=CASH),
        lambda: payout_approve(payout=payout, acting=box.chair),
    )

    assert sum(not is_refusal(r) for r in results) == 1, results
    assert_exactly_what_fits(
        box, results, [Decimal("2000.00"), Decimal("4000.00")], Decimal("5500.00")
    )


def test_twenty_mixed_outflows_race_and_no_account_is_ever_overdrawn():
    # Given 10,000 in cash, a welfare fund of 11,000, ten approved loans of 1,500 and ten
    # approved welfare claims of 1,000
    box = cash_box(22, dict.fromkeys(range(5), "2000.00"))
    loans = [approved_loan(box, box.seats[i], "1500.00") for i in range(2, 12)]
    claims = [approved_claim(box, box.seats[i], "1000.00") for i in range(12, 22)]

    results = race(
        *[
            lambda loan=loan: loan_disburse(loan=loan, acting=box.chair, method=CASH)
            for loan in loans
        ],
        *[
            lambda claim=claim: welfare_claim_pay(claim=claim, acting=box.treasurer, method=CASH)
            for claim in claims
        ],
    )

    amounts = [Decimal("1500.00")] * 10 + [Decimal("1000.00")] * 10
    assert_exactly_what_fits(box, results, amounts, Decimal("10000.00"))
    assert balance(box.chama, chart.WELFARE_FUND) <= Decimal("0.00")


def test_a_transfer_and_a_payout_race_for_the_cash_box():
    # Given 6,000 in cash, round 1's pot of 4,000 requested in cash, and 3,000 of the cash
    # asked to be banked: both together would need 7,000
    box = cash_box(4, {0: "2000.00", 1: "2000.00", 2: "2000.00"})
    payout = requested_payout(box)
    transfer = ledger_transfer_request(
        chama=box.chama,
        acting=box.treasurer,
        from_account=TransferAccount.CASH,
        to_account=TransferAccount.BANK,
        amount=Decimal("3000.00"),
    )

    results = race(
        lambda: ledger_transfer_approve(transfer=transfer, acting=box.chair),
        lambda: payout_approve(payout=payout, acting=box.chair),
    )

    assert sum(not is_refusal(r) for r in results) == 1, results
    assert_exactly_what_fits(
        box, results, [Decimal("3000.00"), Decimal("4000.00")], Decimal("6000.00")
    )
    moved = Decimal("3000.00") if not is_refusal(results[0]) else Decimal("0.00")
    assert balance(box.chama, chart.BANK) == moved
