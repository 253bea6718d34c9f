"""Paying fines: money arriving by M-Pesa, bank, cash or card (``Dr`` the account it arrives
in ``· Cr 1120-M``), or the member's own savings with their consent (``Dr 2100-M · Cr
1120-M``).

A payment for one fine may not exceed what is left of it (``fine_overpaid``). A payment for a
member's fines in general (the paybill's ``F`` account) settles their oldest unpaid fines
first, and what is left over is member credit (``Cr 2500-M``), as a loan overpayment is."""

from datetime import datetime
from decimal import Decimal
from uuid import UUID

from django.db import IntegrityError
from django.utils import timezone

from accounts.models import User
from core.audit import audit_write, audited_by_caller
from core.db import durable
from core.exceptions import ConflictError, PermissionDeniedError, ValidationFailed
from core.money import ZERO
from finance import chart
from finance.choices import (
    UNPAID_FINE_STATUSES,
    EntryType,
    FinePaymentMethod,
    FineStatus,
    PaymentMethod,
)
from finance.dates import paid_at_check
from finance.exceptions import FineError
from finance.locks import fine_lock, fines_unpaid_lock, ledger_accounts_lock, membership_lock
from finance.models import Fine, FineAllocation, FinePayment
from finance.services.contributions import arrival_account
from finance.services.fines.issuing import fine_amount_clean
from finance.services.ledger import (
    AccountKey,
    credit,
    debit,
    ledger_account_get,
    ledger_accounts_get,
    ledger_post,
)
from finance.services.receipts import (
    MPESA_SOURCE,
    duplicate_receipt_error,
    receipt_recorded,
    receipt_validate,
)
from groups.models import Membership
from groups.rules import official_check

FineParts = list[tuple[Fine, Decimal]]


def fines_allocate(fines: list[Fine], amount: Decimal) -> tuple[FineParts, Decimal]:
    """``amount`` spread over ``fines`` in their order, each up to what is left of it; and
    the excess."""
    parts: FineParts = []
    rest = amount
    for fine in fines:
        if rest <= ZERO:
            break
        part = min(rest, fine.unpaid)
        parts.append((fine, part))
        rest -= part
    return parts, rest


def _unsettled(fine: Fine) -> Fine:
    if fine.status not in UNPAID_FINE_STATUSES:
        raise ConflictError(FineError.SETTLED, status=fine.get_status_display().lower())
    return fine


def _payment_post(
    *,
    member: Membership,
    parts: FineParts,
    amount: Decimal,
    excess: Decimal,
    method: str,
    receipt: str | None,
    paid_at: datetime,
    recorded_by: User | None,
) -> FinePayment:
    """Post the payment and settle the fines (the member's and the fines' locks held)."""
    source: AccountKey = (
        (chart.MEMBER_SAVINGS, member, None)
        if method == FinePaymentMethod.SAVINGS
        else arrival_account(method)
    )
    receivable = (chart.FINES_RECEIVABLE, member, None)
    member_credit = (chart.MEMBER_CREDIT, member, None)
    keys = [source, receivable] + ([member_credit] if excess else [])
    accounts = ledger_accounts_get(chama=member.chama, keys=keys)
    settled = amount - excess
    entry = ledger_post(
        chama=member.chama,
        entry_type=EntryType.FINE_PAYMENT,
        lines=[
            debit(accounts[source], amount),
            credit(accounts[receivable], settled),
            *([credit(accounts[member_credit], excess)] if excess else []),
        ],
        effective_date=timezone.localdate(paid_at),
        memo=f"Fines paid by {member.member_code}"
        + (" from savings" if method == FinePaymentMethod.SAVINGS else ""),
        member=member,
        external_source=MPESA_SOURCE if receipt else "",
        external_ref=receipt,
        recorded_by=recorded_by,
    )
    with audited_by_caller():
        payment = FinePayment.objects.create(
            chama=member.chama,
            membership=member,
            amount=amount,
            method=method,
            mpesa_receipt=receipt,
            paid_at=paid_at,
            recorded_by=recorded_by,
            entry=entry,
            excess=excess,
        )
        allocations = FineAllocation.objects.bulk_create(
            [FineAllocation(payment=payment, fine=fine, amount=part) for fine, part in parts]
        )
    changed = []
    for fine, part in parts:
        before = (fine.paid_amount, fine.status)
        fine.paid_amount += part
        fine.status = FineStatus.PAID if fine.unpaid == ZERO else FineStatus.PARTIAL
        with audited_by_caller():
            fine.save(update_fields=["paid_amount", "status", "updated_at"])
        changed.append(
            (
                fine,
                {"paid_amount": (before[0], fine.paid_amount), "status": (before[1], fine.status)},
            )
        )
    audit_write(created=[payment, *allocations], updated=changed)
    return payment


@durable
def _fine_pay(
    *,
    fine_id: UUID,
    member_id: UUID,
    amount: Decimal,
    method: str,
    receipt: str | None,
    paid_at: datetime,
    recorded_by: User | None,
) -> Fine:
    member = membership_lock(member_id)
    fine = _unsettled(fine_lock(fine_id))
    if amount > fine.unpaid:
        raise ConflictError(
            FineError.OVERPAID,
            currency=member.chama.currency,
            unpaid=f"{fine.unpaid:,}",
            amount=f"{amount:,}",
        )
    _payment_post(
        member=member,
        parts=[(fine, amount)],
        amount=amount,
        excess=ZERO,
        method=method,
        receipt=receipt,
        paid_at=paid_at,
        recorded_by=recorded_by,
    )
    return fine


def fine_pay(
    *,
    fine: Fine,
    acting: Membership,
    amount: Decimal,
    method: str,
    mpesa_receipt: str | None = None,
    paid_at: datetime | None = None,
) -> Fine:
    """An official records money paid towards one fine (all of what is left, or part of it).
    An M-Pesa receipt is used once in the whole system (``duplicate_receipt``)."""
    official_check(acting, chama_id=fine.chama_id, refused=FineError.OFFICIALS_RECORD)
    if method not in PaymentMethod.values:
        raise ValidationFailed(FineError.METHOD_INVALID, field="method")
    amount = fine_amount_clean(amount)
    receipt = receipt_validate(method, "confirmed", mpesa_receipt)
    if paid_at is not None:
        paid_at_check(chama=acting.chama, paid_at=paid_at)
    try:
        return _fine_pay(
            fine_id=fine.pk,
            member_id=fine.membership_id,
            amount=amount,
            method=method,
            receipt=receipt,
            paid_at=paid_at or timezone.now(),
            recorded_by=acting.user,
        )
    except IntegrityError:
        if receipt and receipt_recorded(receipt):
            raise duplicate_receipt_error(receipt) from None
        raise


@durable
def fine_pay_from_savings(*, fine: Fine, acting: Membership) -> Fine:
    """The fined member pays all that is left of the fine from their savings (their consent
    is that they ask). Refused, nothing written, when their savings hold less."""
    if acting.pk != fine.membership_id:
        raise PermissionDeniedError(FineError.OWN_SAVINGS_ONLY)
    member = membership_lock(fine.membership_id)
    fine = _unsettled(fine_lock(fine.pk))
    savings = ledger_account_get(chama=member.chama, code=chart.MEMBER_SAVINGS, member=member)
    ledger_accounts_lock([savings.pk])
    savings.refresh_from_db(fields=["cached_balance"])
    held, unpaid = -savings.cached_balance, fine.unpaid
    if held < unpaid:
        raise ConflictError(
            FineError.SAVINGS_SHORT,
            currency=member.chama.currency,
            savings=f"{held:,}",
            unpaid=f"{unpaid:,}",
        )
    _payment_post(
        member=member,
        parts=[(fine, unpaid)],
        amount=unpaid,
        excess=ZERO,
        method=FinePaymentMethod.SAVINGS,
        receipt=None,
        paid_at=timezone.now(),
        recorded_by=acting.user,
    )
    return fine


@durable
def _fines_pay_member(
    *,
    member_id: UUID,
    amount: Decimal,
    method: str,
    receipt: str | None,
    paid_at: datetime,
    recorded_by: User | None,
) -> FinePayment:
    member = membership_lock(member_id)
    fines = fines_unpaid_lock(member.pk)
    if not fines:
        raise ConflictError(FineError.NONE_OWED, member=member.member_code)
    parts, excess = fines_allocate(fines, amount)
    return _payment_post(
        member=member,
        parts=parts,
        amount=amount,
        excess=excess,
        method=method,
        receipt=receipt,
        paid_at=paid_at,
        recorded_by=recorded_by,
    )


def fines_pay_member(
    *,
    membership: Membership,
    amount: Decimal,
    method: str,
    mpesa_receipt: str | None = None,
    paid_at: datetime | None = None,
    nested: bool = False,
) -> FinePayment:
    """Money a member paid towards their fines (the paybill's ``F`` account, an STK Push for
    fines): it settles their oldest unpaid fines first and the excess is member credit. A
    member who owes no fines is ``no_fines_owed`` (the intake holds the money in suspense)."""
    amount = fine_amount_clean(amount)
    receipt = receipt_validate(method, "confirmed", mpesa_receipt)
    try:
        return _fines_pay_member(
            member_id=membership.pk,
            amount=amount,
            method=method,
            receipt=receipt,
            paid_at=paid_at or timezone.now(),
            recorded_by=None,
            nested=nested,
        )
    except (IntegrityError, ConflictError):
        # A receipt already booked (by an STK callback that paid these very fines, which
        # are now settled) is a repeat, whatever else this payment would be refused for.
        if receipt and receipt_recorded(receipt):
            raise duplicate_receipt_error(receipt) from None
        raise
