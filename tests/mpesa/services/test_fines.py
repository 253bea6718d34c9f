"""Paying fines by M-Pesa: the paybill with an ``F`` account (the oldest unpaid fines first,
the excess to member credit), or a prompt for fines."""

from decimal import Decimal as D

import pytest

from finance import chart
from finance.choices import EntryType, FineStatus
from finance.models import Fine, FinePayment, JournalEntry
from finance.selectors import trial_balance_get
from finance.services.fines import fine_issue
from mpesa.choices import C2BStatus, CallbackKind, CallbackOutcome, PaymentPurpose, StkStatus
from mpesa.models import C2BPayment, DarajaCallback
from tests.finance.books import balance, legs
from tests.mpesa.daraja import c2b, deliver, pending_stk, stk_success

pytestmark = pytest.mark.django_db


def fine(paybill, amount, reason):
    return fine_issue(
        chama=paybill.chama,
        acting=paybill.treasurer,
        membership=paybill.member,
        amount=D(amount),
        reason=reason,
    )


def test_the_paybill_with_an_f_account_settles_the_oldest_fines_first(client, paybill):
    # Given two fines, 300 then 500
    older, newer = fine(paybill, "300.00", "Late"), fine(paybill, "500.00", "Absent")

    # When the member pays 1,000 to account CHM042M003F
    response = deliver(
        client, CallbackKind.C2B_CONFIRMATION, c2b(paybill.account(suffix="F"), amount="1000.00")
    )

    # Then both fines are paid and the 200 left over is the member's credit
    assert response.json() == {"ResultCode": 0, "ResultDesc": "Accepted"}
    payment = FinePayment.objects.get()
    assert (payment.amount, payment.excess, payment.mpesa_receipt) == (
        D("1000.00"),
        D("200.00"),
        "SIF4QW8M1B",
    )
    assert legs(payment.entry) == [
        ("1010", "D", D("1000.00")),
        ("1120", "C", D("800.00")),
        ("2500", "C", D("200.00")),
    ]
    assert [a.fine_id for a in payment.allocations.all()] == [older.pk, newer.pk]
    assert set(Fine.objects.values_list("status", flat=True)) == {FineStatus.PAID}
    c2b_payment = C2BPayment.objects.get()
    assert (c2b_payment.status, c2b_payment.purpose, c2b_payment.entry_id) == (
        C2BStatus.CREDITED,
        PaymentPurpose.FINE,
        payment.entry_id,
    )
    assert balance(paybill.chama, chart.FINES_RECEIVABLE, member=paybill.member) == D("0.00")
    assert trial_balance_get(chama=paybill.chama) == D("0.00")


def test_a_short_paybill_payment_leaves_the_newer_fine_partial(client, paybill):
    older, newer = fine(paybill, "300.00", "Late"), fine(paybill, "500.00", "Absent")

    deliver(client, CallbackKind.C2B_CONFIRMATION, c2b(paybill.account(suffix="f"), amount="400"))

    older.refresh_from_db()
    newer.refresh_from_db()
    assert (older.status, newer.status, newer.unpaid) == ("paid", "partial", D("400.00"))


def test_the_same_fine_payment_twice_is_booked_once(client, paybill):
    fine(paybill, "300.00", "Late")
    data = c2b(paybill.account(suffix="F"), amount="100.00")

    deliver(client, CallbackKind.C2B_CONFIRMATION, data)
    deliver(client, CallbackKind.C2B_CONFIRMATION, data)

    assert FinePayment.objects.count() == 1
    assert JournalEntry.objects.filter(entry_type=EntryType.FINE_PAYMENT).count() == 1
    assert list(DarajaCallback.objects.order_by("id").values_list("outcome", flat=True)) == [
        CallbackOutcome.PROCESSED,
        CallbackOutcome.DUPLICATE,
    ]


def test_validation_accepts_an_f_account_only_while_fines_are_owed(client, paybill):
    data = c2b(paybill.account(suffix="F"), amount="100")
    refused = deliver(client, CallbackKind.C2B_VALIDATION, data).json()
    fine(paybill, "300.00", "Late")

    accepted = deliver(client, CallbackKind.C2B_VALIDATION, data).json()

    assert refused == {"ResultCode": "C2B00012", "ResultDesc": "Rejected"}
    assert accepted == {"ResultCode": "0", "ResultDesc": "Accepted"}


def test_an_f_account_of_a_member_who_owes_no_fines_goes_to_suspense(client, paybill):
    deliver(client, CallbackKind.C2B_CONFIRMATION, c2b(paybill.account(suffix="F")))

    payment = C2BPayment.objects.get()
    assert payment.status == C2BStatus.SUSPENSE
    assert payment.detail == f"{paybill.member.member_code} owes no fines."
    assert balance(paybill.chama, chart.SUSPENSE) == D("-1500.00")
    assert not FinePayment.objects.exists()


def test_a_prompt_for_fines_pays_them(client, paybill):
    owed = fine(paybill, "500.00", "Absent")
    request = pending_stk(paybill.member, amount="500", purpose=PaymentPurpose.FINE)

    deliver(client, CallbackKind.STK, stk_success(request.checkout_request_id, amount=500))

    request.refresh_from_db()
    assert request.status == StkStatus.SUCCEEDED
    assert (request.fine_payment.amount, request.fine_payment.mpesa_receipt) == (
        D("500.00"),
        "SIF3XK7P2Q",
    )
    owed.refresh_from_db()
    assert owed.status == FineStatus.PAID
    assert balance(paybill.chama, chart.MPESA_PAYBILL) == D("500.00")


def test_a_fine_receipt_by_stk_then_by_paybill_is_one_payment(client, paybill):
    fine(paybill, "500.00", "Absent")
    request = pending_stk(paybill.member, amount="500", purpose=PaymentPurpose.FINE)
    deliver(client, CallbackKind.STK, stk_success(request.checkout_request_id, amount=500))

    deliver(
        client,
        CallbackKind.C2B_CONFIRMATION,
        c2b(paybill.account(suffix="F"), amount="500.00", receipt="SIF3XK7P2Q"),
    )

    assert FinePayment.objects.count() == 1
    assert C2BPayment.objects.get().status == C2BStatus.DUPLICATE
    assert balance(paybill.chama, chart.MPESA_PAYBILL) == D("500.00")
