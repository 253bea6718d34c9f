"""Deciding a requested payout (approval by another official, or rejection) and the
provider's answer about one sent by M-Pesa."""

from django.utils import timezone

from core.db import durable
from core.exceptions import ConflictError
from core.money import ZERO
from finance import chart, notifications
from finance.choices import EntryType, PayoutKind, PayoutStatus, RoundStatus
from finance.exceptions import FinanceError
from finance.gateways import PAYOUT_GATEWAYS, Transfer, TransferKind
from finance.locks import ledger_accounts_lock, payout_lock, round_lock
from finance.models import Payout, Round
from finance.services.in_flight import TRANSFER_SOURCE, transfer_dispatch
from finance.services.ledger import credit, debit, ledger_account_get, ledger_post
from finance.services.payouts.pots import (
    cycle_completion_watch,
    pot_account,
    pot_payable,
    pot_top_ups_watch,
    round_label,
)
from groups.approvals import signature_add
from groups.choices import ApprovalKind, SignatureDecision
from groups.models import Membership
from groups.rules import official_check


def _locked_payout(payout: Payout) -> tuple[Round, Payout]:
    rnd = round_lock(payout.round_id)
    return rnd, payout_lock(payout.pk)


def _requested(payout: Payout) -> None:
    if payout.status != PayoutStatus.REQUESTED:
        raise ConflictError(FinanceError.PAYOUT_NOT_REQUESTED, status=payout.status)


def _completed(payout: Payout, rnd: Round) -> None:
    """The money reached the recipient: the round is paid, and its cycle may complete."""
    payout.status = PayoutStatus.COMPLETED
    notifications.payout_made(payout, _label(payout, rnd))
    if rnd.status != RoundStatus.PAID:
        rnd.status = RoundStatus.PAID
        rnd.save(update_fields=["status", "updated_at"])
    cycle_completion_watch(rnd.cycle)


def _reopen_round(rnd: Round) -> None:
    rnd.status = RoundStatus.OPEN
    rnd.save(update_fields=["status", "updated_at"])


def _settled_what(payout: Payout) -> str:
    return "top-up" if payout.kind == PayoutKind.TOP_UP else "payout"


def _label(payout: Payout, rnd: Round) -> str:
    what = "top-up" if payout.kind == PayoutKind.TOP_UP else "pot"
    return f"Round {round_label(rnd)} {what}"


@durable
def payout_approve(*, payout: Payout, acting: Membership, comment: str = "") -> Payout:
    """An official other than the requester signs the approval. Once the signatures the
    chama's rule asks for are in (groups.approvals; one by default), the pot's whole balance
    at this moment (less any top-up still in flight) leaves through the payout's gateway,
    whatever the request showed; until then the payout stays requested and nothing moves."""
    rnd, payout = _locked_payout(payout)
    _requested(payout)
    official_check(
        acting,
        chama_id=rnd.chama_id,
        refused=FinanceError.NOT_OFFICIAL_PAYOUTS,
        makers=(payout.requested_by_id,),
        maker_refused=FinanceError.SAME_OFFICIAL,
    )
    gateway = PAYOUT_GATEWAYS[payout.method]
    chama = rnd.chama
    source = ledger_account_get(chama=chama, code=gateway.source_code)
    pot = pot_account(rnd)
    if gateway.two_phase:
        payable = ledger_account_get(chama=chama, code=chart.PAYOUTS_IN_FLIGHT)
        entry_type = EntryType.PAYOUT_REQUESTED
    else:
        payable = pot
        entry_type = EntryType.PAYOUT
    # Every account the entry moves, locked now in pk order (as the ledger writer would at the
    # commit): money paid into the pot meanwhile is either in this balance or waits for it.
    ledger_accounts_lock({pot.pk, source.pk, payable.pk})
    pot.refresh_from_db(fields=["cached_balance"])
    amount = pot_payable(rnd, pot)
    if amount <= ZERO:
        raise ConflictError(FinanceError.POT_EMPTY, round=round_label(rnd))
    signed = signature_add(
        acting=acting,
        chama=chama,
        kind=ApprovalKind.PAYOUT,
        target_id=payout.pk,
        decision=SignatureDecision.APPROVE,
        comment=comment,
        amount=amount,
        refused=FinanceError.NOT_OFFICIAL_PAYOUTS,
        makers=(payout.requested_by_id,),
        maker_refused=FinanceError.SAME_OFFICIAL,
    )
    if not signed.approved:
        return payout
    payout.amount = amount
    entry = ledger_post(
        chama=chama,
        entry_type=entry_type,
        lines=[debit(payable, amount), credit(source, amount)],
        memo=f"{_label(payout, rnd)} to {payout.recipient.member_code} ({payout.destination})",
        member=payout.recipient,
        idempotency_key=f"payout:{payout.pk}:sent",
        recorded_by=acting.user,
    )
    payout.sent_entry = entry
    payout.decided_by = acting.user
    payout.decided_at = timezone.now()
    if gateway.two_phase:
        payout.status = PayoutStatus.IN_FLIGHT
        transfer = Transfer(
            kind=TransferKind.PAYOUT,
            object_id=payout.pk,
            chama_id=chama.pk,
            amount=amount,
            destination=payout.destination,
            reference=payout.external_id,
            remarks=_label(payout, rnd),
        )
        transfer_dispatch(gateway=gateway, transfer=transfer)
    else:
        payout.settled_entry = entry
        _completed(payout, rnd)
    payout.save()
    return payout


@durable
def payout_reject(*, payout: Payout, acting: Membership, reason: str) -> Payout:
    """A rejected primary payout leaves the round payable again; a rejected top-up leaves the
    money in the paid pot until an official requests a top-up again."""
    rnd, payout = _locked_payout(payout)
    _requested(payout)
    # Any official's rejection rejects; the requester's own is a withdrawal.
    signature_add(
        acting=acting,
        chama=rnd.chama,
        kind=ApprovalKind.PAYOUT,
        target_id=payout.pk,
        decision=SignatureDecision.REJECT,
        comment=reason,
        amount=payout.amount,
        refused=FinanceError.NOT_OFFICIAL_PAYOUTS,
    )
    payout.status = PayoutStatus.REJECTED
    # The requester withdrawing their own request is not a decision.
    payout.decided_by = acting.user if acting.user_id != payout.requested_by_id else None
    payout.decided_at = timezone.now()
    payout.rejection_reason = reason
    payout.save()
    if payout.kind == PayoutKind.PRIMARY:
        _reopen_round(rnd)
    return payout


def _settle_in_flight(payout: Payout, *, succeeded: bool, detail: str) -> Payout:
    rnd, payout = _locked_payout(payout)
    if payout.status != PayoutStatus.IN_FLIGHT:
        raise ConflictError(FinanceError.PAYOUT_NOT_IN_FLIGHT, status=payout.status)
    chama = rnd.chama
    in_flight = ledger_account_get(chama=chama, code=chart.PAYOUTS_IN_FLIGHT)
    if succeeded:
        to = pot_account(rnd)
        entry_type = EntryType.PAYOUT_COMPLETED
    else:
        to = ledger_account_get(chama=chama, code=PAYOUT_GATEWAYS[payout.method].source_code)
        entry_type = EntryType.PAYOUT_FAILED
    payout.settled_entry = ledger_post(
        chama=chama,
        entry_type=entry_type,
        lines=[debit(to, payout.amount), credit(in_flight, payout.amount)],
        memo=f"Round {round_label(rnd)} {_settled_what(payout)} "
        f"{'completed' if succeeded else 'failed'}",
        member=payout.recipient,
        idempotency_key=f"payout:{payout.pk}:settled",
        external_source=TRANSFER_SOURCE if succeeded and detail else "",
        external_ref=detail if succeeded and detail else None,
    )
    if succeeded:
        payout.external_receipt = detail or None
        _completed(payout, rnd)
    else:
        payout.status = PayoutStatus.FAILED
        payout.failure_reason = detail[:255]
        if payout.kind == PayoutKind.PRIMARY:
            _reopen_round(rnd)
    payout.save()
    if rnd.status == RoundStatus.PAID:
        # Money that arrived while this was in flight, or a failed top-up's money, is still in
        # the paid pot: it is proposed again as a top-up.
        pot_top_ups_watch(rounds=[rnd], proposed_by=None)
    return payout


@durable
def payout_settle(*, payout: Payout, receipt: str) -> Payout:
    """The provider confirmed the transfer: the pot is paid (Dr 2200-R, Cr 1090)."""
    return _settle_in_flight(payout, succeeded=True, detail=receipt)


@durable
def payout_fail(*, payout: Payout, reason: str) -> Payout:
    """The provider refused the transfer: the money is back (Dr 1010, Cr 1090); a primary
    payout's round is payable again, a top-up's money is proposed again."""
    return _settle_in_flight(payout, succeeded=False, detail=reason)
