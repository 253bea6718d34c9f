from dataclasses import dataclass, field
from decimal import Decimal

import pytest

from core.db import durable_atomic
from finance import chart
from finance.choices import EntryType, PayoutMethod
from finance.gateways import PAYOUT_GATEWAYS, payout_gateway_register
from finance.services.ledger import credit, debit, ledger_account_get, ledger_post


@pytest.fixture
def post_entry():
    """Post a simple two-leg entry through the ledger service, in its own transaction."""

    def post(chama, debit_code, credit_code, amount, **kwargs):
        with durable_atomic():
            return ledger_post(
                chama=chama,
                entry_type=kwargs.pop("entry_type", EntryType.CONTRIBUTION),
                lines=[
                    debit(ledger_account_get(chama=chama, code=debit_code), Decimal(amount)),
                    credit(ledger_account_get(chama=chama, code=credit_code), Decimal(amount)),
                ],
                **kwargs,
            )

    return post


@dataclass
class RecordingB2CGateway:
    """Stands in for M-Pesa B2C at the boundary: records what would have been sent."""

    method: PayoutMethod = PayoutMethod.MPESA
    source_code: str = chart.MPESA_PAYBILL
    two_phase: bool = True
    sent: list = field(default_factory=list)
    transfers: list = field(default_factory=list)

    def send(self, transfer):
        self.sent.append((transfer.destination, transfer.amount))
        self.transfers.append(transfer)


@pytest.fixture
def b2c_gateway():
    gateway = RecordingB2CGateway()
    previous = PAYOUT_GATEWAYS.get(PayoutMethod.MPESA)
    payout_gateway_register(gateway)
    yield gateway
    PAYOUT_GATEWAYS.pop(PayoutMethod.MPESA)
    if previous is not None:
        payout_gateway_register(previous)


@pytest.fixture
def without_mpesa_gateway(monkeypatch):
    """finance on its own: no M-Pesa app has registered its B2C gateway."""
    monkeypatch.delitem(PAYOUT_GATEWAYS, PayoutMethod.MPESA, raising=False)
