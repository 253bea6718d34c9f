"""B2C results settle or fail the transfer finance put in flight, exactly once; a timeout
leaves it unknown until a status query answers."""

from decimal import Decimal

import pytest

from finance import chart
from finance.choices import LoanStatus, PayoutStatus, RoundStatus
from finance.selectors import trial_balance_get
from mpesa.choices import B2CStatus, CallbackKind, CallbackOutcome
from mpesa.models import DarajaCallback
from tests.finance.books import balance
from tests.finance.loans import approved_loan, loan_book, sent_by_mpesa
from tests.mpesa.daraja import deliver, payload, sent_b2c

pytestmark = pytest.mark.django_db


def result(name, request, **changes):
    data = payload(name)
    data["Result"]["OriginatorConversationID"] = request.originator_conversation_id
    for param in data["Result"].get("ResultParameters", {}).get("ResultParameter", []):
        if param["Key"] in changes:
            param["Value"] = changes[param["Key"]]
    return data


def test_success_completes_the_payout_and_empties_the_clearing_account(client, payout_in_flight):
    payout, request = payout_in_flight
    assert balance(payout.chama, chart.PAYOUTS_IN_FLIGHT) == Decimal("900.00")

    deliver(
        client,
        CallbackKind.B2C_RESULT,
        result("b2c_result_success", request, TransactionAmount=900),
    )

    payout.refresh_from_db()
    request.refresh_from_db()
    assert (payout.status, payout.external_receipt) == (PayoutStatus.COMPLETED, "SIF5LN2D7K")
    assert (request.status, request.receipt) == (B2CStatus.SUCCEEDED, "SIF5LN2D7K")
    assert payout.round.status == RoundStatus.PAID
    assert balance(payout.chama, chart.PAYOUTS_IN_FLIGHT) == Decimal("0.00")
    assert balance(payout.chama, chart.POT_PAYABLE, round=payout.round) == Decimal("0.00")
    assert balance(payout.chama, chart.MPESA_PAYBILL) == Decimal("600.00")
    assert trial_balance_get(chama=payout.chama) == Decimal("0.00")


def test_a_repeated_success_settles_once(client, payout_in_flight):
    payout, request = payout_in_flight
    data = result("b2c_result_success", request, TransactionAmount=900)

    deliver(client, CallbackKind.B2C_RESULT, data)
    deliver(client, CallbackKind.B2C_RESULT, data)

    assert balance(payout.chama, chart.PAYOUTS_IN_FLIGHT) == Decimal("0.00")
    assert balance(payout.chama, chart.MPESA_PAYBILL) == Decimal("600.00")
    assert list(DarajaCallback.objects.order_by("id").values_list("outcome", flat=True)) == [
        CallbackOutcome.PROCESSED,
        CallbackOutcome.DUPLICATE,
    ]


def test_failure_voids_the_transfer_and_the_round_is_payable_again(client, payout_in_flight):
    payout, request = payout_in_flight

    deliver(client, CallbackKind.B2C_RESULT, result("b2c_result_failure", request))

    payout.refresh_from_db()
    request.refresh_from_db()
    assert (payout.status, payout.failure_reason) == (
        PayoutStatus.FAILED,
        "The balance is insufficient for the transaction.",
    )
    assert request.status == B2CStatus.FAILED
    assert payout.round.status == RoundStatus.OPEN
    assert balance(payout.chama, chart.PAYOUTS_IN_FLIGHT) == Decimal("0.00")
    assert balance(payout.chama, chart.MPESA_PAYBILL) == Decimal("1500.00")
    assert balance(payout.chama, chart.POT_PAYABLE, round=payout.round) == Decimal("-900.00")


def test_a_success_for_another_amount_is_held_and_settles_nothing(client, payout_in_flight):
    payout, request = payout_in_flight

    deliver(
        client,
        CallbackKind.B2C_RESULT,
        result("b2c_result_success", request, TransactionAmount=25000),
    )

    payout.refresh_from_db()
    assert payout.status == PayoutStatus.IN_FLIGHT
    stored = DarajaCallback.objects.get()
    assert (stored.outcome, stored.detail) == (
        CallbackOutcome.HELD,
        "M-Pesa reported 25000.00 sent against 900.00: held for the treasurer.",
    )


def test_a_result_for_a_transfer_we_never_sent_changes_nothing(client, payout_in_flight):
    payout, _ = payout_in_flight

    deliver(client, CallbackKind.B2C_RESULT, payload("b2c_result_success"))

    payout.refresh_from_db()
    assert payout.status == PayoutStatus.IN_FLIGHT
    assert DarajaCallback.objects.get().outcome == CallbackOutcome.UNKNOWN


def test_a_timeout_makes_the_outcome_unknown_and_asks_for_the_status(
    client, payout_in_flight, monkeypatch, django_capture_on_commit_callbacks
):
    payout, request = payout_in_flight
    asked = []
    monkeypatch.setattr(
        "mpesa.services.b2c.b2c_status_query",
        lambda *, originator_conversation_id: asked.append(originator_conversation_id),
    )
    data = payload("b2c_timeout")
    data["Result"]["OriginatorConversationID"] = request.originator_conversation_id

    with django_capture_on_commit_callbacks(execute=True):
        deliver(client, CallbackKind.B2C_TIMEOUT, data)

    request.refresh_from_db()
    payout.refresh_from_db()
    assert request.status == B2CStatus.UNKNOWN
    assert payout.status == PayoutStatus.IN_FLIGHT
    assert asked == [request.originator_conversation_id]


def test_a_status_result_settles_an_unknown_transfer(client, payout_in_flight):
    payout, request = payout_in_flight
    data = payload("transaction_status_result_b2c")
    for param in data["Result"]["ResultParameters"]["ResultParameter"]:
        if param["Key"] == "OriginatorConversationID":
            param["Value"] = request.originator_conversation_id
        if param["Key"] == "Amount":
            param["Value"] = "900"

    deliver(client, CallbackKind.STATUS_RESULT, data)

    payout.refresh_from_db()
    assert (payout.status, payout.external_receipt) == (PayoutStatus.COMPLETED, "SIF5LN2D7K")
    assert balance(payout.chama, chart.PAYOUTS_IN_FLIGHT) == Decimal("0.00")


def test_a_loan_sent_by_b2c_becomes_active_when_mpesa_confirms(
    client, b2c_gateway, django_capture_on_commit_callbacks
):
    book = loan_book()
    with django_capture_on_commit_callbacks(execute=True):
        loan = sent_by_mpesa(book, approved_loan(book))
    transfer = b2c_gateway.transfers[-1]
    request = sent_b2c(transfer)
    assert (transfer.kind, transfer.amount) == ("loan", Decimal("14700.00"))

    deliver(
        client,
        CallbackKind.B2C_RESULT,
        result("b2c_result_success", request, TransactionAmount=14700),
    )

    loan.refresh_from_db()
    assert loan.status == LoanStatus.ACTIVE
    assert balance(loan.chama, chart.LOANS_RECEIVABLE, member=book.borrower) == Decimal("15000.00")
    assert balance(loan.chama, chart.PAYOUTS_IN_FLIGHT) == Decimal("0.00")
    assert trial_balance_get(chama=loan.chama) == Decimal("0.00")


def test_a_success_after_the_transfer_failed_is_held_not_settled(client, payout_in_flight):
    payout, request = payout_in_flight
    deliver(client, CallbackKind.B2C_RESULT, result("b2c_result_failure", request))

    deliver(
        client,
        CallbackKind.B2C_RESULT,
        result("b2c_result_success", request, TransactionAmount=900),
    )

    payout.refresh_from_db()
    assert payout.status == PayoutStatus.FAILED
    last = DarajaCallback.objects.order_by("-id").first()
    assert (last.outcome, last.detail) == (
        CallbackOutcome.HELD,
        "M-Pesa reports this transfer paid after it was failed and its money returned to the "
        "books: held for the treasurer.",
    )
    assert balance(payout.chama, chart.MPESA_PAYBILL) == Decimal("1500.00")
