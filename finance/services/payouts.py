"""Paying a round's pot to its recipient: request, approval by another official, settlement."""

import uuid

from django.db import IntegrityError, transaction
from django.utils import timezone

from core.db import durable
from core.exceptions import ConflictError, PermissionDeniedError, ValidationFailed
from core.money import ZERO
from finance import chart
from finance import exceptions as msg
from finance.choices import (
    LIVE_PAYOUT_STATUSES,
    CycleStatus,
    EntryType,
    PayoutStatus,
    RoundStatus,
)
from finance.gateways import PAYOUT_GATEWAYS, Transfer, TransferKind
from finance.locks import payout_lock, round_lock
from finance.models import Payout, Round
from finance.selectors import round_summary_get
from finance.services.in_flight import TRANSFER_SOURCE
from finance.services.ledger import credit, debit, ledger_account_get, ledger_post
from groups.choices import Role
from groups.models import Membership


def _round_label(rnd: Round) -> str:
    return f"{rnd.cycle.number}.{rnd.number}"


@durable
def _payout_request(
    *, round_id: uuid.UUID, requested_by: Membership, method: str, override_reason: str
) -> Payout:
    rnd = round_lock(round_id)
    live = Payout.objects.filter(round=rnd, status__in=LIVE_PAYOUT_STATUSES).first()
    if live is not None:
        raise ConflictError(
            msg.PAYOUT_EXISTS.format(status=live.get_status_display().lower()), code="payout_exists"
        )
    if method not in PAYOUT_GATEWAYS:
        raise ValidationFailed(
            msg.METHOD_UNAVAILABLE.format(method=method), code="method_unavailable", field="method"
        )
    summary = round_summary_get(round=rnd)
    if not summary.is_disbursable:
        if not override_reason:
            raise ConflictError(
                msg.NOT_DISBURSABLE.format(round=_round_label(rnd), count=len(summary.defaulters)),
                code="not_disbursable",
            )
        if requested_by.role != Role.CHAIR:
            raise PermissionDeniedError(msg.OVERRIDE_CHAIR_ONLY, code="override_chair_only")
    pot = ledger_account_get(chama=rnd.chama, code=chart.POT_PAYABLE, round=rnd)
    amount = -pot.cached_balance  # a liability: what the round's pot owes its recipient
    if amount <= ZERO:
        raise ConflictError(msg.NOTHING_TO_PAY, code="nothing_to_pay")
    payout = Payout.objects.create(
        chama=rnd.chama,
        round=rnd,
        recipient=rnd.recipient,
        amount=amount,
        method=method,
        destination=rnd.recipient.receive_phone,
        override_reason=override_reason if not summary.is_disbursable else "",
        requested_by=requested_by.user,
        external_id=uuid.uuid4().hex,
    )
    rnd.status = RoundStatus.PAYOUT_PENDING
    rnd.save(update_fields=["status", "updated_at"])
    return payout


def payout_request(
    *, round: Round, requested_by: Membership, method: str, override_reason: str = ""
) -> Payout:
    """An official asks to pay the round's pot (what its dues' rotation parts collected) to
    the recipient's ``receive_phone``. Refused while dues are unsettled unless the chair
    overrides with a reason; at most one live payout per round, also under racing requests."""
    try:
        return _payout_request(
            round_id=round.pk,
            requested_by=requested_by,
            method=method,
            override_reason=override_reason.strip(),
        )
    except IntegrityError:
        if Payout.objects.filter(round=round, status__in=LIVE_PAYOUT_STATUSES).exists():
            raise ConflictError(
                msg.PAYOUT_EXISTS.format(status="requested"), code="payout_exists"
            ) from None
        raise


def _locked_payout(payout: Payout) -> tuple[Round, Payout]:
    rnd = round_lock(payout.round_id)
    return rnd, payout_lock(payout.pk)


def _mark_round_paid(rnd: Round) -> None:
    rnd.status = RoundStatus.PAID
    rnd.save(update_fields=["status", "updated_at"])
    if not rnd.cycle.rounds.exclude(status=RoundStatus.PAID).exists():
        rnd.cycle.status = CycleStatus.COMPLETED
        rnd.cycle.save(update_fields=["status", "updated_at"])


def _reopen_round(rnd: Round) -> None:
    rnd.status = RoundStatus.OPEN
    rnd.save(update_fields=["status", "updated_at"])


@durable
def payout_approve(*, payout: Payout, approved_by: Membership) -> Payout:
    """Another official approves: the money leaves through the payout's gateway."""
    rnd, payout = _locked_payout(payout)
    if payout.status != PayoutStatus.REQUESTED:
        raise ConflictError(
            msg.PAYOUT_NOT_REQUESTED.format(status=payout.status), code="payout_not_requested"
        )
    if approved_by.user_id == payout.requested_by_id:
        raise PermissionDeniedError(msg.SAME_OFFICIAL, code="same_official")
    gateway = PAYOUT_GATEWAYS[payout.method]
    chama = rnd.chama
    source = ledger_account_get(chama=chama, code=gateway.source_code)
    if gateway.two_phase:
        payable = ledger_account_get(chama=chama, code=chart.PAYOUTS_IN_FLIGHT)
        entry_type = EntryType.PAYOUT_REQUESTED
    else:
        payable = ledger_account_get(chama=chama, code=chart.POT_PAYABLE, round=rnd)
        entry_type = EntryType.PAYOUT
    entry = ledger_post(
        chama=chama,
        entry_type=entry_type,
        lines=[debit(payable, payout.amount), credit(source, payout.amount)],
        memo=f"Round {_round_label(rnd)} pot to {payout.recipient.member_code} "
        f"({payout.destination})",
        member=payout.recipient,
        idempotency_key=f"payout:{payout.pk}:sent",
        recorded_by=approved_by.user,
    )
    payout.sent_entry = entry
    payout.decided_by = approved_by.user
    payout.decided_at = timezone.now()
    if gateway.two_phase:
        payout.status = PayoutStatus.IN_FLIGHT
        transfer = Transfer(
            kind=TransferKind.PAYOUT,
            object_id=payout.pk,
            chama_id=chama.pk,
            amount=payout.amount,
            destination=payout.destination,
            reference=payout.external_id,
            remarks=f"Round {_round_label(rnd)} pot",
        )
        transaction.on_commit(lambda: gateway.send(transfer))
    else:
        payout.status = PayoutStatus.COMPLETED
        payout.settled_entry = entry
        _mark_round_paid(rnd)
    payout.save()
    return payout


@durable
def payout_reject(*, payout: Payout, rejected_by: Membership, reason: str) -> Payout:
    rnd, payout = _locked_payout(payout)
    if payout.status != PayoutStatus.REQUESTED:
        raise ConflictError(
            msg.PAYOUT_NOT_REQUESTED.format(status=payout.status), code="payout_not_requested"
        )
    payout.status = PayoutStatus.REJECTED
    payout.decided_by = rejected_by.user if rejected_by.user_id != payout.requested_by_id else None
    payout.decided_at = timezone.now()
    payout.rejection_reason = reason
    payout.save()
    _reopen_round(rnd)
    return payout


def _settle_in_flight(payout: Payout, *, succeeded: bool, detail: str) -> Payout:
    rnd, payout = _locked_payout(payout)
    if payout.status != PayoutStatus.IN_FLIGHT:
        raise ConflictError(
            msg.PAYOUT_NOT_IN_FLIGHT.format(status=payout.status), code="payout_not_in_flight"
        )
    chama = rnd.chama
    in_flight = ledger_account_get(chama=chama, code=chart.PAYOUTS_IN_FLIGHT)
    if succeeded:
        to = ledger_account_get(chama=chama, code=chart.POT_PAYABLE, round=rnd)
        entry_type = EntryType.PAYOUT_COMPLETED
    else:
        to = ledger_account_get(chama=chama, code=PAYOUT_GATEWAYS[payout.method].source_code)
        entry_type = EntryType.PAYOUT_FAILED
    payout.settled_entry = ledger_post(
        chama=chama,
        entry_type=entry_type,
        lines=[debit(to, payout.amount), credit(in_flight, payout.amount)],
        memo=f"Round {_round_label(rnd)} payout {'completed' if succeeded else 'failed'}",
        member=payout.recipient,
        idempotency_key=f"payout:{payout.pk}:settled",
        external_source=TRANSFER_SOURCE if succeeded and detail else "",
        external_ref=detail if succeeded and detail else None,
    )
    if succeeded:
        payout.status = PayoutStatus.COMPLETED
        payout.external_receipt = detail or None
        _mark_round_paid(rnd)
    else:
        payout.status = PayoutStatus.FAILED
        payout.failure_reason = detail[:255]
        _reopen_round(rnd)
    payout.save()
    return payout


@durable
def payout_settle(*, payout: Payout, receipt: str) -> Payout:
    """The provider confirmed the transfer: the pot is paid (Dr 2200-R, Cr 1090)."""
    return _settle_in_flight(payout, succeeded=True, detail=receipt)


@durable
def payout_fail(*, payout: Payout, reason: str) -> Payout:
    """The provider refused the transfer: the money is back (Dr 1010, Cr 1090), the round
    payable again."""
    return _settle_in_flight(payout, succeeded=False, detail=reason)
