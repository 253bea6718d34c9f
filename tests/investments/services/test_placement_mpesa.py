"""A placement sent by M-Pesa to the option's paybill: in flight until the provider answers,
then settled into the holding or returned to the paybill, once."""

from dataclasses import dataclass, field
from decimal import Decimal

import pytest

from core.exceptions import ConflictError
from finance.gateways import PAYBILL_GATEWAY, PAYOUT_GATEWAYS, Transfer
from finance.services.transfers import transfer_fail, transfer_settle
from investments.choices import HoldingStatus, OptionKind
from tests.investments.fixtures import PAYBILL, balance, legs, make_club, option, pay_in, place

pytestmark = pytest.mark.django_db


@dataclass
class FakePaybillGateway:
    method: str = PAYBILL_GATEWAY
    source_code: str = PAYBILL
    two_phase: bool = True
    sent: list[Transfer] = field(default_factory=list)

    def send(self, transfer: Transfer) -> None:
        self.sent.append(transfer)


@pytest.fixture
def gateway(monkeypatch):
    fake = FakePaybillGateway()
    monkeypatch.setitem(PAYOUT_GATEWAYS, PAYBILL_GATEWAY, fake)
    return fake


def send(club, django_capture_on_commit_callbacks):
    fund = option(OptionKind.MONEY_MARKET, "0.12")
    with django_capture_on_commit_callbacks(execute=True):
        return place(club, fund, "20000.00", method="mpesa", paying_account_code=PAYBILL)


def test_a_placement_is_in_flight_then_settled_once(gateway, django_capture_on_commit_callbacks):
    club = make_club()
    pay_in(club, "50000.00", method="mpesa")
    holding = send(club, django_capture_on_commit_callbacks)
    assert holding.status == HoldingStatus.PLACING
    assert legs(holding.in_flight_entry_id) == [
        ("D", "1090", Decimal("20000.00")),
        ("C", PAYBILL, Decimal("20000.00")),
    ]
    [sent] = gateway.sent
    assert (sent.destination, sent.amount, sent.reference) == (
        "000000", Decimal("20000.00"), holding.pk.hex,
    )  # fmt: skip
    settled = transfer_settle(kind="investment", object_id=holding.pk, receipt="TIN1234567")
    assert (settled.status, settled.broker_reference) == (HoldingStatus.ACTIVE, "TIN1234567")
    assert legs(settled.placement_entry_id) == [
        ("D", "1200", Decimal("20000.00")),
        ("C", "1090", Decimal("20000.00")),
    ]
    assert balance(club.chama, "1090") == Decimal("0.00")
    with pytest.raises(ConflictError) as repeat:
        transfer_settle(kind="investment", object_id=holding.pk, receipt="TIN1234567")
    assert repeat.value.message == "This placement is not awaiting M-Pesa's answer; it is active."


def test_a_refused_placement_returns_the_money(gateway, django_capture_on_commit_callbacks):
    club = make_club()
    pay_in(club, "50000.00", method="mpesa")
    holding = send(club, django_capture_on_commit_callbacks)
    failed = transfer_fail(kind="investment", object_id=holding.pk, reason="Invalid account")
    assert (failed.status, failed.failure_reason) == (HoldingStatus.FAILED, "Invalid account")
    assert balance(club.chama, PAYBILL) == Decimal("50000.00")
    assert balance(club.chama, "1090") == Decimal("0.00")
    with pytest.raises(ConflictError):
        transfer_fail(kind="investment", object_id=holding.pk, reason="again")
