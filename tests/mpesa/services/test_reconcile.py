"""mpesa_reconcile: asks about prompts and transfers Daraja never answered, backs off between
questions, and processes callbacks that were stored but not processed."""

import json
from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from finance.models import Contribution
from mpesa.choices import B2CStatus, CallbackKind, CallbackOutcome, StkStatus
from mpesa.models import B2CRequest, DarajaCallback, StkRequest
from mpesa.services.intake import callback_store
from mpesa.services.reconcile import STK_PAID_NO_RECEIPT, mpesa_reconcile
from tests.mpesa.daraja import deliver, pending_stk, stk_failure, stk_success

pytestmark = pytest.mark.django_db


def aged(request, minutes):
    StkRequest.objects.filter(pk=request.pk).update(
        created_at=timezone.now() - timedelta(minutes=minutes)
    )
    request.refresh_from_db()
    return request


def test_a_fresh_prompt_is_left_alone_an_old_one_is_queried(paybill, daraja):
    fresh = pending_stk(paybill.member, checkout="ws_CO_fresh")
    old = aged(pending_stk(paybill.member, checkout="ws_CO_old", amount="700"), 4)

    summary = mpesa_reconcile()

    assert daraja.stk_queries == ["ws_CO_old"]
    assert summary.stk_queried == 1
    fresh.refresh_from_db()
    old.refresh_from_db()
    assert (fresh.status, old.status, old.query_count) == (StkStatus.PENDING,) * 2 + (1,)


def test_being_processed_is_pending_and_queries_back_off(paybill, daraja):
    old = aged(pending_stk(paybill.member, checkout="ws_CO_old"), 4)
    now = timezone.now()

    mpesa_reconcile(now=now)
    mpesa_reconcile(now=now + timedelta(minutes=1))  # within the 2-minute back-off
    mpesa_reconcile(now=now + timedelta(minutes=3))

    assert daraja.stk_queries == ["ws_CO_old", "ws_CO_old"]
    old.refresh_from_db()
    assert (old.status, old.query_count) == (StkStatus.PENDING, 2)


def test_a_query_that_reports_a_cancel_fails_the_request(paybill, daraja):
    old = aged(pending_stk(paybill.member, checkout="ws_CO_old"), 4)
    daraja.stk_answers["ws_CO_old"] = (1032, "Request cancelled by user")

    summary = mpesa_reconcile()

    old.refresh_from_db()
    assert (old.status, old.failure_reason) == (
        StkStatus.FAILED,
        "You cancelled the payment on your phone.",
    )
    assert summary.stk_failed == 1


def test_paid_per_query_waits_for_the_callback_then_the_late_callback_credits_it(
    client, paybill, daraja
):
    old = aged(pending_stk(paybill.member), 4)
    daraja.stk_answers[old.checkout_request_id] = (
        0,
        "The service request is processed successfully.",
    )

    mpesa_reconcile()
    old.refresh_from_db()
    assert old.status == StkStatus.PENDING  # a query has no receipt: nothing to credit yet

    deliver(client, CallbackKind.STK, stk_success(old.checkout_request_id))

    old.refresh_from_db()
    assert old.status == StkStatus.SUCCEEDED
    assert Contribution.objects.get().amount == Decimal("500.00")


def test_paid_per_query_with_no_callback_for_an_hour_goes_to_the_treasurer(paybill, daraja):
    old = aged(pending_stk(paybill.member), 61)
    daraja.stk_answers[old.checkout_request_id] = (
        0,
        "The service request is processed successfully.",
    )

    mpesa_reconcile()

    old.refresh_from_db()
    assert (old.status, old.failure_reason) == (StkStatus.HELD, STK_PAID_NO_RECEIPT)
    assert Contribution.objects.count() == 0


def test_a_cancel_callback_after_reconciliation_failed_it_is_a_duplicate(client, paybill, daraja):
    old = aged(pending_stk(paybill.member), 4)
    daraja.stk_answers[old.checkout_request_id] = (1032, "Request cancelled by user")
    mpesa_reconcile()

    deliver(client, CallbackKind.STK, stk_failure(old.checkout_request_id))

    assert DarajaCallback.objects.get().outcome == CallbackOutcome.DUPLICATE


def test_a_stored_but_unprocessed_callback_is_processed(paybill, daraja):
    pending_stk(paybill.member)
    body = json.dumps(stk_success("ws_CO_15092024143013452712345678")).encode()
    stuck = callback_store(
        kind=CallbackKind.STK, body=body, body_size=len(body), headers={}, source_ip="127.0.0.1"
    )
    DarajaCallback.objects.filter(pk=stuck.pk).update(
        received_at=timezone.now() - timedelta(minutes=2)
    )

    summary = mpesa_reconcile()
    again = mpesa_reconcile()

    stuck.refresh_from_db()
    assert stuck.outcome == CallbackOutcome.PROCESSED
    assert (summary.reprocessed, again.reprocessed) == (1, 0)
    assert Contribution.objects.count() == 1


def test_unknown_and_overdue_transfers_are_queried_never_resent(paybill, daraja):
    common = {
        "chama": paybill.chama,
        "kind": "payout",
        "amount": Decimal("900"),
        "phone": "254712345678",
    }
    unknown = B2CRequest.objects.create(
        object_id=paybill.chama.pk,
        originator_conversation_id="a",
        status=B2CStatus.UNKNOWN,
        **common,
    )
    B2CRequest.objects.create(
        object_id=paybill.chama.pk, originator_conversation_id="b", status=B2CStatus.SENT, **common
    )
    overdue = B2CRequest.objects.create(
        object_id=paybill.chama.pk, originator_conversation_id="c", status=B2CStatus.SENT, **common
    )
    # Its worker died while sending it: Daraja may or may not have it.
    stalled = B2CRequest.objects.create(
        object_id=paybill.chama.pk,
        originator_conversation_id="d",
        status=B2CStatus.SENDING,
        **common,
    )
    B2CRequest.objects.create(
        object_id=paybill.chama.pk,
        originator_conversation_id="e",
        status=B2CStatus.SENDING,
        **common,
    )
    B2CRequest.objects.filter(pk__in=[overdue.pk, stalled.pk]).update(
        created_at=timezone.now() - timedelta(minutes=11)
    )

    summary = mpesa_reconcile()

    assert sorted(daraja.status_queries) == ["a", "c", "d"]
    assert summary.b2c_queried == 3
    unknown.refresh_from_db()
    assert unknown.query_count == 1
