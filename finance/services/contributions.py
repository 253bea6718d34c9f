"""Recording, confirming and reversing contributions, and applying member credit to dues."""

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from uuid import UUID

from django.db import IntegrityError
from django.utils import timezone

from accounts.models import User
from core.audit import Changes, audit_write, audited_by_caller
from core.db import durable
from core.exceptions import ConflictError, ValidationFailed
from core.money import ZERO
from finance import chart, notifications
from finance.choices import ContributionStatus, EntryType, PaymentMethod, RoundStatus
from finance.exceptions import FinanceError
from finance.locks import contribution_lock, ledger_accounts_lock, membership_lock
from finance.models import Contribution, Due, JournalEntry, LedgerAccount
from finance.services.dues import (
    dues_allocate,
    dues_credit_lines,
    dues_record_applied,
    dues_undo_entry,
    dues_unsettled,
)
from finance.services.ledger import (
    AccountKey,
    debit,
    ledger_account_get,
    ledger_accounts_get,
    ledger_post,
    ledger_reverse,
    request_hash,
)
from finance.services.receipts import (
    MPESA_SOURCE,
    duplicate_receipt_error,
    receipt_recorded,
    receipt_validate,
)
from finance.services.welfare import welfare_fund_available
from groups.choices import RECONCILER_ROLES, MembershipStatus
from groups.exceptions import GroupsError
from groups.models import Chama, Membership
from groups.rules import official_check


def _replay(chama_id: UUID, key: str, fingerprint: str) -> Contribution | None:
    """The contribution this key already made, if the request is the same one."""
    earlier = Contribution.objects.filter(chama_id=chama_id, idempotency_key=key).first()
    if earlier is None:
        return None
    if earlier.request_hash != fingerprint:
        raise ConflictError(FinanceError.IDEMPOTENCY_MISMATCH)
    return earlier


@dataclass(frozen=True)
class MoneyIn:
    """The account money paid in is debited to, and the M-Pesa receipt its entry books."""

    account: LedgerAccount
    receipt: str | None

    @property
    def external_source(self) -> str:
        return MPESA_SOURCE if self.receipt else ""


def arrival_account(method: str) -> AccountKey:
    """The cash account money paid by ``method`` arrives in (cards settle into the bank)."""
    return (chart.CASH_ACCOUNT_FOR_METHOD[PaymentMethod(method)], None, None)


def money_in(
    *,
    chama: Chama,
    method: str,
    receipt: str | None,
    source: LedgerAccount | None = None,
    accounts: dict[AccountKey, LedgerAccount] | None = None,
) -> MoneyIn:
    """Money paid by ``method`` arrives in that method's cash account (from ``accounts`` when
    the caller has read it already), and the entry that records it books its M-Pesa receipt.
    Money already booked into ``source`` (suspense, 2600) moves from there instead: its
    receipt is in the books already."""
    if source is not None:
        return MoneyIn(source, None)
    key = arrival_account(method)
    account = (accounts or {}).get(key) or ledger_accounts_get(chama=chama, keys=[key])[key]
    return MoneyIn(account, receipt)


def _post_contribution(
    contribution: Contribution, membership: Membership, source: LedgerAccount | None = None
) -> tuple[JournalEntry, list[tuple[Due, Changes]]]:
    """Post the contribution and apply it to the member's oldest dues (member lock held).
    ``source``: see ``money_in``. Returns the entry and the dues' changes, to audit."""
    chama = membership.chama
    dues = dues_unsettled(membership=membership, covering=contribution.amount)
    applied, leftover = dues_allocate(dues, contribution.amount)
    credits, accounts = dues_credit_lines(
        membership=membership,
        applied=applied,
        leftover=leftover,
        also=[] if source else [arrival_account(contribution.method)],
    )
    paid_in = money_in(
        chama=chama,
        method=contribution.method,
        receipt=contribution.mpesa_receipt,
        source=source,
        accounts=accounts,
    )
    entry = ledger_post(
        chama=chama,
        entry_type=EntryType.CONTRIBUTION,
        lines=[debit(paid_in.account, contribution.amount), *credits],
        effective_date=timezone.localdate(contribution.paid_at),
        memo=f"Contribution by {membership.member_code}",
        member=membership,
        external_source=paid_in.external_source,
        external_ref=paid_in.receipt,
        recorded_by=contribution.confirmed_by or contribution.recorded_by,
    )
    return entry, dues_record_applied(entry=entry, applied=applied)


@durable
def _contribution_record(
    *,
    chama_id: UUID,
    member_id: UUID,
    amount: Decimal,
    method: str,
    status: str,
    mpesa_receipt: str | None,
    paid_at: datetime,
    reference: str,
    recorded_by: User | None,
    idempotency_key: str | None,
    fingerprint: str,
    locked: Membership | None = None,
) -> Contribution:
    membership = locked or membership_lock(member_id, missing_ok=True)
    if membership is None or membership.chama_id != chama_id:
        raise ValidationFailed(GroupsError.UNKNOWN_MEMBER, field="member_id")
    if idempotency_key and (replayed := _replay(chama_id, idempotency_key, fingerprint)):
        return replayed
    if membership.status != MembershipStatus.ACTIVE:
        raise ValidationFailed(FinanceError.MEMBER_NOT_ACTIVE, field="member_id")
    # A receipt already in the books is found by the unique constraints on the entry and the
    # contribution (contribution_record turns their IntegrityError into duplicate_receipt):
    # a query of its own would cost every payment to catch the rare replay.
    return contribution_post(
        membership=membership,
        amount=amount,
        method=method,
        status=status,
        mpesa_receipt=mpesa_receipt,
        paid_at=paid_at,
        reference=reference,
        recorded_by=recorded_by,
        idempotency_key=idempotency_key,
        fingerprint=fingerprint,
    )


def contribution_post(
    *,
    membership: Membership,
    amount: Decimal,
    method: str,
    mpesa_receipt: str | None,
    paid_at: datetime,
    recorded_by: User | None,
    status: str = ContributionStatus.CONFIRMED,
    reference: str = "",
    idempotency_key: str | None = None,
    fingerprint: str = "",
    source: LedgerAccount | None = None,
) -> Contribution:
    """Make the contribution; a confirmed one posts and settles dues. In the caller's
    transaction, the member's lock held and the caller's checks made; ``source``: see
    ``money_in``."""
    confirmed = status == ContributionStatus.CONFIRMED
    contribution = Contribution(
        chama=membership.chama,
        membership=membership,
        amount=amount,
        method=method,
        status=status,
        mpesa_receipt=mpesa_receipt,
        paid_at=paid_at,
        reference=reference,
        recorded_by=recorded_by,
        confirmed_at=timezone.now() if confirmed else None,
        confirmed_by=recorded_by if confirmed else None,
        idempotency_key=idempotency_key,
        request_hash=fingerprint if idempotency_key else "",
    )
    settled: list[tuple[Due, Changes]] = []
    if confirmed:
        contribution.entry, settled = _post_contribution(contribution, membership, source)
    with audited_by_caller():
        contribution.save()
    audit_write(created=[contribution], updated=settled)
    if confirmed:
        notifications.contribution_received(contribution)
    return contribution


def contribution_record(
    *,
    chama: Chama,
    membership: Membership | UUID,
    amount: Decimal,
    method: str,
    status: str = ContributionStatus.CONFIRMED,
    mpesa_receipt: str | None = None,
    paid_at: datetime | None = None,
    reference: str = "",
    recorded_by: User | None = None,
    idempotency_key: str | None = None,
    nested: bool = False,
    locked: bool = False,
) -> Contribution:
    """Record a member's payment. A confirmed one posts to the ledger and settles dues; a
    pending cash or bank one waits for the treasurer's ``contribution_confirm``.

    A receipt already in the books is refused (``duplicate_receipt``) and nothing is written,
    also when identical requests race: the unique constraints decide, and the loser is told.
    With an ``idempotency_key`` (the API's Idempotency-Key header) a retried request returns
    the contribution the key first made; the same key with a different request is refused.
    ``membership`` may be the id a request named: the member is then read under its lock;
    ``locked`` says the caller read ``membership`` under its lock in this transaction already.
    """
    member_id = membership if isinstance(membership, UUID) else membership.pk
    receipt = receipt_validate(method, status, mpesa_receipt)
    fingerprint = request_hash(
        {
            "member": member_id,
            "amount": amount,
            "method": method,
            "status": status,
            "receipt": receipt,
            "reference": reference,
            "paid_at": paid_at,
        }
    )
    try:
        return _contribution_record(
            chama_id=chama.pk,
            member_id=member_id,
            amount=amount,
            method=method,
            status=status,
            mpesa_receipt=receipt,
            paid_at=paid_at or timezone.now(),
            reference=reference,
            recorded_by=recorded_by,
            idempotency_key=idempotency_key,
            fingerprint=fingerprint,
            nested=nested,
            locked=membership if locked and isinstance(membership, Membership) else None,
        )
    except IntegrityError:
        if idempotency_key and (replayed := _replay(chama.pk, idempotency_key, fingerprint)):
            return replayed
        if receipt and receipt_recorded(receipt):
            raise duplicate_receipt_error(receipt) from None
        raise


def _reconciler_check(acting: Membership, contribution: Contribution) -> None:
    official_check(
        acting,
        chama_id=contribution.chama_id,
        refused=FinanceError.CONTRIBUTIONS_RECONCILERS_ONLY,
        roles=RECONCILER_ROLES,
    )


@durable
def contribution_confirm(*, contribution: Contribution, acting: Membership) -> Contribution:
    """The treasurer (or the chair) confirms a pending cash or bank contribution: it posts and
    settles dues."""
    _reconciler_check(acting, contribution)
    membership = membership_lock(contribution.membership_id)
    contribution = contribution_lock(contribution.pk)
    if contribution.status != ContributionStatus.PENDING:
        raise ConflictError(FinanceError.NOT_PENDING, status=contribution.status)
    contribution.status = ContributionStatus.CONFIRMED
    contribution.confirmed_at = timezone.now()
    contribution.confirmed_by = acting.user
    contribution.entry, settled = _post_contribution(contribution, membership)
    contribution.save(
        update_fields=["status", "confirmed_at", "confirmed_by", "entry", "updated_at"]
    )
    audit_write(updated=settled)
    notifications.contribution_received(contribution)
    return contribution


@durable
def contribution_reverse(
    *, contribution: Contribution, acting: Membership, reason: str
) -> Contribution:
    """Post the reversal of a confirmed contribution and reopen the dues it settled (the
    treasurer or the chair)."""
    _reconciler_check(acting, contribution)
    membership_lock(contribution.membership_id)  # serialises with payments of this member
    contribution = contribution_lock(contribution.pk)
    if contribution.status != ContributionStatus.CONFIRMED or contribution.entry is None:
        error = (
            FinanceError.CONTRIBUTION_REVERSED
            if contribution.status == ContributionStatus.REVERSED
            else FinanceError.NOT_CONFIRMED
        )
        raise ConflictError(error, status=contribution.status)
    entry = contribution.entry
    for allocation in entry.allocations.select_related("due__round__cycle"):
        rnd = allocation.due.round
        if allocation.rotation and rnd.status != RoundStatus.OPEN:
            raise ConflictError(
                FinanceError.ROUND_PAID_OUT, round=f"{rnd.cycle.number}.{rnd.number}"
            )
    # Money that has since left cannot be taken back: lock every account the reversal moves
    # (pk order), then check the member's credit and the welfare fund still hold their parts
    # (the fund less the claims in flight, which it owes already).
    postings = list(entry.postings.select_related("account"))
    ledger_accounts_lock(p.account_id for p in postings)
    held = {p.account_id: p.account for p in postings}
    for posting in postings:
        account = held[posting.account_id]
        account.refresh_from_db(fields=["cached_balance"])
        if posting.account.code == chart.MEMBER_CREDIT and -account.cached_balance < posting.amount:
            raise ConflictError(FinanceError.CREDIT_CONSUMED)
        if (
            posting.account.code == chart.WELFARE_FUND
            and welfare_fund_available(account) < posting.amount
        ):
            raise ConflictError(FinanceError.WELFARE_PART_SPENT, amount=posting.amount)
    dues_undo_entry(entry=entry)
    contribution.reversal_entry = ledger_reverse(
        entry=entry, recorded_by=acting.user, memo=f"Reversal: {reason}"[:255]
    )
    contribution.status = ContributionStatus.REVERSED
    contribution.reversal_reason = reason
    contribution.save(update_fields=["status", "reversal_entry", "reversal_reason", "updated_at"])
    return contribution


def member_credit_apply(*, membership: Membership) -> JournalEntry | None:
    """Spend the member's credit on their unsettled dues (the caller's transaction, member
    lock taken here). Returns the entry, or None when there was nothing to apply."""
    membership = membership_lock(membership.pk)
    chama = membership.chama
    account = ledger_account_get(chama=chama, code=chart.MEMBER_CREDIT, member=membership)
    available = -account.cached_balance  # a liability: its credits are what we owe the member
    if available <= ZERO:
        return None
    applied, leftover = dues_allocate(
        dues_unsettled(membership=membership, covering=available), available
    )
    spent = available - leftover
    if spent == ZERO:
        return None
    credits, _ = dues_credit_lines(membership=membership, applied=applied, leftover=ZERO)
    entry = ledger_post(
        chama=chama,
        entry_type=EntryType.CREDIT_APPLIED,
        lines=[debit(account, spent), *credits],
        memo=f"Credit of {membership.member_code} applied to dues",
        member=membership,
    )
    audit_write(updated=dues_record_applied(entry=entry, applied=applied))
    return entry
