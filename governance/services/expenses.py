"""Expenses: the treasurer records one with its receipt; officials other than the treasurer
sign it (the chama's rule says how many, and above which amount the chair must be among them;
any rejection rejects); approved, it is owed (Dr 5100 operating expenses · Cr 2400 approved
expenses payable); the treasurer pays it from a named account (Dr 2400 · Cr the paybill, the
bank or cash), which the ledger refuses when that account cannot cover it.

An expense left unsigned too long goes to the members: governance.services.expense_disputes.
"""

from decimal import Decimal
from typing import Any
from uuid import UUID

from django.core.files import File
from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts.models import User
from core.db import durable
from core.exceptions import ConflictError, ValidationFailed
from core.money import MAX_AMOUNT, ZERO, money
from finance import chart
from finance.chart import TRANSFER_ACCOUNT_CODES
from finance.choices import EntryType, TransferAccount
from finance.notifications import approval_awaiting
from finance.services.ledger import credit, debit, ledger_account_get, ledger_post
from governance.exceptions import ExpenseError
from governance.locks import expense_lock
from governance.models import Document, DocumentKind, Expense, ExpenseCategory, ExpenseStatus
from governance.services.documents import document_upload
from groups.approvals import SignatureOutcome, signature_add
from groups.choices import ApprovalKind, Role, SignatureDecision
from groups.models import Chama, Membership
from groups.rules import official_check

PAYEE_MAX = 200
DESCRIPTION_MAX = 2000
REASON_MAX = 255
TREASURER = frozenset({Role.TREASURER})


def _clean_text(value: str, *, limit: int, field: str) -> str:
    value = value.strip()
    if len(value) > limit:
        raise ValidationFailed(ExpenseError.TEXT_TOO_LONG, limit=f"{limit:,}", field=field)
    return value


def _clean_amount(amount: Decimal) -> Decimal:
    if not amount.is_finite() or amount <= ZERO or amount > MAX_AMOUNT or money(amount) != amount:
        raise ValidationFailed(
            ExpenseError.INVALID_AMOUNT, maximum=f"{MAX_AMOUNT:,}", field="amount"
        )
    return money(amount)


def _receipt_get(chama: Chama, receipt_id: UUID) -> Document:
    document = Document.objects.filter(
        pk=receipt_id, chama=chama, kind=DocumentKind.RECEIPT, deleted_at__isnull=True
    ).first()
    if document is None:
        raise ValidationFailed(ExpenseError.UNKNOWN_RECEIPT, field="receipt_id")
    if document_backs_expense(document):
        raise ConflictError(ExpenseError.RECEIPT_IN_USE, field="receipt_id")
    return document


def document_backs_expense(document: Document) -> bool:
    """Whether ``document`` is the receipt of an expense that is not rejected."""
    return Expense.objects.filter(receipt=document).exclude(status=ExpenseStatus.REJECTED).exists()


@transaction.atomic
def expense_create(
    *,
    chama: Chama,
    acting: Membership,
    category: str,
    payee: str,
    amount: Decimal,
    description: str = "",
    receipt: File | None = None,
    receipt_id: UUID | None = None,
) -> Expense:
    """The treasurer records an expense with its receipt: a file uploaded now (kept as a
    receipt document every member may read) or a receipt document uploaded before. Nothing is
    posted until it is approved."""
    official_check(acting, chama_id=chama.pk, refused=ExpenseError.TREASURER_ONLY, roles=TREASURER)
    if category not in ExpenseCategory.values:
        raise ValidationFailed(ExpenseError.INVALID_CATEGORY, field="category")
    payee = _clean_text(payee, limit=PAYEE_MAX, field="payee")
    if not payee:
        raise ValidationFailed(ExpenseError.PAYEE_REQUIRED, field="payee")
    amount = _clean_amount(amount)
    description = _clean_text(description, limit=DESCRIPTION_MAX, field="description")
    if (receipt is None) == (receipt_id is None):
        raise ValidationFailed(ExpenseError.RECEIPT_REQUIRED, field="receipt")
    if receipt_id is not None:
        document = _receipt_get(chama, receipt_id)
    else:
        document = document_upload(
            chama=chama,
            acting=acting,
            file=receipt,  # type: ignore[arg-type]  # checked above: one of the two is given
            kind=DocumentKind.RECEIPT,
            title=f"Receipt: {payee}"[:200],
        )
    try:
        with transaction.atomic():
            expense = Expense.objects.create(
                chama=chama,
                category=category,
                payee=payee,
                amount=amount,
                description=description,
                receipt=document,
                created_by=acting,
            )
    except IntegrityError as exc:  # governance_expense_receipt_backs_one, when two race
        raise ConflictError(ExpenseError.RECEIPT_IN_USE, field="receipt_id") from exc
    approval_awaiting(
        chama_id=chama.pk,
        subject=f"An expense paid to {payee}",
        amount=amount,
        makers=[acting.pk],
        key=f"approval_awaiting:expense:{expense.pk}",
    )
    return expense


def _pending(expense: Expense) -> Expense:
    if expense.status == ExpenseStatus.DISPUTED:
        raise ConflictError(ExpenseError.DISPUTED)
    if expense.status != ExpenseStatus.PENDING:
        raise ConflictError(ExpenseError.NOT_PENDING, status=expense.status)
    return expense


def _sign(expense: Expense, acting: Membership, decision: str, comment: str) -> SignatureOutcome:
    """An official other than the treasurer who recorded it signs (the expense locked). Who
    may sign is answered first (403), then whether it still waits for signatures (409)."""
    who: dict[str, Any] = {
        "refused": ExpenseError.OFFICIALS_ONLY,
        "makers": (expense.created_by.user_id,),
        "maker_refused": ExpenseError.SAME_OFFICIAL,
    }
    official_check(acting, chama_id=expense.chama_id, **who)
    _pending(expense)
    return signature_add(
        acting=acting,
        chama=expense.chama,
        kind=ApprovalKind.EXPENSE,
        target_id=expense.pk,
        decision=decision,
        comment=comment,
        amount=expense.amount,
        **who,
    )


def expense_approval_post(expense: Expense, *, recorded_by: User | None) -> Expense:
    """Approve the locked expense inside the caller's durable transaction: the chama owes it
    (Dr 5100 operating expenses · Cr 2400 approved expenses payable)."""
    chama = expense.chama
    expense.approved_entry = ledger_post(
        chama=chama,
        entry_type=EntryType.EXPENSE_APPROVED,
        lines=[
            debit(ledger_account_get(chama=chama, code=chart.OPERATING_EXPENSES), expense.amount),
            credit(ledger_account_get(chama=chama, code=chart.EXPENSES_PAYABLE), expense.amount),
        ],
        memo=f"Expense approved: {expense.get_category_display().lower()}, {expense.payee}",
        idempotency_key=f"expense:{expense.pk}:approved",
        recorded_by=recorded_by,
    )
    expense.status = ExpenseStatus.APPROVED
    expense.approved_at = timezone.now()
    expense.save(update_fields=["status", "approved_entry", "approved_at", "updated_at"])
    return expense


def expense_rejection_record(expense: Expense, *, reason: str) -> Expense:
    """Reject the locked expense: nothing was posted, nothing is."""
    expense.status = ExpenseStatus.REJECTED
    expense.rejected_at = timezone.now()
    expense.rejection_reason = reason[:REASON_MAX]
    expense.save(update_fields=["status", "rejected_at", "rejection_reason", "updated_at"])
    return expense


@durable
def expense_approve(*, expense: Expense, acting: Membership, comment: str = "") -> Expense:
    """An official other than its maker signs the approval. The last signature the chama's
    rule asks for (one by default; the chair's among them above the threshold) approves it
    and posts Dr 5100 · Cr 2400; until then it stays pending. A disputed expense waits for the
    members' vote (409 expense_disputed)."""
    comment = _clean_text(comment, limit=REASON_MAX, field="comment")
    expense = expense_lock(expense.pk)
    signed = _sign(expense, acting, SignatureDecision.APPROVE, comment)
    if signed.approved:
        expense_approval_post(expense, recorded_by=acting.user)
    return expense


@durable
def expense_reject(*, expense: Expense, acting: Membership, reason: str) -> Expense:
    """An official other than its maker rejects it, saying why: any rejection rejects."""
    reason = _clean_text(reason, limit=REASON_MAX, field="reason")
    if not reason:
        raise ValidationFailed(ExpenseError.REASON_REQUIRED, field="reason")
    expense = expense_lock(expense.pk)
    _sign(expense, acting, SignatureDecision.REJECT, reason)
    return expense_rejection_record(expense, reason=reason)


@durable
def expense_pay(*, expense: Expense, acting: Membership, account: str) -> Expense:
    """The treasurer pays an approved expense from the account named: Dr 2400 approved
    expenses payable · Cr the paybill, the bank or cash. When that account holds less, the
    ledger refuses it (409 insufficient_funds) and nothing is written."""
    expense = expense_lock(expense.pk)
    official_check(
        acting, chama_id=expense.chama_id, refused=ExpenseError.TREASURER_ONLY, roles=TREASURER
    )
    if account not in TransferAccount.values:
        raise ValidationFailed(ExpenseError.INVALID_ACCOUNT, field="account")
    if expense.status != ExpenseStatus.APPROVED:
        raise ConflictError(ExpenseError.NOT_APPROVED, status=expense.status)
    chama = expense.chama
    source = ledger_account_get(chama=chama, code=TRANSFER_ACCOUNT_CODES[TransferAccount(account)])
    expense.paid_entry = ledger_post(
        chama=chama,
        entry_type=EntryType.EXPENSE_PAID,
        lines=[
            debit(ledger_account_get(chama=chama, code=chart.EXPENSES_PAYABLE), expense.amount),
            credit(source, expense.amount),
        ],
        memo=f"Expense paid from {source.name}: {expense.payee}",
        idempotency_key=f"expense:{expense.pk}:paid",
        recorded_by=acting.user,
    )
    expense.status = ExpenseStatus.PAID
    expense.paid_from = account
    expense.paid_at = timezone.now()
    expense.paid_by = acting
    expense.save(
        update_fields=["status", "paid_entry", "paid_from", "paid_at", "paid_by", "updated_at"]
    )
    return expense
