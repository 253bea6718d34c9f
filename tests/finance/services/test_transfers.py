"""The one entry point for M-Pesa's answer about a transfer: routed by kind to the payout, the
loan or the welfare claim it paid; a repeated answer is a conflict that writes nothing."""

from decimal import Decimal
from uuid import uuid4

import pytest

from core.exceptions import ConflictError, NotFoundError
from finance import chart
from finance.choices import (
    LoanStatus,
    PaymentMethod,
    PayoutMethod,
    PayoutStatus,
    WelfareClaimStatus,
)
from finance.exceptions import FinanceError
from finance.gateways import TransferKind
from finance.models import JournalEntry, Loan, Payout, WelfareClaim
from finance.selectors import trial_balance_get
from finance.services.payouts import payout_approve, payout_request
from finance.services.transfers import transfer_fail, transfer_settle
from tests.finance.books import balance
from tests.finance.loans import approved_loan, loan_book, sent_by_mpesa
from tests.finance.welfare import contribute, sent, welfare_book

pytestmark = pytest.mark.django_db


def payout_in_flight():
    book = welfare_book(welfare="0.00")
    contribute(book, PaymentMethod.MPESA)
    payout = payout_request(
        round=book.chama.cycles.get().rounds.get(number=1),
        acting=book.chair,
        method=PayoutMethod.MPESA,
    )
    return book.chama, payout_approve(payout=payout, acting=book.treasurer)


def loan_in_flight():
    book = loan_book()
    return book.chama, sent_by_mpesa(book, approved_loan(book))


def claim_in_flight():
    book = welfare_book()
    contribute(book, PaymentMethod.MPESA)
    claim = sent(book, book.member, "500.00")
    return book.chama, claim


# finance's own kinds; an investment placement's answers are tested in tests/investments.
IN_FLIGHT = {
    TransferKind.PAYOUT: payout_in_flight,
    TransferKind.LOAN: loan_in_flight,
    TransferKind.WELFARE: claim_in_flight,
}
SETTLED = {
    TransferKind.PAYOUT: (Payout, PayoutStatus.COMPLETED),
    TransferKind.LOAN: (Loan, LoanStatus.ACTIVE),
    TransferKind.WELFARE: (WelfareClaim, WelfareClaimStatus.PAID),
}
FAILED = {
    TransferKind.PAYOUT: (Payout, PayoutStatus.FAILED),
    TransferKind.LOAN: (Loan, LoanStatus.APPROVED),
    TransferKind.WELFARE: (WelfareClaim, WelfareClaimStatus.APPROVED),
}
NOT_IN_FLIGHT = {
    TransferKind.PAYOUT: "payout_not_in_flight",
    TransferKind.LOAN: "loan_not_in_flight",
    TransferKind.WELFARE: "claim_not_in_flight",
}


@pytest.mark.parametrize("kind", list(IN_FLIGHT))
def test_a_success_settles_what_the_transfer_paid(b2c_gateway, kind):
    chama, paid = IN_FLIGHT[kind]()

    # The kind as the M-Pesa app stores it: a plain string
    result = transfer_settle(kind=kind.value, object_id=paid.pk, receipt="TS12345678")

    model, status = SETTLED[kind]
    assert isinstance(result, model)
    assert (result.pk, result.status) == (paid.pk, status)
    assert JournalEntry.objects.filter(external_ref="TS12345678").count() == 1
    assert balance(chama, chart.PAYOUTS_IN_FLIGHT) == Decimal("0.00")
    assert trial_balance_get(chama=chama) == Decimal("0.00")


@pytest.mark.parametrize("kind", list(IN_FLIGHT))
def test_a_failure_brings_the_money_back(b2c_gateway, kind):
    chama, paid = IN_FLIGHT[kind]()
    paybill = balance(chama, chart.MPESA_PAYBILL)
    in_flight = balance(chama, chart.PAYOUTS_IN_FLIGHT)

    result = transfer_fail(kind=kind, object_id=paid.pk, reason="Insufficient funds in utility")

    model, status = FAILED[kind]
    assert isinstance(result, model)
    assert (result.pk, result.status) == (paid.pk, status)
    assert balance(chama, chart.PAYOUTS_IN_FLIGHT) == Decimal("0.00")
    assert balance(chama, chart.MPESA_PAYBILL) == paybill + in_flight
    assert trial_balance_get(chama=chama) == Decimal("0.00")


@pytest.mark.parametrize("kind", list(IN_FLIGHT))
@pytest.mark.parametrize("first", ["settle", "fail"])
def test_a_repeated_answer_is_a_conflict_that_writes_nothing(b2c_gateway, kind, first):
    _, paid = IN_FLIGHT[kind]()
    if first == "settle":
        transfer_settle(kind=kind, object_id=paid.pk, receipt="TS12345678")
    else:
        transfer_fail(kind=kind, object_id=paid.pk, reason="Declined")
    entries = JournalEntry.objects.count()

    with pytest.raises(ConflictError) as settled_again:
        transfer_settle(kind=kind, object_id=paid.pk, receipt="TS12345678")
    with pytest.raises(ConflictError) as failed_again:
        transfer_fail(kind=kind, object_id=paid.pk, reason="Declined")

    assert settled_again.value.code == failed_again.value.code == NOT_IN_FLIGHT[kind]
    assert JournalEntry.objects.count() == entries


@pytest.mark.parametrize(
    ("kind", "label"),
    [
        (TransferKind.PAYOUT, "round pot payout"),
        (TransferKind.LOAN, "loan disbursement"),
        (TransferKind.WELFARE, "welfare claim"),
    ],
)
def test_an_unknown_object_is_not_found(kind, label):
    missing = uuid4()

    with pytest.raises(NotFoundError) as settled:
        transfer_settle(kind=kind, object_id=missing, receipt="TS12345678")
    with pytest.raises(NotFoundError) as failed:
        transfer_fail(kind=kind, object_id=missing, reason="Declined")

    assert settled.value.code == failed.value.code == "transfer_not_found"
    assert settled.value.message == FinanceError.TRANSFER_NOT_FOUND.render(
        kind=label, object_id=missing
    )
    assert JournalEntry.objects.count() == 0
