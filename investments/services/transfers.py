"""The M-Pesa provider's answer about a placement sent to an option's paybill, registered
with finance's transfer router (``finance.services.transfers``) from InvestmentsConfig.ready():
settled, the money in flight goes into the holding (Dr 1200 holding, 5400 · Cr 1090); failed,
it goes back to the paybill (Dr 1010 · Cr 1090) and the holding is failed. An answer for a
holding no longer in flight (a repeat) is refused with 409 holding_not_in_flight, writing
nothing, as finance's own kinds are."""

from uuid import UUID

from core.db import durable
from core.exceptions import ConflictError, NotFoundError
from finance import chart
from finance.choices import EntryType
from finance.exceptions import FinanceError
from finance.gateways import TransferKind
from finance.services.in_flight import (
    in_flight_account,
    transfer_outcome_post,
    transfer_return,
)
from finance.services.ledger import credit, debit, ledger_account_get
from finance.services.transfers import TransferHandler
from investments.choices import HoldingStatus
from investments.exceptions import InvestmentError
from investments.locks import holding_lock
from investments.models import Holding


def _in_flight(object_id: UUID) -> Holding:
    if not Holding.objects.filter(pk=object_id).exists():
        raise NotFoundError(
            FinanceError.TRANSFER_NOT_FOUND,
            kind=TransferKind.INVESTMENT.label.lower(),
            object_id=object_id,
        )
    holding = holding_lock(object_id)
    if holding.status != HoldingStatus.PLACING:
        raise ConflictError(
            InvestmentError.NOT_IN_FLIGHT, status=holding.get_status_display().lower()
        )
    return holding


@durable
def holding_placement_settle(*, object_id: UUID, receipt: str) -> Holding:
    holding = _in_flight(object_id)
    chama = holding.chama
    total = holding.cost + holding.tax_withheld_up_front
    holding.placement_entry = transfer_outcome_post(
        chama=chama,
        reference=holding.pk.hex,
        entry_type=EntryType.INVESTMENT_PLACED,
        lines=[
            debit(holding.ledger_account, holding.cost),
            debit(
                ledger_account_get(chama=chama, code=chart.WITHHOLDING_TAX),
                holding.tax_withheld_up_front,
            ),
            credit(in_flight_account(chama), total),
        ],
        memo=f"Placed in {holding.option.name} by M-Pesa, receipt {receipt}",
        member=None,  # type: ignore[arg-type]  # a placement is the chama's, no member's
        receipt=receipt,
    )
    holding.status = HoldingStatus.ACTIVE
    holding.broker_reference = holding.broker_reference or receipt[:64]
    holding.save(update_fields=["status", "placement_entry", "broker_reference", "updated_at"])
    return holding


@durable
def holding_placement_fail(*, object_id: UUID, reason: str) -> Holding:
    holding = _in_flight(object_id)
    transfer_return(
        sent=holding.in_flight_entry,
        reference=holding.pk.hex,
        entry_type=EntryType.INVESTMENT_FAILED,
        memo=f"Placement in {holding.option.name} failed: {reason}"[:255],
        member=None,  # type: ignore[arg-type]  # a placement is the chama's, no member's
    )
    holding.status = HoldingStatus.FAILED
    holding.failure_reason = (reason or "The provider refused the payment.")[:255]
    holding.save(update_fields=["status", "failure_reason", "updated_at"])
    return holding


HANDLER = TransferHandler(settle=holding_placement_settle, fail=holding_placement_fail)
