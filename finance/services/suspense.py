"""Unidentified receipts (2600 suspense): money paid to the chama's paybill under an account
number that names none of its members. It is booked when it arrives, so the books hold every
shilling received, and an official later assigns it to the member it came from."""

from datetime import datetime
from decimal import Decimal

from django.db import IntegrityError
from django.utils import timezone

from accounts.models import User
from core.db import durable
from core.exceptions import ConflictError, ValidationFailed
from finance import chart
from finance.choices import (
    REPAYING_LOAN_STATUSES,
    ContributionStatus,
    EntryType,
    PaymentMethod,
    SuspensePurpose,
    SuspenseStatus,
)
from finance.exceptions import FinanceError
from finance.locks import loan_lock, membership_lock, suspense_receipt_lock
from finance.models import Loan, SuspenseReceipt
from finance.selectors import loan_repayable_get
from finance.services.contributions import contribution_post
from finance.services.ledger import credit, debit, ledger_account_get, ledger_post
from finance.services.loans import loan_repayment_post
from finance.services.receipts import (
    MPESA_SOURCE,
    duplicate_receipt_error,
    receipt_recorded,
    receipt_validate,
)
from groups.choices import RECONCILER_ROLES, MembershipStatus
from groups.exceptions import GroupsError
from groups.models import Chama, Membership
from groups.rules import official_check

ACCOUNT_REFERENCE_MAX = 64
PAYER_MAX = 120


def _replay(chama: Chama, receipt: str, amount: Decimal) -> SuspenseReceipt | None:
    """None for a receipt the books do not hold yet; the suspense receipt it made if it is
    the same payment again; otherwise ``duplicate_receipt``."""
    # The books first: the entry and the suspense receipt commit together, so once the entry
    # is seen the suspense receipt is too (the other order could miss the receipt, then see
    # the entry of a delivery that committed in between).
    if not receipt_recorded(receipt):
        return None
    earlier = SuspenseReceipt.objects.filter(receipt=receipt).first()
    if earlier is None or (earlier.chama_id, earlier.amount) != (chama.pk, amount):
        raise duplicate_receipt_error(receipt)
    return earlier


@durable
def _suspense_receive(
    *,
    chama: Chama,
    amount: Decimal,
    receipt: str,
    paid_at: datetime,
    account_reference: str,
    payer: str,
) -> SuspenseReceipt:
    if (earlier := _replay(chama, receipt, amount)) is not None:
        return earlier
    entry = ledger_post(
        chama=chama,
        entry_type=EntryType.SUSPENSE,
        lines=[
            debit(ledger_account_get(chama=chama, code=chart.MPESA_PAYBILL), amount),
            credit(ledger_account_get(chama=chama, code=chart.SUSPENSE), amount),
        ],
        effective_date=timezone.localdate(paid_at),
        memo=f"Unidentified receipt, account {account_reference or '(none)'}",
        external_source=MPESA_SOURCE,
        external_ref=receipt,
    )
    return SuspenseReceipt.objects.create(
        chama=chama,
        amount=amount,
        receipt=receipt,
        paid_at=paid_at,
        account_reference=account_reference,
        payer=payer,
        entry=entry,
    )


def suspense_receive(
    *,
    chama: Chama,
    amount: Decimal,
    receipt: str,
    paid_at: datetime,
    account_reference: str,
    payer: str,
    nested: bool = False,
) -> SuspenseReceipt:
    """Book money received for the chama whose payer is unknown: Dr 1010 paybill, Cr 2600
    suspense. Idempotent on the receipt: the same payment again (also racing) returns the
    first one; a receipt already in the books otherwise is ``duplicate_receipt``. The receipt
    then counts as recorded everywhere, so nobody records it again by hand."""
    normalised = receipt_validate(PaymentMethod.MPESA, ContributionStatus.CONFIRMED, receipt)
    assert normalised is not None  # receipt_validate requires one for M-Pesa
    try:
        return _suspense_receive(
            chama=chama,
            amount=amount,
            receipt=normalised,
            paid_at=paid_at,
            # Kept as given, within the columns: a long or odd reference is still money in.
            account_reference=account_reference.strip()[:ACCOUNT_REFERENCE_MAX],
            payer=payer.strip()[:PAYER_MAX],
            nested=nested,
        )
    except IntegrityError:
        if (earlier := _replay(chama, normalised, amount)) is not None:
            return earlier
        raise


def _repayable_loan(membership: Membership) -> Loan:
    """The member's loan that takes repayments, locked (after the member, as locks order)."""
    live = loan_repayable_get(membership=membership)
    loan = None if live is None else loan_lock(live.pk)
    if loan is None or loan.status not in REPAYING_LOAN_STATUSES:
        raise ConflictError(FinanceError.NO_LOAN_TO_REPAY)
    return loan


@durable
def _suspense_assign(
    *, receipt: SuspenseReceipt, membership: Membership, purpose: str, assigned_by: User
) -> SuspenseReceipt:
    membership = membership_lock(membership.pk)
    if membership.status != MembershipStatus.ACTIVE:
        raise ValidationFailed(FinanceError.MEMBER_NOT_ACTIVE, field="member_id")
    loan = _repayable_loan(membership) if purpose == SuspensePurpose.LOAN_REPAYMENT else None
    suspense = suspense_receipt_lock(receipt.pk)
    if suspense.status != SuspenseStatus.OPEN:
        raise ConflictError(FinanceError.SUSPENSE_ALREADY_ASSIGNED, receipt=suspense.receipt)
    # The money is in the books already, in 2600: it moves from there, and the receipt stays
    # on the contribution or repayment it becomes, for the member to recognise.
    source = ledger_account_get(chama=suspense.chama, code=chart.SUSPENSE)
    if loan is None:
        suspense.contribution = contribution_post(
            membership=membership,
            amount=suspense.amount,
            method=PaymentMethod.MPESA,
            mpesa_receipt=suspense.receipt,
            paid_at=suspense.paid_at,
            recorded_by=assigned_by,
            source=source,
        )
    else:
        suspense.loan_repayment = loan_repayment_post(
            loan=loan,
            borrower=membership,
            amount=suspense.amount,
            method=PaymentMethod.MPESA,
            mpesa_receipt=suspense.receipt,
            paid_at=suspense.paid_at,
            recorded_by=assigned_by,
            source=source,
        )
    suspense.status = SuspenseStatus.ASSIGNED
    suspense.membership = membership
    suspense.assigned_by = assigned_by
    suspense.assigned_at = timezone.now()
    suspense.save()
    return suspense


def suspense_assign(
    *, receipt: SuspenseReceipt, acting: Membership, membership: Membership, purpose: str
) -> SuspenseReceipt:
    """An official says whose an unidentified receipt is: it becomes that member's
    contribution, applied to their dues as ``contribution_record`` applies one, or a repayment
    of their loan, allocated as ``loan_repay`` allocates one — each debiting 2600 suspense
    instead of the paybill. A receipt is assigned once: again, also racing, is
    ``already_assigned``."""
    official_check(
        acting,
        chama_id=receipt.chama_id,
        refused=FinanceError.SUSPENSE_RECONCILERS_ONLY,
        roles=RECONCILER_ROLES,
    )
    if membership.chama_id != receipt.chama_id:
        raise ValidationFailed(GroupsError.UNKNOWN_MEMBER, field="member_id")
    if purpose not in SuspensePurpose.values:
        raise ValidationFailed(FinanceError.SUSPENSE_INVALID_PURPOSE, field="purpose")
    return _suspense_assign(
        receipt=receipt, membership=membership, purpose=purpose, assigned_by=acting.user
    )
