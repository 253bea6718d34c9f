"""Repayments: first what recovery took from the guarantors goes back to them (pro rata by
what each lost, largest remainder), then the rest is allocated oldest installment first
(penalty, fees, interest, principal) or, on a written-off loan, is bad debts recovered; an
early payoff under the loan's rule; any excess to member credit."""

from datetime import date, datetime
from decimal import Decimal
from uuid import UUID

from django.db import IntegrityError
from django.db.models import F, Sum
from django.utils import timezone

from accounts.models import User
from core.audit import Changes, audit_write, audited_by_caller
from core.db import durable
from core.exceptions import ConflictError, NotFoundError
from core.money import ZERO
from finance import chart, notifications
from finance.choices import (
    PAYABLE_LOAN_STATUSES,
    EntryType,
    InstallmentStatus,
    LoanStatus,
)
from finance.dates import paid_at_check
from finance.exceptions import FinanceError
from finance.loan_math import (
    InstallmentAllocation,
    InstallmentOwed,
    repayment_allocate,
)
from finance.locks import borrower_lock, loan_lock
from finance.models import (
    Guarantee,
    Installment,
    LedgerAccount,
    Loan,
    LoanRepayment,
    RepaymentAllocation,
)
from finance.selectors import loan_payoff_get
from finance.services.contributions import arrival_account, money_in
from finance.services.ledger import (
    AccountKey,
    credit,
    debit,
    ledger_accounts_get,
    ledger_post,
)
from finance.services.receipts import (
    duplicate_receipt_error,
    receipt_recorded,
    receipt_validate,
)
from finance.splits import largest_remainder_split
from groups.models import Membership
from groups.rules import official_check


def _owed(installments: list[Installment]) -> list[InstallmentOwed]:
    return [
        InstallmentOwed(
            number=i.number,
            penalty=i.penalty_charged - i.paid_penalty,
            fees=ZERO,
            interest=i.interest - i.interest_waived - i.paid_interest,
            principal=i.unpaid_principal,
        )
        for i in installments
    ]


def installment_status(i: Installment) -> InstallmentStatus:
    """Paid once the borrower or the guarantors (``principal_recovered``) settled it all."""
    paid = i.paid_principal + i.principal_recovered + i.paid_interest + i.paid_penalty
    owed = i.principal + i.interest - i.interest_waived + i.penalty_charged
    if paid == owed:
        return InstallmentStatus.PAID
    return InstallmentStatus.PARTIAL if paid > ZERO else InstallmentStatus.PENDING


def guarantors_owed(loan: Loan) -> list[Guarantee]:
    """The loan's guarantees whose guarantor recovery took more than has been refunded, in
    seat order (largest-remainder ties go to the earlier seat). Only a defaulted loan is
    recovered from, and it never becomes active again: an active loan's repayment skips the
    query."""
    if loan.status not in (LoanStatus.DEFAULTED, LoanStatus.WRITTEN_OFF):
        return []
    return list(
        loan.guarantees.filter(recovered__gt=F("refunded"))
        .select_related("guarantor")
        .order_by("guarantor__seat", "pk")
    )


def guarantor_refunds(owed: list[Guarantee], amount: Decimal) -> list[tuple[Guarantee, Decimal]]:
    """What of ``amount`` goes back to each guarantor: all of it up to what they are owed in
    all, shared pro rata by what each lost, by largest remainder (no share exceeds what its
    guarantor is owed, since the total does not exceed the sum of the weights)."""
    weights = [g.owed for g in owed]
    refund = min(amount, sum(weights, ZERO))
    if refund <= ZERO:
        return []
    shares = largest_remainder_split(refund, weights)
    return [(g, share) for g, share in zip(owed, shares, strict=True) if share > ZERO]


def _settle_early(
    loan: Loan,
    installments: list[Installment],
    amount: Decimal,
    paid_on: date,
    guarantors: Decimal,
) -> set[int]:
    """A repayment that covers the loan's payoff on its date (what the guarantors are owed
    included) settles the loan early: the interest the early-repayment rule lets go is
    recorded on each installment as waived, so the allocation then clears everything.
    Nothing posts for the waiver: interest income is recognised only as it is paid (cash
    basis). Returns the numbers of the installments."""
    if loan.disbursed_at is None or paid_on < timezone.localdate(loan.disbursed_at):
        return set()
    payoff = loan_payoff_get(
        loan=loan, on=paid_on, installments=installments, guarantors_owed=guarantors
    )
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
        raise NotFoundError(FinanceError.LOAN_NOT_FOUND)
    borrower = found
    loan = loan_lock(loan_id)
    if loan.status not in PAYABLE_LOAN_STATUSES:
        raise ConflictError(FinanceError.LOAN_CLOSED, status=loan.status)
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


def _written_off_unrecovered(loan: Loan, schedule: list[Installment]) -> Decimal:
    """What the write-off of ``loan`` took off the books (principal and penalties) that later
    payments have not yet brought back as bad debts recovered."""
    written_off = sum((i.principal_written_off + i.penalty_written_off for i in schedule), ZERO)
    recovered = loan.repayments.aggregate(total=Sum("recovered"))["total"] or ZERO
    return written_off - recovered


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
    the loan's locks held. ``source``: see ``money_in``.

    What recovery took from the guarantors goes back to their savings first (Cr 2100-G); the
    rest settles the installments (Cr 1120-M penalty, 4100 interest, 1100-M principal) or, on
    a written-off loan, is bad debts recovered (Cr 4400) up to what was written off; any
    excess is member credit (Cr 2500-M). A written-off loan with nothing left to refund or
    recover takes no more payments (``loan_closed``)."""
    owed = guarantors_owed(loan)
    refunds = guarantor_refunds(owed, amount)
    refunded = sum((share for _, share in refunds), ZERO)
    rest = amount - refunded
    schedule = list(loan.installments.order_by("number"))
    written_off = loan.status == LoanStatus.WRITTEN_OFF
    installments: list[Installment] = []
    allocations: list[InstallmentAllocation] = []
    waived: set[int] = set()
    recovered = ZERO
    if written_off:
        recovered = min(rest, _written_off_unrecovered(loan, schedule))
        if refunded + recovered == ZERO:
            raise ConflictError(FinanceError.LOAN_CLOSED, status=loan.status)
        excess = rest - recovered
    else:
        paid_on = timezone.localdate(paid_at)
        waived = _settle_early(loan, schedule, amount, paid_on, sum((g.owed for g in owed), ZERO))
        installments = [i for i in schedule if i.status != InstallmentStatus.PAID]
        allocations, excess = (
            repayment_allocate(amount=rest, owed=_owed(installments)) if rest else ([], ZERO)
        )
    chama = loan.chama
    penalty = sum((a.penalty for a in allocations), ZERO)
    interest = sum((a.interest for a in allocations), ZERO)
    principal = sum((a.principal for a in allocations), ZERO)
    legs: list[tuple[AccountKey, Decimal]] = [
        *(((chart.MEMBER_SAVINGS, g.guarantor, None), share) for g, share in refunds),
        ((chart.FINES_RECEIVABLE, borrower, None), penalty),
        ((chart.INTEREST_INCOME, None, None), interest),
        ((chart.LOANS_RECEIVABLE, borrower, None), principal),
        ((chart.BAD_DEBTS_RECOVERED, None, None), recovered),
        ((chart.MEMBER_CREDIT, borrower, None), excess),
    ]
    legs = [(key, part) for key, part in legs if part]
    arrives = [] if source else [arrival_account(method)]
    # The borrower's chama (the locked row): the owner its accounts' ids are known by.
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
            refunded=refunded,
            recovered=recovered,
        )
    refund_changes = _guarantees_refund(refunds)
    changed = _installments_pay(repayment, installments, allocations, waived)
    audit_write(created=[repayment], updated=[*refund_changes, *changed])
    # Repaid once every installment is settled and every guarantor is whole again.
    if (
        not written_off
        and all(g.owed == ZERO for g in owed)
        and all(i.status == InstallmentStatus.PAID for i in schedule)
    ):
        loan.status = LoanStatus.REPAID
        loan.closed_at = timezone.now()
        loan.save(update_fields=["status", "closed_at", "updated_at"])
        notifications.loan_repaid(loan)
    return repayment


def _guarantees_refund(refunds: list[tuple[Guarantee, Decimal]]) -> list[tuple[Guarantee, Changes]]:
    """Record each guarantor's refund on their guarantee; returns the changes, to audit."""
    changed = []
    for guarantee, share in refunds:
        was = guarantee.refunded
        guarantee.refunded = was + share
        guarantee.updated_at = timezone.now()
        changed.append((guarantee, {"refunded": (was, guarantee.refunded)}))
    Guarantee.objects.bulk_update([g for g, _ in changed], ["refunded", "updated_at"])
    return changed


def _installments_pay(
    repayment: LoanRepayment,
    installments: list[Installment],
    allocations: list[InstallmentAllocation],
    waived: set[int],
) -> list[tuple[Installment, Changes]]:
    """Record the allocations and move the installments' paid parts; returns the changes."""
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
    changed: list[tuple[Installment, Changes]] = []
    now = timezone.now()
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
    audit_write(created=allocated)
    return changed


def loan_repay(
    *,
    loan: Loan,
    acting: Membership | None = None,
    amount: Decimal,
    method: str,
    mpesa_receipt: str | None = None,
    paid_at: datetime | None = None,
    nested: bool = False,
) -> LoanRepayment:
    """Apply a repayment oldest installment first (penalty, fees, interest, principal); any
    excess becomes member credit. A repayment of at least the payoff amount on its date
    (``loan_payoff_get``) settles the loan early, without the interest the loan's rule
    waives. An M-Pesa receipt is used once in the whole system. ``acting``: the official
    who records it by hand, with a date inside the chama's books; None when M-Pesa reports
    the payment."""
    if acting is not None:
        official_check(
            acting, chama_id=loan.chama_id, refused=FinanceError.REPAYMENTS_OFFICIALS_ONLY
        )
        if paid_at is not None:
            paid_at_check(chama=acting.chama, paid_at=paid_at)
    receipt = receipt_validate(method, "confirmed", mpesa_receipt)
    try:
        return _loan_repay(
            loan_id=loan.pk,
            chama_id=loan.chama_id,
            amount=amount,
            method=method,
            mpesa_receipt=receipt,
            paid_at=paid_at or timezone.now(),
            recorded_by=acting.user if acting is not None else None,
            nested=nested,
        )
    except IntegrityError:
        if receipt and receipt_recorded(receipt):
            raise duplicate_receipt_error(receipt) from None
        raise
