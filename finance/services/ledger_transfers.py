"""Transfers between the chama's own accounts: the paybill swept to the bank, cash banked, the
bank drawn into the cash box for a meeting (DESIGN §3.1).

The treasurer (or the chair) requests one; another official approves it, and only then is its
one entry posted: Dr the to-account · Cr the from-account. Whether the from-account can cover
it is decided by the ledger as the approval commits (``insufficient_funds``, nothing written,
the transfer still requested); the request's own check is an early, friendly answer only.
"""

from decimal import Decimal

from django.utils import timezone

from core.db import durable
from core.exceptions import ConflictError, PermissionDeniedError, ValidationFailed
from core.money import MAX_AMOUNT, ZERO, money
from finance.chart import TRANSFER_ACCOUNT_CODES
from finance.choices import EntryType, LedgerTransferStatus, TransferAccount
from finance.exceptions import FinanceError
from finance.locks import ledger_transfer_lock
from finance.models import LedgerAccount, LedgerTransfer
from finance.selectors import normal_balance
from finance.services.ledger import (
    credit,
    debit,
    insufficient_funds,
    ledger_account_get,
    ledger_post,
)
from groups.approvals import SignatureOutcome, signature_add
from groups.choices import ALL_ROLES, OFFICIAL_ROLES, ApprovalKind, Role, SignatureDecision
from groups.models import Chama, Membership
from groups.rules import holds_office, official_check

MEMO_MAX = 255
REASON_MAX = 255
REQUESTER_ROLES = frozenset({Role.TREASURER, Role.CHAIR})


def _account(chama: Chama, name: str) -> LedgerAccount:
    return ledger_account_get(chama=chama, code=TRANSFER_ACCOUNT_CODES[TransferAccount(name)])


def _clean_accounts(from_account: str, to_account: str) -> None:
    for field, name in (("from_account", from_account), ("to_account", to_account)):
        if name not in TransferAccount.values:
            raise ValidationFailed(FinanceError.TRANSFER_INVALID_ACCOUNT, field=field)
    if from_account == to_account:
        raise ValidationFailed(FinanceError.TRANSFER_SAME_ACCOUNT, field="to_account")


def _clean_amount(amount: Decimal) -> Decimal:
    if not amount.is_finite() or amount <= ZERO or amount > MAX_AMOUNT or money(amount) != amount:
        raise ValidationFailed(
            FinanceError.TRANSFER_INVALID_AMOUNT, maximum=f"{MAX_AMOUNT:,}", field="amount"
        )
    return money(amount)


def _clean_text(value: str, *, limit: int, field: str) -> str:
    value = value.strip()
    if len(value) > limit:
        raise ValidationFailed(FinanceError.WELFARE_TEXT_TOO_LONG, limit=limit, field=field)
    return value


@durable
def ledger_transfer_request(
    *,
    chama: Chama,
    acting: Membership,
    from_account: str,
    to_account: str,
    amount: Decimal,
    memo: str = "",
) -> LedgerTransfer:
    """The treasurer or the chair asks to move ``amount`` from one of the chama's accounts to
    another. Nothing is posted until another official approves it. Refused at once when the
    from-account holds less than the amount now (``insufficient_funds``)."""
    official_check(
        acting,
        chama_id=chama.pk,
        refused=FinanceError.TRANSFER_REQUESTERS_ONLY,
        roles=REQUESTER_ROLES,
    )
    _clean_accounts(from_account, to_account)
    amount = _clean_amount(amount)
    memo = _clean_text(memo, limit=MEMO_MAX, field="memo")
    source = _account(chama, from_account)
    # An unlocked read, for an early answer: the ledger decides again when the money moves.
    if normal_balance(source, source.cached_balance) < amount:
        raise insufficient_funds(source, amount)
    return LedgerTransfer.objects.create(
        chama=chama,
        from_account=from_account,
        to_account=to_account,
        amount=amount,
        memo=memo,
        requested_by=acting.user,
    )


def _requested(transfer: LedgerTransfer) -> LedgerTransfer:
    if transfer.status != LedgerTransferStatus.REQUESTED:
        raise ConflictError(FinanceError.TRANSFER_NOT_REQUESTED, status=transfer.status)
    return transfer


def _sign(
    transfer: LedgerTransfer,
    acting: Membership,
    decision: str,
    comment: str,
    roles: frozenset[str] = OFFICIAL_ROLES,
) -> SignatureOutcome:
    return signature_add(
        acting=acting,
        chama=transfer.chama,
        kind=ApprovalKind.TRANSFER,
        target_id=transfer.pk,
        decision=decision,
        comment=comment,
        amount=transfer.amount,
        refused=FinanceError.TRANSFER_OFFICIALS_ONLY,
        roles=roles,
    )


@durable
def ledger_transfer_approve(
    *, transfer: LedgerTransfer, acting: Membership, comment: str = ""
) -> LedgerTransfer:
    """An official other than the requester signs the approval. Once the signatures the
    chama's rule asks for are in (one by default), one entry moves the money, Dr the
    to-account · Cr the from-account; until then the transfer stays requested. When the
    from-account no longer holds the amount (the money left since the request) the ledger
    refuses it with ``insufficient_funds``, the transfer stays requested and the last
    signature is not kept."""
    transfer = ledger_transfer_lock(transfer.pk)
    chama = transfer.chama
    official_check(acting, chama_id=chama.pk, refused=FinanceError.TRANSFER_OFFICIALS_ONLY)
    _requested(transfer)
    if acting.user_id == transfer.requested_by_id:
        raise PermissionDeniedError(FinanceError.TRANSFER_SAME_OFFICIAL)
    signed = _sign(transfer, acting, SignatureDecision.APPROVE, comment)
    if not signed.approved:
        return transfer
    source = _account(chama, transfer.from_account)
    target = _account(chama, transfer.to_account)
    memo = f"Transfer from {source} to {target}"
    transfer.entry = ledger_post(
        chama=chama,
        entry_type=EntryType.TRANSFER,
        lines=[debit(target, transfer.amount), credit(source, transfer.amount)],
        memo=f"{memo}: {transfer.memo}" if transfer.memo else memo,
        idempotency_key=f"transfer:{transfer.pk}",
        recorded_by=acting.user,
    )
    transfer.status = LedgerTransferStatus.COMPLETED
    transfer.decided_by_id = acting.user_id
    transfer.decided_at = timezone.now()
    transfer.save(update_fields=["status", "entry", "decided_by", "decided_at", "updated_at"])
    return transfer


@durable
def ledger_transfer_reject(
    *, transfer: LedgerTransfer, acting: Membership, reason: str
) -> LedgerTransfer:
    """An official other than the requester rejects the transfer, or the requester withdraws
    it; either way saying why. Nothing is posted."""
    reason = _clean_text(reason, limit=REASON_MAX, field="reason")
    if not reason:
        raise ValidationFailed(FinanceError.TRANSFER_REASON_REQUIRED, field="reason")
    transfer = ledger_transfer_lock(transfer.pk)
    withdrawing = acting.user_id == transfer.requested_by_id and holds_office(
        acting, chama_id=transfer.chama_id, roles=ALL_ROLES
    )
    if not withdrawing:
        official_check(
            acting, chama_id=transfer.chama_id, refused=FinanceError.TRANSFER_OFFICIALS_ONLY
        )
    _requested(transfer)
    # Any official's rejection rejects; the requester's own is a withdrawal.
    _sign(
        transfer,
        acting,
        SignatureDecision.REJECT,
        reason,
        roles=ALL_ROLES if withdrawing else OFFICIAL_ROLES,
    )
    transfer.status = LedgerTransferStatus.REJECTED
    transfer.decided_by_id = acting.user_id
    transfer.decided_at = timezone.now()
    transfer.rejection_reason = reason
    transfer.save(
        update_fields=["status", "decided_by", "decided_at", "rejection_reason", "updated_at"]
    )
    return transfer
