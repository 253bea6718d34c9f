"""The whole M-Pesa flow over real HTTP: the API asks the local Daraja simulator, which calls
our callback URLs on a live server, as Safaricom would."""

import json
import threading
import time
from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone
from rest_framework.test import APIClient
from rest_framework_simplejwt.tokens import RefreshToken

from finance import chart
from finance.choices import PaymentMethod, PayoutMethod, PayoutStatus, RoundStatus
from finance.models import Contribution, Round
from finance.selectors import trial_balance_get
from finance.services.contributions import contribution_record
from finance.services.payouts import payout_approve, payout_request
from mpesa.callbacks import callback_url
from mpesa.choices import B2CStatus, C2BStatus, CallbackKind, StkStatus
from mpesa.client import DarajaClient
from mpesa.models import B2CRequest, C2BPayment, StkRequest
from mpesa.services import b2c
from mpesa.services.reconcile import mpesa_reconcile
from tests.finance.books import balance

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def hooks(live_server, settings, daraja_simulator):
    """Daraja (the simulator) calling back our live server."""
    settings.MPESA_CALLBACK_BASE_URL = live_server.url
    return daraja_simulator


def pay(member, amount="500"):
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {RefreshToken.for_user(member.user).access_token}")
    response = api.post(
        f"/api/v1/chamas/{member.chama_id}/contributions/stk-push/",
        {"amount": amount},
        format="json",
    )
    assert response.status_code == 202, response.json()
    return StkRequest.objects.get(checkout_request_id=response.json()["checkout_request_id"])


def test_stk_success_confirms_the_contribution(paybill, hooks):
    request = pay(paybill.member)

    [delivery] = hooks.wait_for_deliveries(1)

    assert delivery.status == 200
    request.refresh_from_db()
    assert request.status == StkStatus.SUCCEEDED
    assert request.contribution.amount == Decimal("500.00")
    assert (
        request.contribution.mpesa_receipt
        == delivery.payload["Body"]["stkCallback"]["CallbackMetadata"]["Item"][1]["Value"]
    )
    assert balance(paybill.chama, chart.MPESA_PAYBILL) == Decimal("500.00")


def test_stk_cancelled_fails_with_the_reason_and_credits_nothing(paybill, hooks):
    hooks.queue("cancelled")
    request = pay(paybill.member)

    hooks.wait_for_deliveries(1)

    request.refresh_from_db()
    assert (request.status, request.failure_reason) == (
        StkStatus.FAILED,
        "You cancelled the payment on your phone.",
    )
    assert Contribution.objects.count() == 0


def test_a_callback_delivered_twice_makes_one_contribution(paybill, hooks):
    hooks.queue("duplicate_callback")
    pay(paybill.member)

    deliveries = hooks.wait_for_deliveries(2)

    assert [d.status for d in deliveries] == [200, 200]
    assert Contribution.objects.count() == 1
    assert balance(paybill.chama, chart.MPESA_PAYBILL) == Decimal("500.00")


def test_a_late_callback_after_reconciliation_asked_is_credited_once(paybill, hooks):
    hooks.queue("late_callback")
    request = pay(paybill.member)
    time.sleep(hooks.delay * 3)  # the query already reports success; the callback is late

    summary = mpesa_reconcile(now=timezone.now() + timedelta(minutes=4))
    request.refresh_from_db()
    assert summary.stk_queried == 1
    assert request.status == StkStatus.PENDING  # paid, but the receipt comes with the callback

    hooks.wait_for_deliveries(1)

    request.refresh_from_db()
    assert request.status == StkStatus.SUCCEEDED
    assert Contribution.objects.count() == 1


def paybill_payment(hooks, account, validation_url=None):
    client = DarajaClient.from_settings()
    client.c2b_register_urls(
        validation_url=validation_url or callback_url(CallbackKind.C2B_VALIDATION),
        confirmation_url=callback_url(CallbackKind.C2B_CONFIRMATION),
        response_type="Completed",
    )
    client.c2b_simulate(amount=1500, account_reference=account, phone="254712345678")


def test_paybill_to_a_member_account_is_validated_and_recorded(paybill, hooks):
    paybill_payment(hooks, paybill.account())

    validation, confirmation = hooks.wait_for_deliveries(2)

    assert json.loads(validation.body) == {"ResultCode": "0", "ResultDesc": "Accepted"}
    assert confirmation.status == 200
    contribution = Contribution.objects.get()
    assert (contribution.membership, contribution.amount) == (paybill.member, Decimal("1500.00"))
    assert C2BPayment.objects.get().status == C2BStatus.CREDITED


def test_paybill_to_an_unknown_account_is_refused_at_validation(paybill, hooks):
    paybill_payment(hooks, "CHM042M099")

    [validation] = hooks.wait_for_deliveries(1)
    time.sleep(hooks.delay * 4)

    assert json.loads(validation.body) == {"ResultCode": "C2B00012", "ResultDesc": "Rejected"}
    assert len(hooks.deliveries) == 1  # Daraja does not confirm a refused payment
    assert C2BPayment.objects.count() == 0


def test_paybill_confirmed_without_validation_to_an_unknown_member_goes_to_suspense(
    paybill, hooks, live_server
):
    # Validation unreachable and ResponseType Completed: Safaricom completes the payment.
    paybill_payment(hooks, "CHM042M099", validation_url=f"{live_server.url}/hooks/nowhere/")

    hooks.wait_for_deliveries(2)

    payment = C2BPayment.objects.get()
    assert payment.status == C2BStatus.SUSPENSE
    assert balance(paybill.chama, chart.SUSPENSE) == Decimal("-1500.00")
    assert trial_balance_get(chama=paybill.chama) == Decimal("0.00")


@pytest.fixture
def payout(paybill):
    """Round 1's pot of 900.00 requested for M-Pesa and awaiting approval."""
    for i, member in enumerate([paybill.chair, paybill.treasurer, paybill.member]):
        contribution_record(
            chama=paybill.chama,
            membership=member,
            amount=Decimal("500.00"),
            method=PaymentMethod.MPESA,
            mpesa_receipt=f"SIF0000AA{i}",
        )
    round1 = Round.objects.get(cycle__chama=paybill.chama, number=1)
    return payout_request(round=round1, acting=paybill.chair, method=PayoutMethod.MPESA)


def test_b2c_success_completes_the_payout(paybill, payout, hooks):
    payout_approve(payout=payout, acting=paybill.treasurer)

    [result] = hooks.wait_for_deliveries(1)

    payout.refresh_from_db()
    assert payout.status == PayoutStatus.COMPLETED
    assert payout.external_receipt == result.payload["Result"]["TransactionID"]
    [sent] = hooks.requests_to("/mpesa/b2c/v3/paymentrequest")
    assert (sent.body["PartyB"], sent.body["Amount"]) == (payout.destination, "900")
    assert sent.body["OriginatorConversationID"] == payout.external_id
    assert B2CRequest.objects.get().status == B2CStatus.SUCCEEDED
    assert balance(paybill.chama, chart.PAYOUTS_IN_FLIGHT) == Decimal("0.00")
    assert balance(paybill.chama, chart.MPESA_PAYBILL) == Decimal("600.00")


def test_b2c_failure_voids_the_payout_and_the_round_is_payable(paybill, payout, hooks):
    hooks.queue("failure")
    payout_approve(payout=payout, acting=paybill.treasurer)

    hooks.wait_for_deliveries(1)

    payout.refresh_from_db()
    assert payout.status == PayoutStatus.FAILED
    assert payout.round.status == RoundStatus.OPEN
    assert balance(paybill.chama, chart.PAYOUTS_IN_FLIGHT) == Decimal("0.00")
    assert balance(paybill.chama, chart.MPESA_PAYBILL) == Decimal("1500.00")


def test_b2c_timeout_is_settled_by_a_status_query_never_a_resend(paybill, payout, hooks):
    hooks.queue("timeout")
    payout_approve(payout=payout, acting=paybill.treasurer)

    timeout, status = hooks.wait_for_deliveries(2)

    assert (timeout.kind, status.kind) == ("b2c_timeout", "status_result")
    payout.refresh_from_db()
    assert payout.status == PayoutStatus.COMPLETED
    assert len(hooks.requests_to("/mpesa/b2c/v3/paymentrequest")) == 1
    assert balance(paybill.chama, chart.PAYOUTS_IN_FLIGHT) == Decimal("0.00")


@pytest.mark.postgres
def test_an_approved_mpesa_payout_is_sent_by_a_worker_not_by_the_request(
    paybill, payout, hooks, celery_worker, client_for, monkeypatch
):
    """The approving request answers with the payout in flight; the B2C call to Daraja is made
    by the Celery worker (its own thread here), and Daraja's result completes the payout."""
    senders = []
    send = b2c.b2c_send

    def send_and_note_the_thread(*, transfer):
        senders.append(threading.current_thread())
        return send(transfer=transfer)

    monkeypatch.setattr(b2c, "b2c_send", send_and_note_the_thread)

    response = client_for(paybill.treasurer.user).post(
        f"/api/v1/chamas/{paybill.chama.pk}/payouts/{payout.pk}/approve/"
    )

    assert response.status_code == 200, response.json()
    assert response.json()["status"] == PayoutStatus.IN_FLIGHT
    hooks.wait_for_deliveries(1)
    [sender] = senders
    assert sender is not threading.current_thread()
    [sent] = hooks.requests_to("/mpesa/b2c/v3/paymentrequest")
    assert sent.body["OriginatorConversationID"] == payout.external_id
    payout.refresh_from_db()
    assert payout.status == PayoutStatus.COMPLETED
    assert balance(paybill.chama, chart.PAYOUTS_IN_FLIGHT) == Decimal("0.00")
    assert balance(paybill.chama, chart.MPESA_PAYBILL) == Decimal("600.00")
