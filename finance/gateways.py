"""How a payout's money leaves the chama.

finance never imports mpesa: the M-Pesa app registers its B2C gateway here from its
AppConfig.ready(). Until it does, M-Pesa payouts are refused as unavailable.
"""

from dataclasses import asdict, dataclass
from decimal import Decimal
from typing import Protocol
from uuid import UUID

from django.db import models

from finance import chart
from finance.choices import PayoutMethod


class TransferKind(models.TextChoices):
    """What an outgoing transfer pays; the provider's answer is routed back by it."""

    PAYOUT = "payout", "Round pot payout"
    LOAN = "loan", "Loan disbursement"
    WELFARE = "welfare", "Welfare claim"
    INVESTMENT = "investment", "Investment placement"


@dataclass(frozen=True)
class Transfer:
    """Money leaving the chama through a gateway, with what the provider needs."""

    kind: TransferKind
    object_id: UUID  # the Payout, Loan, WelfareClaim or investment holding
    chama_id: UUID
    amount: Decimal
    destination: str  # the recipient's phone, 2547XXXXXXXX
    reference: str  # our unique id for this transfer: the provider's idempotency key
    remarks: str

    def to_message(self) -> dict[str, str]:
        """The transfer as the JSON a task is sent with."""
        return {name: str(value) for name, value in asdict(self).items()}

    @classmethod
    def from_message(cls, message: dict[str, str]) -> "Transfer":
        return cls(
            kind=TransferKind(message["kind"]),
            object_id=UUID(message["object_id"]),
            chama_id=UUID(message["chama_id"]),
            amount=Decimal(message["amount"]),
            destination=message["destination"],
            reference=message["reference"],
            remarks=message["remarks"],
        )


class PayoutGateway(Protocol):
    @property
    def method(self) -> PayoutMethod: ...

    @property
    def source_code(self) -> str:
        """The asset account the money leaves from."""

    @property
    def two_phase(self) -> bool:
        """Two-phase gateways park the money in "payouts in flight" (1090) until the provider
        reports the outcome, then call payout_settle or payout_fail."""

    def send(self, transfer: Transfer) -> None:
        """Start the transfer; called by ``transfer_send_task`` after the approving transaction
        commits, so no request waits on the provider. May run again for the same transfer (a
        redelivered task): it must never send one reference twice."""


@dataclass(frozen=True)
class ManualGateway:
    """Cash handed over or a bank transfer made by the treasurer: settled when approved."""

    method: PayoutMethod
    source_code: str
    two_phase: bool = False

    def send(self, transfer: Transfer) -> None:
        return None


PAYOUT_GATEWAYS: dict[str, PayoutGateway] = {
    PayoutMethod.CASH: ManualGateway(PayoutMethod.CASH, chart.CASH),
    PayoutMethod.BANK: ManualGateway(PayoutMethod.BANK, chart.BANK),
}


# A payment to a business's paybill (M-Pesa B2B: an investment placed with a fund or broker),
# not to a phone. Registered under this name by whatever app can send one; until then
# placements by M-Pesa are refused as unavailable.
PAYBILL_GATEWAY = "mpesa_paybill"


def payout_gateway_register(gateway: PayoutGateway) -> None:
    PAYOUT_GATEWAYS[gateway.method] = gateway
