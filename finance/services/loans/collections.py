"""Collections: penalties charged on overdue installments (booked when charged, as fines are:
Dr 1120-M, Cr 4200), default after the policy's days, recovery from guarantors and write-off."""

from datetime import date
from decimal import Decimal
from uuid import UUID

from dateutil.relativedelta import relativedelta
from django.db.models import QuerySet
from django.utils import timezone

from core.db import durable
from core.exceptions import ConflictError
from core.money import ZERO, money
from finance import chart
from finance import exceptions as msg
from finance.choices import (
    EntryType,
    GuaranteeStatus,
    InstallmentStatus,
    LoanStatus,
    PenaltyType,
)
from finance.locks import loan_lock, membership_lock
from finance.models import (
    Installment,
    Loan,
    LoanPenalty,
    LoanPolicy,
)
from finance.services.ledger import (
    credit,
    debit,
    ledger_account_get,
    ledger_post,
)
from finance.services.loans.applications import member_savings
from finance.services.loans.repayments import installment_status
from finance.splits import largest_remainder_split
from groups.models import Membership


def _overdue(today: date) -> QuerySet[Installment]:
    return (
        Installment.objects.filter(
            loan__status__in=[LoanStatus.ACTIVE, LoanStatus.DEFAULTED],
            due_date__lt=today,
        )
        .exclude(status=InstallmentStatus.PAID)
        .select_related("loan__chama__loan_policy", "loan__membership__chama")
        .order_by("loan_id", "number")
    )


def loan_penalties_run(*, today: date | None = None) -> int:
    """Charge each overdue installment one penalty per penalty period elapsed after the grace
    days: at most one per (installment, period), so running it again changes nothing (the
    entry's idempotency key and a unique constraint both say so). Returns how many it charged."""
    today = today or timezone.localdate()
    charged = 0
    for inst in _overdue(today):
        policy = inst.loan.chama.loan_policy
        late = (today - inst.due_date).days - policy.grace_days
        if late <= 0:
            continue
        periods = (late - 1) // policy.penalty_period_days + 1
        done = set(inst.penalties.values_list("period", flat=True))
        for period in range(1, periods + 1):
            if period not in done and _charge_penalty(inst.pk, period, today):
                charged += 1
    return charged


@durable
def _charge_penalty(installment_id: UUID, period: int, today: date) -> bool:
    inst = Installment.objects.select_related("loan__chama__loan_policy", "loan__membership").get(
        pk=installment_id
    )
    borrower = membership_lock(inst.loan.membership_id)
    inst = Installment.objects.select_related("loan__chama__loan_policy").get(pk=installment_id)
    if inst.penalties.filter(period=period).exists() or inst.status == InstallmentStatus.PAID:
        return False
    policy = inst.loan.chama.loan_policy
    overdue = inst.total - inst.paid_principal - inst.paid_interest
    amount = (
        policy.penalty_amount
        if policy.penalty_type == PenaltyType.FLAT
        else money(overdue * policy.penalty_rate)
    )
    if amount <= ZERO:
        return False
    chama = inst.loan.chama
    entry = ledger_post(
        chama=chama,
        entry_type=EntryType.LOAN_PENALTY,
        lines=[
            debit(
                ledger_account_get(chama=chama, code=chart.FINES_RECEIVABLE, member=borrower),
                amount,
            ),
            credit(ledger_account_get(chama=chama, code=chart.FINES_INCOME), amount),
        ],
        effective_date=today,
        memo=f"Late penalty: installment {inst.number}, period {period}",
        member=borrower,
        idempotency_key=f"loan-penalty:{inst.pk}:{period}",
    )
    LoanPenalty.objects.create(installment=inst, period=period, amount=amount, entry=entry)
    inst.penalty_charged += amount
    inst.status = installment_status(inst)
    inst.save(update_fields=["penalty_charged", "status", "updated_at"])
    return True


def loan_defaults_run(*, today: date | None = None) -> int:
    """Mark active loans defaulted once an installment is overdue beyond the policy's days.

    One query per distinct policy setting (a handful), not one per loan; each loan that
    defaults is saved, so the audit log records the change."""
    today = today or timezone.localdate()
    defaulted = 0
    settings = LoanPolicy.objects.values_list("default_after_days", flat=True).distinct()
    for days in settings:
        overdue = Installment.objects.exclude(status=InstallmentStatus.PAID).filter(
            due_date__lt=today - relativedelta(days=days)
        )
        loans = Loan.objects.filter(
            status=LoanStatus.ACTIVE,
            chama__loan_policy__default_after_days=days,
            pk__in=overdue.values("loan_id"),
        )
        for loan in loans:
            defaulted += _loan_default(loan)
    return defaulted


@durable
def _loan_default(loan: Loan) -> int:
    loan = loan_lock(loan.pk)
    if loan.status != LoanStatus.ACTIVE:
        return 0
    loan.status = LoanStatus.DEFAULTED
    loan.save(update_fields=["status", "updated_at"])
    return 1


def _outstanding_principal(loan: Loan) -> Decimal:
    account = ledger_account_get(
        chama=loan.chama, code=chart.LOANS_RECEIVABLE, member=loan.membership
    )
    return account.cached_balance


@durable
def loan_recover_from_guarantors(*, loan: Loan, by: Membership) -> Loan:
    """Take the outstanding principal from the accepted guarantors' savings, split in
    proportion to their guarantees (largest remainder), each up to their guarantee and savings:
    Dr 2100-G, Cr 1100-M. What the guarantors cannot cover stays owed."""
    loan = loan_lock(loan.pk)
    if loan.status != LoanStatus.DEFAULTED:
        raise ConflictError(
            msg.LOAN_NOT_DEFAULTED.format(action="recovered", status=loan.status),
            code="loan_not_defaulted",
        )
    guarantees = list(
        loan.guarantees.filter(status=GuaranteeStatus.ACCEPTED)
        .select_related("guarantor")
        .order_by("guarantor__seat")
    )
    outstanding = _outstanding_principal(loan)
    covered = min(outstanding, sum((g.amount for g in guarantees), ZERO))
    if not guarantees or covered <= ZERO:
        return loan
    shares = largest_remainder_split(covered, [g.amount for g in guarantees])
    chama = loan.chama
    lines = []
    for guarantee, share in zip(guarantees, shares, strict=True):
        guarantor = membership_lock(guarantee.guarantor_id)
        share = min(share, guarantee.amount, max(member_savings(guarantor), ZERO))
        if share > ZERO:
            lines.append(
                debit(
                    ledger_account_get(chama=chama, code=chart.MEMBER_SAVINGS, member=guarantor),
                    share,
                )
            )
    recovered = sum((line.amount for line in lines), ZERO)
    if recovered > ZERO:
        lines.append(
            credit(
                ledger_account_get(
                    chama=chama, code=chart.LOANS_RECEIVABLE, member=loan.membership
                ),
                recovered,
            )
        )
        ledger_post(
            chama=chama,
            entry_type=EntryType.GUARANTOR_RECOVERY,
            lines=lines,
            memo=f"Recovery of {loan.membership.member_code}'s loan from guarantors",
            member=loan.membership,
            recorded_by=by.user,
        )
    return loan


@durable
def loan_write_off(*, loan: Loan, by: Membership, reason: str) -> Loan:
    """Write off what is still owed of a defaulted loan: Dr loans written off, Cr 1100-M."""
    loan = loan_lock(loan.pk)
    if loan.status != LoanStatus.DEFAULTED:
        raise ConflictError(
            msg.LOAN_NOT_DEFAULTED.format(action="written off", status=loan.status),
            code="loan_not_defaulted",
        )
    outstanding = _outstanding_principal(loan)
    chama = loan.chama
    if outstanding > ZERO:
        ledger_post(
            chama=chama,
            entry_type=EntryType.LOAN_WRITE_OFF,
            lines=[
                debit(ledger_account_get(chama=chama, code=chart.WRITE_OFFS), outstanding),
                credit(
                    ledger_account_get(
                        chama=chama, code=chart.LOANS_RECEIVABLE, member=loan.membership
                    ),
                    outstanding,
                ),
            ],
            memo=f"Write-off: {reason}"[:255],
            member=loan.membership,
            idempotency_key=f"loan:{loan.pk}:written-off",
            recorded_by=by.user,
        )
    loan.status = LoanStatus.WRITTEN_OFF
    loan.closed_at = timezone.now()
    loan.save(update_fields=["status", "closed_at", "updated_at"])
    return loan
