"""Asking to pay a round's pot: the primary payout, or a top-up of a pot already paid."""

import uuid

from django.db import IntegrityError

from core.db import durable
from core.exceptions import ConflictError, PermissionDeniedError, ValidationFailed
from core.money import ZERO
from finance import notifications
from finance.choices import LIVE_PAYOUT_STATUSES, PayoutKind, RoundStatus
from finance.exceptions import FinanceError
from finance.gateways import PAYOUT_GATEWAYS
from finance.locks import ledger_accounts_lock, round_lock
from finance.models import Payout, Round
from finance.rounds import round_summary_get
from finance.services.payouts.pots import (
    payout_awaiting,
    pot_account,
    pot_payable,
    round_label,
    top_up_make,
)
from groups.choices import Role
from groups.models import Membership


def payout_exists_error(status: str) -> ConflictError:
    return ConflictError(FinanceError.PAYOUT_EXISTS, status=status)


def _primary_request(
    rnd: Round, *, requested_by: Membership, method: str, override_reason: str
) -> Payout:
    live = Payout.objects.filter(
        round=rnd, kind=PayoutKind.PRIMARY, status__in=LIVE_PAYOUT_STATUSES
    ).first()
    if live is not None:
        raise payout_exists_error(live.get_status_display().lower())
    summary = round_summary_get(round=rnd)
    if not summary.is_disbursable:
        if not override_reason:
            raise ConflictError(
                FinanceError.NOT_DISBURSABLE, round=round_label(rnd), count=len(summary.defaulters)
            )
        if requested_by.role != Role.CHAIR:
            raise PermissionDeniedError(FinanceError.OVERRIDE_CHAIR_ONLY)
    # What the pot holds now, shown to the approver; the approval pays what it holds then.
    amount = summary.pot_balance
    if amount <= ZERO:
        raise ConflictError(FinanceError.NOTHING_TO_PAY)
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


def _top_up_request(rnd: Round, *, requested_by: Membership, method: str) -> Payout:
    if rnd.status != RoundStatus.PAID:
        raise ConflictError(FinanceError.ROUND_NOT_PAID, round=round_label(rnd))
    pot = pot_account(rnd)
    # The pot's lock orders this request with money arriving (whose top-up is proposed under
    # the same lock): one of them finds the other's request.
    ledger_accounts_lock([pot.pk])
    pot.refresh_from_db(fields=["cached_balance"])
    if (awaiting := payout_awaiting(rnd)) is not None:
        raise payout_exists_error(awaiting.get_status_display().lower())
    amount = pot_payable(rnd, pot)
    if amount <= ZERO:
        raise ConflictError(FinanceError.POT_EMPTY, round=round_label(rnd))
    return top_up_make(
        rnd=rnd, amount=amount, method=method, requested_by=requested_by.user, automatic=False
    )


@durable
def _payout_request(
    *,
    round_id: uuid.UUID,
    requested_by: Membership,
    method: str,
    override_reason: str,
    kind: str | None,
) -> Payout:
    rnd = round_lock(round_id)
    if method not in PAYOUT_GATEWAYS:
        raise ValidationFailed(FinanceError.METHOD_UNAVAILABLE, method=method, field="method")
    kind = kind or (PayoutKind.TOP_UP if rnd.status == RoundStatus.PAID else PayoutKind.PRIMARY)
    if kind == PayoutKind.TOP_UP:
        payout = _top_up_request(rnd, requested_by=requested_by, method=method)
    else:
        payout = _primary_request(
            rnd, requested_by=requested_by, method=method, override_reason=override_reason
        )
    notifications.approval_awaiting(
        chama_id=rnd.chama_id,
        subject=f"The payout of round {round_label(rnd)}",
        amount=payout.amount,
        makers=[requested_by.pk],
        key=f"approval_awaiting:payout:{payout.pk}",
    )
    return payout


def payout_request(
    *,
    round: Round,
    acting: Membership,
    method: str,
    override_reason: str = "",
    kind: str | None = None,
) -> Payout:
    """An official asks to pay the round's pot to the recipient's ``receive_phone``; another
    official approves. The primary payout is refused while dues are unsettled unless the chair
    overrides with a reason; once it is paid, a request is a top-up of what has reached the
    pot since (``kind`` says which is meant: by default the one the round is ready for). At
    most one primary payout per round and one payout awaiting approval, also under racing
    requests."""
    try:
        return _payout_request(
            round_id=round.pk,
            requested_by=acting,
            method=method,
            override_reason=override_reason.strip(),
            kind=kind,
        )
    except IntegrityError:
        if Payout.objects.filter(round=round, status__in=LIVE_PAYOUT_STATUSES).exists():
            raise payout_exists_error("requested") from None
        raise
