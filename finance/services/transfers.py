"""The provider's answer about an outgoing transfer, routed to what it paid.

The one entry point for a two-phase gateway (finance.gateways): when M-Pesa reports a B2C
result, the M-Pesa app calls ``transfer_settle`` or ``transfer_fail`` with the ``kind`` and
``object_id`` of the Transfer it was given. An object that is no longer in flight (a repeated
or late answer) raises ConflictError (``payout_not_in_flight``, ``loan_not_in_flight``,
``claim_not_in_flight``) and writes nothing: callers treat it as a duplicate.

Kinds finance does not own (an investment placement) are answered by the handlers their app
registers from its AppConfig.ready() (``transfer_handler_register``), so neither mpesa nor
finance imports the apps above them.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar
from uuid import UUID

from django.db.models import Model

from core.exceptions import NotFoundError
from finance.exceptions import FinanceError
from finance.gateways import TransferKind
from finance.models import Loan, Payout, WelfareClaim
from finance.services.loans import loan_disbursement_fail, loan_disbursement_settle
from finance.services.payouts import payout_fail, payout_settle
from finance.services.welfare import welfare_claim_fail, welfare_claim_settle

M = TypeVar("M", bound=Model)


@dataclass(frozen=True)
class TransferHandler:
    """How an app above finance settles and fails the transfers of its own kind; each takes
    ``object_id``, ``receipt`` or ``reason``, and ``nested`` as the services here do."""

    settle: Callable[..., Model]
    fail: Callable[..., Model]


TRANSFER_HANDLERS: dict[str, TransferHandler] = {}


def transfer_handler_register(kind: TransferKind, handler: TransferHandler) -> None:
    TRANSFER_HANDLERS[kind] = handler


def _paid_by_transfer(model: type[M], kind: TransferKind, object_id: UUID) -> M:
    found = model._default_manager.filter(pk=object_id).first()
    if found is None:
        raise NotFoundError(
            FinanceError.TRANSFER_NOT_FOUND, kind=kind.label.lower(), object_id=object_id
        )
    return found


def _answer(
    kind: TransferKind | str,
    object_id: UUID,
    *,
    payout: Callable[[Payout], Payout],
    loan: Callable[[Loan], Loan],
    claim: Callable[[WelfareClaim], WelfareClaim],
) -> Payout | Loan | WelfareClaim:
    kind = TransferKind(kind)
    if kind not in (TransferKind.PAYOUT, TransferKind.LOAN, TransferKind.WELFARE):
        raise NotFoundError(
            FinanceError.TRANSFER_NOT_FOUND, kind=kind.label.lower(), object_id=object_id
        )
    if kind == TransferKind.PAYOUT:
        return payout(_paid_by_transfer(Payout, kind, object_id))
    if kind == TransferKind.LOAN:
        return loan(_paid_by_transfer(Loan, kind, object_id))
    return claim(_paid_by_transfer(WelfareClaim, kind, object_id))


def transfer_settle(
    *, kind: TransferKind | str, object_id: UUID, receipt: str, nested: bool = False
) -> Model:
    """The provider confirmed the transfer, with its receipt: settle what it paid.
    ``nested``: inside the caller's durable transaction (core.db.durable)."""
    handler = TRANSFER_HANDLERS.get(kind)
    if handler is not None:
        return handler.settle(object_id=object_id, receipt=receipt, nested=nested)
    return _answer(
        kind,
        object_id,
        payout=lambda payout: payout_settle(payout=payout, receipt=receipt, nested=nested),
        loan=lambda loan: loan_disbursement_settle(loan=loan, receipt=receipt, nested=nested),
        claim=lambda claim: welfare_claim_settle(claim=claim, receipt=receipt, nested=nested),
    )


def transfer_fail(
    *, kind: TransferKind | str, object_id: UUID, reason: str, nested: bool = False
) -> Model:
    """The provider refused the transfer: the money is back and what it paid is payable
    again."""
    handler = TRANSFER_HANDLERS.get(kind)
    if handler is not None:
        return handler.fail(object_id=object_id, reason=reason, nested=nested)
    return _answer(
        kind,
        object_id,
        payout=lambda payout: payout_fail(payout=payout, reason=reason, nested=nested),
        loan=lambda loan: loan_disbursement_fail(loan=loan, reason=reason, nested=nested),
        claim=lambda claim: welfare_claim_fail(claim=claim, reason=reason, nested=nested),
    )
