from dataclasses import dataclass
from datetime import date
from decimal import Decimal

import pytest

from finance.services.cycles import cycle_create
from groups.choices import Plan, Role
from groups.models import Chama, Membership
from tests.factories import UserFactory, add_member, make_chama


@dataclass
class Paybill:
    """Chama CHM042 on the shared paybill: 500 a month (300 pot, 200 savings), a treasurer,
    and a member whose M-Pesa phone is the one in the sample payloads."""

    chama: Chama
    chair: Membership
    treasurer: Membership
    member: Membership

    def account(self, member: Membership | None = None, suffix: str = "") -> str:
        return f"{self.chama.code}{(member or self.member).member_code}{suffix}"


@pytest.fixture
def paybill(db) -> Paybill:
    chama = make_chama(
        name="Chama Arobaini",
        code="CHM042",
        plan=Plan.PREMIUM,
        contribution_amount=Decimal("500.00"),
        rotation_amount=Decimal("300.00"),
        savings_amount=Decimal("200.00"),
    )
    treasurer = add_member(chama, role=Role.TREASURER)
    member = add_member(chama, user=UserFactory(phone="254712345678"))
    cycle_create(chama=chama, start_date=date(2024, 9, 1))
    return Paybill(chama, chama.memberships.get(role=Role.CHAIR), treasurer, member)


@pytest.fixture
def payout_in_flight(paybill, b2c_gateway, django_capture_on_commit_callbacks):
    """Round 1's pot (three dues of 300.00) approved for M-Pesa and in flight, its transfer
    recorded as b2c_send records one that Daraja accepted."""
    from finance.choices import PaymentMethod, PayoutMethod
    from finance.models import Round
    from finance.services.contributions import contribution_record
    from finance.services.payouts import payout_approve, payout_request
    from tests.mpesa.daraja import sent_b2c

    for i, member in enumerate([paybill.chair, paybill.treasurer, paybill.member]):
        contribution_record(
            chama=paybill.chama,
            membership=member,
            amount=Decimal("500.00"),
            method=PaymentMethod.MPESA,
            mpesa_receipt=f"SIF0000AA{i}",
        )
    round1 = Round.objects.get(cycle__chama=paybill.chama, number=1)
    payout = payout_request(round=round1, acting=paybill.chair, method=PayoutMethod.MPESA)
    with django_capture_on_commit_callbacks(execute=True):
        payout = payout_approve(payout=payout, acting=paybill.treasurer)
    transfer = b2c_gateway.transfers[-1]
    request = sent_b2c(transfer, conversation_id="AG_20240915_201038d13c26dd7276bb")
    return payout, request


@pytest.fixture
def daraja(monkeypatch):
    """Daraja answering from a script (see tests.mpesa.daraja.ScriptedDaraja)."""
    from tests.mpesa.daraja import ScriptedDaraja

    scripted = ScriptedDaraja()
    monkeypatch.setattr(
        "mpesa.client.DarajaClient.from_settings", classmethod(lambda cls: scripted)
    )
    return scripted
