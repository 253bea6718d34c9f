"""STK results reaching the callback URL: credited once, failed with a reason a member can
read, or held for the treasurer; never credited on a mismatch or an unknown request."""

from datetime import datetime
from decimal import Decimal

import pytest

from finance import chart
from finance.choices import ContributionStatus, PaymentMethod
from finance.models import Contribution
from finance.selectors import trial_balance_get
from finance.services.contributions import contribution_record
from mpesa.choices import CallbackKind, CallbackOutcome, StkStatus
from mpesa.models import DarajaCallback
from mpesa.payloads import NAIROBI
from tests.finance.books import balance
from tests.mpesa.daraja import deliver, pending_stk, stk_failure, stk_success

pytestmark = pytest.mark.django_db
CHECKOUT = "ws_CO_15092024143013452712345678"


def outcomes():
    return list(DarajaCallback.objects.order_by("id").values_list("outcome", flat=True))


def test_success_confirms_the_contribution_posts_it_and_settles_the_due(client, paybill):
    request = pending_stk(paybill.member)

    response = deliver(client, CallbackKind.STK, stk_success(CHECKOUT))

    assert response.json() == {"ResultCode": 0, "ResultDesc": "Accepted"}
    request.refresh_from_db()
    assert request.status == StkStatus.SUCCEEDED
    assert request.receipt == "SIF3XK7P2Q"
    contribution = request.contribution
    assert contribution.membership == paybill.member
    assert contribution.amount == Decimal("500.00")
    assert contribution.method == PaymentMethod.MPESA
    assert contribution.status == ContributionStatus.CONFIRMED
    assert contribution.mpesa_receipt == "SIF3XK7P2Q"
    assert contribution.paid_at == datetime(2024, 9, 15, 14, 30, 41, tzinfo=NAIROBI)
    assert contribution.entry.external_ref == "SIF3XK7P2Q"
    assert balance(paybill.chama, chart.MPESA_PAYBILL) == Decimal("500.00")
    assert balance(paybill.chama, chart.MEMBER_SAVINGS, member=paybill.member) == Decimal("-200.00")
    assert trial_balance_get(chama=paybill.chama) == Decimal("0.00")
    assert outcomes() == [CallbackOutcome.PROCESSED]


def test_the_same_callback_twice_makes_one_contribution(client, paybill):
    pending_stk(paybill.member)

    deliver(client, CallbackKind.STK, stk_success(CHECKOUT))
    again = deliver(client, CallbackKind.STK, stk_success(CHECKOUT))

    assert again.json() == {"ResultCode": 0, "ResultDesc": "Accepted"}
    assert Contribution.objects.count() == 1
    assert balance(paybill.chama, chart.MPESA_PAYBILL) == Decimal("500.00")
    assert outcomes() == [CallbackOutcome.PROCESSED, CallbackOutcome.DUPLICATE]


@pytest.mark.parametrize(
    ("payload_name", "reason"),
    [
        ("stk_callback_cancelled", "You cancelled the payment on your phone."),
        (
            "stk_callback_timeout",
            "Your phone could not be reached. Check that it is on and has signal, then try again.",
        ),
    ],
)
def test_a_failed_prompt_records_a_reason_the_member_can_read(
    client, paybill, payload_name, reason
):
    request = pending_stk(paybill.member)

    deliver(client, CallbackKind.STK, stk_failure(CHECKOUT, payload_name))

    request.refresh_from_db()
    assert (request.status, request.failure_reason) == (StkStatus.FAILED, reason)
    assert Contribution.objects.count() == 0
    assert balance(paybill.chama, chart.MPESA_PAYBILL) == Decimal("0.00")


@pytest.mark.parametrize(
    ("code", "reason"),
    [
        (1, "Your M-Pesa balance was not enough for this payment."),
        (2001, "The M-Pesa PIN entered was wrong."),
        (4999, "M-Pesa could not complete the payment: Something new (code 4999)."),
    ],
)
def test_other_result_codes_including_unknown_ones(client, paybill, code, reason):
    request = pending_stk(paybill.member)
    data = stk_failure(CHECKOUT)
    data["Body"]["stkCallback"].update(ResultCode=code, ResultDesc="Something new")

    deliver(client, CallbackKind.STK, data)

    request.refresh_from_db()
    assert (request.status, request.result_code, request.failure_reason) == (
        StkStatus.FAILED,
        code,
        reason,
    )
    assert Contribution.objects.count() == 0


def test_a_tampered_amount_is_held_for_the_treasurer_and_not_credited(client, paybill):
    request = pending_stk(paybill.member)

    deliver(client, CallbackKind.STK, stk_success(CHECKOUT, amount=50000))

    request.refresh_from_db()
    assert request.status == StkStatus.HELD
    assert request.failure_reason == (
        "M-Pesa reported 50000.00 paid against 500.00 requested: held for the treasurer."
    )
    assert Contribution.objects.count() == 0
    assert balance(paybill.chama, chart.MPESA_PAYBILL) == Decimal("0.00")
    assert outcomes() == [CallbackOutcome.HELD]


def test_payment_from_another_phone_is_held(client, paybill):
    request = pending_stk(paybill.member)

    deliver(client, CallbackKind.STK, stk_success(CHECKOUT, phone=254799999999))

    request.refresh_from_db()
    assert request.status == StkStatus.HELD
    assert request.failure_reason == (
        "M-Pesa reported payment from 254799999999, not 254712345678: held for the treasurer."
    )
    assert Contribution.objects.count() == 0


def test_an_unknown_checkout_request_credits_nothing(client, paybill):
    pending_stk(paybill.member)

    deliver(client, CallbackKind.STK, stk_success("ws_CO_00000000000000000000000000"))

    assert Contribution.objects.count() == 0
    stored = DarajaCallback.objects.get()
    assert (stored.outcome, stored.detail) == (
        CallbackOutcome.UNKNOWN,
        "No payment request with this CheckoutRequestID.",
    )


def test_a_receipt_already_booked_by_hand_is_linked_not_counted_again(client, paybill):
    by_hand = contribution_record(
        chama=paybill.chama,
        membership=paybill.member,
        amount=Decimal("500.00"),
        method=PaymentMethod.MPESA,
        mpesa_receipt="SIF3XK7P2Q",
    )
    request = pending_stk(paybill.member)

    deliver(client, CallbackKind.STK, stk_success(CHECKOUT))

    request.refresh_from_db()
    assert (request.status, request.contribution) == (StkStatus.SUCCEEDED, by_hand)
    assert Contribution.objects.count() == 1
    assert balance(paybill.chama, chart.MPESA_PAYBILL) == Decimal("500.00")
    assert outcomes() == [CallbackOutcome.DUPLICATE]


def test_success_after_the_request_was_failed_is_held_with_its_receipt(client, paybill):
    request = pending_stk(paybill.member)
    deliver(client, CallbackKind.STK, stk_failure(CHECKOUT))

    deliver(client, CallbackKind.STK, stk_success(CHECKOUT))

    request.refresh_from_db()
    assert request.status == StkStatus.HELD
    assert request.receipt == "SIF3XK7P2Q"
    assert request.failure_reason == (
        "M-Pesa reported success after the request was marked failed: held for the treasurer."
    )
    assert Contribution.objects.count() == 0


def test_a_late_failure_after_success_changes_nothing(client, paybill):
    request = pending_stk(paybill.member)
    deliver(client, CallbackKind.STK, stk_success(CHECKOUT))

    deliver(client, CallbackKind.STK, stk_failure(CHECKOUT))

    request.refresh_from_db()
    assert request.status == StkStatus.SUCCEEDED
    assert outcomes() == [CallbackOutcome.PROCESSED, CallbackOutcome.DUPLICATE]
