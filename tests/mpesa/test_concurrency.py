"""Safaricom delivering the same callback many times at once, on PostgreSQL with real
threads: one contribution, one posting, whatever the interleaving."""

from decimal import Decimal

import pytest
from django.test import Client

from finance import chart
from finance.models import Contribution
from finance.selectors import trial_balance_get
from mpesa.choices import CallbackKind, CallbackOutcome
from mpesa.models import C2BPayment, DarajaCallback
from tests.concurrency import run_concurrently
from tests.finance.books import balance
from tests.mpesa.daraja import c2b, deliver, pending_stk, stk_success

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_thirty_deliveries_of_one_stk_success_make_one_contribution(paybill):
    pending_stk(paybill.member)
    data = stk_success("ws_CO_15092024143013452712345678")

    answers = run_concurrently(lambda: deliver(Client(), CallbackKind.STK, data).status_code, 30)

    assert answers == [200] * 30
    assert Contribution.objects.count() == 1
    assert balance(paybill.chama, chart.MPESA_PAYBILL) == Decimal("500.00")
    outcomes = list(DarajaCallback.objects.values_list("outcome", flat=True))
    assert outcomes.count(CallbackOutcome.PROCESSED) == 1
    assert outcomes.count(CallbackOutcome.DUPLICATE) == 29
    assert trial_balance_get(chama=paybill.chama) == Decimal("0.00")


def test_thirty_deliveries_of_one_paybill_confirmation_book_it_once(paybill):
    data = c2b(paybill.account())

    answers = run_concurrently(
        lambda: deliver(Client(), CallbackKind.C2B_CONFIRMATION, data).status_code, 30
    )

    assert answers == [200] * 30
    assert Contribution.objects.count() == 1
    assert C2BPayment.objects.count() == 1
    assert balance(paybill.chama, chart.MPESA_PAYBILL) == Decimal("1500.00")


def test_the_same_payment_by_stk_and_paybill_at_once_is_one_contribution(paybill):
    pending_stk(paybill.member, amount="1500")
    stk = stk_success("ws_CO_15092024143013452712345678", amount=1500, receipt="SIF4QW8M1B")
    paybill_notice = c2b(paybill.account())
    deliveries = [(CallbackKind.STK, stk), (CallbackKind.C2B_CONFIRMATION, paybill_notice)] * 10
    turn = iter(deliveries)

    def one():
        kind, data = next(turn)
        return deliver(Client(), kind, data).status_code

    assert run_concurrently(one, len(deliveries)) == [200] * 20
    assert Contribution.objects.count() == 1
    assert balance(paybill.chama, chart.MPESA_PAYBILL) == Decimal("1500.00")
    assert trial_balance_get(chama=paybill.chama) == Decimal("0.00")
