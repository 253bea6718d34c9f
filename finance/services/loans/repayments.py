"""Repayments: allocated oldest installment first (penalty, fees, interest, principal), an
early payoff under the loan's rule, any excess to member credit."""

from datetime import date, datetime
from decimal import Decimal
from uuid import UUID

from django.db import IntegrityError
from django.utils import timezone

from accounts.models import User
from core.audit import audit_write, audited_by_caller
from core.db import durable
from core.exceptions import ConflictError, NotFoundError
from core.money import ZERO
from finance import chart
from finance import exceptions as msg
from finance.choices import (
    REPAYING_LOAN_STATUSES,
    EntryType,
    InstallmentStatus,
    LoanStatus,
)
from finance.loan_math import (
    InstallmentOwed,
    repayment_allocate,
)
from finance.locks import borrower_lock, loan_lock
from finance.models import (
    Installment,
    LedgerAccount,
    Loan,
    LoanRepayment,
    RepaymentAllocation,
)
from finance.selectors import loan_payoff_get
from finance.services.contributions import (
    arrival_account,
    duplicate_receipt_error,
    money_in,
    receipt_recorded,
    receipt_validate,
)
from finance.services.ledger import (
    AccountKey,
    credit,
    debit,
    ledger_accounts_get,
    ledger_post,
)
from groups.models import Chama, Membership


def _owed(installments: list[Installment]) -> list[InstallmentOwed]:
    return [
        InstallmentOwed(
            number=i.number,
            penalty=i.penalty_charged - i.paid_penalty,
            fees=ZERO,
            interest=i.interest - i.interest_waived - i.paid_interest,
            principal=i.principal - i.paid_principal,
        )
        for i in installments
    ]


def installment_status(i: Installment) -> InstallmentStatus:
    paid = i.paid_principal + i.paid_interest + i.paid_penalty
    owed = i.principal + i.interest - i.interest_waived + i.penalty_charged
    if paid == owed:
        return InstallmentStatus.PAID
    return InstallmentStatus.PARTIAL if paid > ZERO else InstallmentStatus.PENDING


def _settle_early(
    loan: Loan, installments: list[Installment], amount: Decimal, paid_on: date
) -> set[int]:
    """A repayment that covers the loan's payoff on its date settles the loan early: the
    interest the early-repayment rule lets go is recorded on each installment as waived, so
    the allocation then clears everything. Nothing posts for the waiver: interest income is
    recognised only as it is paid (cash basis). Returns the numbers of the installments."""
    if loan.disbursed_at is None or paid_on < timezone.localdate(loan.disbursed_at):
        return set()
    payoff = loan_payoff_get(loan=loan, on=paid_on, installments=installments)
    if payoff.interest_waived == ZERO or amount < payoff.total:
        return set()
    for inst in installments:
        inst.interest_waived += payoff.waivers.get(inst.number, ZERO)
    return set(payoff.waivers)


@durable
def _loan_repay(
    *,
    loan_id: UUID,
    chama_id: UUID,
    amount: Decimal,
    method: str,
    mpesa_receipt: str | None,
    paid_at: datetime,
    recorded_by: User | None,
) -> LoanRepayment:
    found = borrower_lock(loan_id, chama_id)
    if found is None:
        raise NotFoundError(msg.LOAN_NOT_FOUND, code="not_found")
    borrower = found
    loan = loan_lock(loan_id)
    if loan.status not in REPAYING_LOAN_STATUSES:
        raise ConflictError(msg.LOAN_CLOSED.format(status=loan.status), code="loan_closed")
    # A receipt already in the books is found by the unique constraints (loan_repay turns
    # their IntegrityError into duplicate_receipt), not by a query on every repayment.
    return loan_repayment_post(
        loan=loan,
        borrower=borrower,
        amount=amount,
        method=method,
        mpesa_receipt=mpesa_receipt,
        paid_at=paid_at,
        recorded_by=recorded_by,
    )


INSTALLMENT_PAID_FIELDS = (
    "interest_waived",
    "paid_penalty",
    "paid_fees",
    "paid_interest",
    "paid_principal",
    "status",
)


def loan_repayment_post(
    *,
    loan: Loan,
    borrower: Membership,
    amount: Decimal,
    method: str,
    mpesa_receipt: str | None,
    paid_at: datetime,
    recorded_by: User | None,
    source: LedgerAccount | None = None,
) -> LoanRepayment:
    """Post a repayment and allocate it, in the caller's transaction with the borrower's and
    the loan's locks held. ``source``: see ``money_in``."""
    schedule = list(loan.installments.order_by("number"))
    waived = _settle_early(loan, schedule, amount, timezone.localdate(paid_at))
    installments = [i for i in schedule if i.status != InstallmentStatus.PAID]
    allocations, excess = repayment_allocate(amount=amount, owed=_owed(installments))
    chama = loan.chama
    penalty = sum((a.penalty for a in allocations), ZERO)
    interest = sum((a.interest for a in allocations), ZERO)
    principal = sum((a.principal for a in allocations), ZERO)
    legs: list[tuple[AccountKey, Decimal]] = [
        ((chart.FINES_RECEIVABLE, borrower, None), penalty),
        ((chart.INTEREST_INCOME, None, None), interest),
        ((chart.LOANS_RECEIVABLE, borrower, None), principal),
        ((chart.MEMBER_CREDIT, borrower, None), excess),
    ]
    legs = [(key, part) for key, part in legs if part]
    arrives = [] if source else [arrival_account(method)]
    # The borrower's chama: its lock read the ids of the chama's accounts (posting_account_ids).
    accounts = ledger_accounts_get(chama=borrower.chama, keys=[*arrives, *(key for key, _ in legs)])
    paid_in = money_in(
        chama=chama, method=method, receipt=mpesa_receipt, source=source, accounts=accounts
    )
    entry = ledger_post(
        chama=chama,
        entry_type=EntryType.LOAN_REPAYMENT,
        lines=[debit(paid_in.account, amount), *(credit(accounts[k], part) for k, part in legs)],
        effective_date=timezone.localdate(paid_at),
        memo=f"Loan repayment by {borrower.member_code}",
        member=borrower,
        external_source=paid_in.external_source,
        external_ref=paid_in.receipt,
        recorded_by=recorded_by,
    )
    with audited_by_caller():
        repayment = LoanRepayment.objects.create(
            loan=loan,
            amount=amount,
            method=method,
            mpesa_receipt=mpesa_receipt,
            paid_at=paid_at,
            recorded_by=recorded_by,
            entry=entry,
            excess=excess,
        )
    by_number = {i.number: i for i in installments}
    allocated = RepaymentAllocation.objects.bulk_create(
        [
            RepaymentAllocation(
                repayment=repayment,
                installment=by_number[a.number],
                penalty=a.penalty,
                fees=a.fees,
                interest=a.interest,
                principal=a.principal,
            )
            for a in allocations
        ]
    )
    before = {i.number: {f: getattr(i, f) for f in INSTALLMENT_PAID_FIELDS} for i in installments}
    for a in allocations:
        inst = by_number[a.number]
        inst.paid_penalty += a.penalty
        inst.paid_fees += a.fees
        inst.paid_interest += a.interest
        inst.paid_principal += a.principal
    touched = waived | {a.number for a in allocations}
    changed, now = [], timezone.now()
    for inst in installments:
        if inst.number in touched:
            inst.status = installment_status(inst)
            inst.updated_at = now
            was = before[inst.number]
            diff = {f: (was[f], getattr(inst, f)) for f in INSTALLMENT_PAID_FIELDS}
            changed.append((inst, {f: pair for f, pair in diff.items() if pair[0] != pair[1]}))
    Installment.objects.bulk_update(
        [inst for inst, _ in changed], [*INSTALLMENT_PAID_FIELDS, "updated_at"]
    )
    audit_write(created=[repayment, *allocated], updated=changed)
    if all(i.status == InstallmentStatus.PAID for i in schedule):
        loan.status = LoanStatus.REPAID
        loan.closed_at = timezone.now()
        loan.save(update_fields=["status", "closed_at", "updated_at"])
    return repayment


def loan_repay(
    *,
    loan: Loan | UUID,
    chama: Chama | None = None,
    amount: Decimal,
    method: str,
    mpesa_receipt: str | None = None,
    paid_at: datetime | None = None,
    recorded_by: User | None = None,
    nested: bool = False,
) -> LoanRepayment:
    """Apply a repayment oldest installment first (penalty, fees, interest, principal); any
    excess becomes member credit. A repayment of at least the payoff amount on its date
    (``loan_payoff_get``) settles the loan early, without the interest the loan's rule
    waives. An M-Pesa receipt is used once in the whole system. ``loan`` may be the id a
    request named, with its ``chama``: it is then read under its lock (404 if not there)."""
    if isinstance(loan, Loan):
        loan_id, chama = loan.pk, loan.chama
    else:
        loan_id = loan
    assert chama is not None, "a loan id needs its chama"
    receipt = receipt_validate(method, "confirmed", mpesa_receipt)
    try:
        return _loan_repay(
            loan_id=loan_id,
            chama_id=chama.pk,
            amount=amount,
            method=method,
            mpesa_receipt=receipt,
            paid_at=paid_at or timezone.now(),
            recorded_by=recorded_by,
            nested=nested,
        )
    except IntegrityError:
        if receipt and receipt_recorded(receipt):
            raise duplicate_receipt_error(receipt) from None
        raise
