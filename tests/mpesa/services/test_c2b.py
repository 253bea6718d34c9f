"""Paybill payments: the account number names the chama and the member; validation refuses
what we cannot book, confirmation books every payment exactly once."""

from decimal import Decimal

import pytest

from finance import chart
from finance.models import Contribution
from finance.selectors import trial_balance_get
from mpesa.choices import C2BStatus, CallbackKind, CallbackOutcome, StkStatus
from mpesa.models import C2BPayment, DarajaCallback
from tests.finance.books import balance
from tests.mpesa.daraja import c2b, deliver, payload, pending_stk, stk_success

pytestmark = pytest.mark.django_db


def validate(client, account, amount="1500.00"):
    data = payload("c2b_validation")
    data.update(BillRefNumber=account, TransAmount=amount)
    return deliver(client, CallbackKind.C2B_VALIDATION, data).json()


def test_validation_accepts_a_member_account_however_it_was_typed(client, paybill):
    for typed in (paybill.account(), paybill.account().lower(), " chm042-" + "m003 "):
        assert validate(client, typed) == {"ResultCode": "0", "ResultDesc": "Accepted"}


@pytest.mark.parametrize(
    ("account", "amount", "code"),
    [
        ("CHM042M099", "1500.00", "C2B00012"),  # no such member
        ("XYZ999M003", "1500.00", "C2B00012"),  # no such chama
        ("hello", "1500.00", "C2B00012"),
        ("", "1500.00", "C2B00012"),
        ("CHM042M003L", "1500.00", "C2B00012"),  # no loan to repay
        ("CHM042M003", "abc", "C2B00013"),
        ("CHM042M003", "10.50", "C2B00013"),  # M-Pesa moves whole shillings
        ("CHM042M003", "250001", "C2B00013"),
    ],
)
def test_validation_rejects_what_cannot_be_booked(client, paybill, account, amount, code):
    assert paybill.account() == "CHM042M003"

    assert validate(client, account, amount) == {"ResultCode": code, "ResultDesc": "Rejected"}
    assert DarajaCallback.objects.get().outcome == CallbackOutcome.REJECTED


def test_confirmation_to_a_member_account_records_their_contribution(client, paybill):
    response = deliver(client, CallbackKind.C2B_CONFIRMATION, c2b(paybill.account()))

    assert response.json() == {"ResultCode": 0, "ResultDesc": "Accepted"}
    contribution = Contribution.objects.get()
    assert (contribution.membership, contribution.amount, contribution.mpesa_receipt) == (
        paybill.member,
        Decimal("1500.00"),
        "SIF4QW8M1B",
    )
    payment = C2BPayment.objects.get()
    assert (payment.status, payment.entry_id) == (C2BStatus.CREDITED, contribution.entry_id)
    assert payment.msisdn == "2547 ***** 678"
    assert balance(paybill.chama, chart.MPESA_PAYBILL) == Decimal("1500.00")
    assert trial_balance_get(chama=paybill.chama) == Decimal("0.00")


def test_a_v1_confirmation_with_a_hashed_msisdn_is_booked_by_account(client, paybill):
    data = c2b(paybill.account(), name="c2b_confirmation_v1_hashed_msisdn", receipt="SIF4QX2N9C")

    deliver(client, CallbackKind.C2B_CONFIRMATION, data)

    assert Contribution.objects.get().mpesa_receipt == "SIF4QX2N9C"


def test_the_same_confirmation_twice_is_booked_once(client, paybill):
    deliver(client, CallbackKind.C2B_CONFIRMATION, c2b(paybill.account()))
    deliver(client, CallbackKind.C2B_CONFIRMATION, c2b(paybill.account()))

    assert Contribution.objects.count() == 1
    assert C2BPayment.objects.count() == 1
    assert balance(paybill.chama, chart.MPESA_PAYBILL) == Decimal("1500.00")
    assert list(DarajaCallback.objects.order_by("id").values_list("outcome", flat=True)) == [
        CallbackOutcome.PROCESSED,
        CallbackOutcome.DUPLICATE,
    ]


def test_an_unknown_member_of_a_known_chama_goes_to_suspense(client, paybill):
    deliver(client, CallbackKind.C2B_CONFIRMATION, c2b("CHM042M099"))

    assert Contribution.objects.count() == 0
    payment = C2BPayment.objects.get()
    assert payment.status == C2BStatus.SUSPENSE
    assert payment.detail == "No member with account number CHM042M099."
    assert balance(paybill.chama, chart.MPESA_PAYBILL) == Decimal("1500.00")
    assert balance(paybill.chama, chart.SUSPENSE) == Decimal("-1500.00")
    assert trial_balance_get(chama=paybill.chama) == Decimal("0.00")


def test_an_account_naming_no_chama_is_kept_for_the_staff_and_books_nothing(client, paybill):
    deliver(client, CallbackKind.C2B_CONFIRMATION, c2b("NOPE"))

    payment = C2BPayment.objects.get()
    assert (payment.status, payment.chama, payment.entry) == (C2BStatus.UNMATCHED, None, None)
    assert DarajaCallback.objects.get().outcome == CallbackOutcome.HELD
    assert balance(paybill.chama, chart.MPESA_PAYBILL) == Decimal("0.00")


def test_a_loan_account_without_a_loan_goes_to_suspense(client, paybill):
    deliver(client, CallbackKind.C2B_CONFIRMATION, c2b(paybill.account(suffix="L")))

    payment = C2BPayment.objects.get()
    assert payment.status == C2BStatus.SUSPENSE
    assert payment.detail == (
        "Account CHM042M003L asks for a loan repayment but the member has no live loan."
    )
    assert balance(paybill.chama, chart.SUSPENSE) == Decimal("-1500.00")


def test_one_receipt_by_stk_and_by_paybill_is_one_contribution(client, paybill):
    pending_stk(paybill.member, amount="1500")
    deliver(
        client,
        CallbackKind.STK,
        stk_success("ws_CO_15092024143013452712345678", amount=1500, receipt="SIF4QW8M1B"),
    )

    deliver(client, CallbackKind.C2B_CONFIRMATION, c2b(paybill.account()))

    assert Contribution.objects.count() == 1
    assert C2BPayment.objects.get().status == C2BStatus.DUPLICATE
    assert balance(paybill.chama, chart.MPESA_PAYBILL) == Decimal("1500.00")


def test_one_receipt_by_paybill_then_stk_is_one_contribution(client, paybill):
    request = pending_stk(paybill.member, amount="1500")
    deliver(client, CallbackKind.C2B_CONFIRMATION, c2b(paybill.account()))

    deliver(
        client,
        CallbackKind.STK,
        stk_success("ws_CO_15092024143013452712345678", amount=1500, receipt="SIF4QW8M1B"),
    )

    request.refresh_from_db()
    assert request.status == StkStatus.SUCCEEDED
    assert request.contribution == Contribution.objects.get()
