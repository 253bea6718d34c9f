"""Collections: penalties charged on overdue installments (booked when charged, as fines are:
Dr 1120-M, Cr 4200), default after the policy's days, recovery from guarantors and write-off.

Both recovery and write-off settle the installments they cover, so that the loan's schedule
(Σ unpaid principal) always equals its loans receivable (1100-M)."""

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
from finance.choices import (
    EntryType,
    GuaranteeStatus,
    InstallmentStatus,
    LoanStatus,
    PenaltyType,
)
from finance.exceptions import FinanceError
from finance.locks import loan_lock, membership_lock
from finance.models import (
    Guarantee,
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
from groups.rules import official_check


def _overdue(today: date) -> QuerySet[Installment]:
    return (
        Installment.objects.filter(
            loan__status__in=[LoanStatus.ACTIVE, LoanStatus.DEFAULTED],
            due_date__lt=today,
        )
        .exclude(status=InstallmentStatus.PAID)
        .select_related("loan__chama__loan_policy", "loan__membership__chama")
        .prefetch_related("penalties")
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
        done = {penalty.period for penalty in inst.penalties.all()}
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
    overdue = inst.total - inst.paid_principal - inst.principal_recovered - inst.paid_interest
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


def _principal_recover(installments: list[Installment], amount: Decimal) -> None:
    """Settle ``amount`` of the installments' unpaid principal as recovered, the oldest
    installment's first (each save is audited)."""
    for inst in installments:
        part = min(amount, inst.unpaid_principal)
        if part <= ZERO:
            continue
        inst.principal_recovered += part
        inst.status = installment_status(inst)
        inst.save(update_fields=["principal_recovered", "status", "updated_at"])
        amount -= part


def _not_defaulted(loan: Loan, action: str) -> ConflictError:
    return ConflictError(FinanceError.LOAN_NOT_DEFAULTED, action=action, status=loan.status)


@durable
def loan_recover_from_guarantors(*, loan: Loan, acting: Membership) -> Loan:
    """Take the outstanding principal from the accepted guarantors' savings: Dr 2100-G each,
    Cr 1100-M. Only principal: the interest and penalties stay the borrower's to pay. Each
    guarantor gives up to what their guarantee still covers (a guarantee is taken once in
    all, however many recoveries) and their savings, shared in proportion to that cover by
    largest remainder. The recovered principal settles the installments oldest first; what
    the guarantors cannot cover stays owed, and what each gave is recorded on the guarantee
    (``recovered``), for the borrower's repayments to refund first. Nothing left to take is
    ``nothing_to_recover``, nothing written."""
    loan = loan_lock(loan.pk)
    if loan.status != LoanStatus.DEFAULTED:
        raise _not_defaulted(loan, "recovered")
    official_check(acting, chama_id=loan.chama_id, refused=FinanceError.NOT_OFFICIAL_LOANS)
    guarantees = list(
        loan.guarantees.filter(status=GuaranteeStatus.ACCEPTED)
        .select_related("guarantor")
        .order_by("guarantor__seat", "pk")
    )
    installments = list(loan.installments.order_by("number"))
    outstanding = sum((i.unpaid_principal for i in installments), ZERO)
    open_cover = [(g, g.amount - g.recovered) for g in guarantees if g.amount > g.recovered]
    cover = sum((left for _, left in open_cover), ZERO)
    covered = min(outstanding, cover)
    if covered <= ZERO:
        raise ConflictError(
            FinanceError.NOTHING_TO_RECOVER, principal=f"{outstanding:,}", cover=f"{cover:,}"
        )
    shares = largest_remainder_split(covered, [left for _, left in open_cover])
    chama = loan.chama
    taken: list[tuple[Guarantee, Decimal]] = []
    lines = []
    for (guarantee, _), share in zip(open_cover, shares, strict=True):
        guarantor = membership_lock(guarantee.guarantor_id)
        share = min(share, max(member_savings(guarantor), ZERO))
        if share > ZERO:
            account = ledger_account_get(chama=chama, code=chart.MEMBER_SAVINGS, member=guarantor)
            lines.append(debit(account, share))
            taken.append((guarantee, share))
    recovered = sum((share for _, share in taken), ZERO)
    if recovered == ZERO:
        raise ConflictError(FinanceError.GUARANTORS_WITHOUT_SAVINGS)
    receivable = ledger_account_get(
        chama=chama, code=chart.LOANS_RECEIVABLE, member=loan.membership
    )
    ledger_post(
        chama=chama,
        entry_type=EntryType.GUARANTOR_RECOVERY,
        lines=[*lines, credit(receivable, recovered)],
        memo=f"Recovery of {loan.membership.member_code}'s loan from guarantors",
        member=loan.membership,
        recorded_by=acting.user,
    )
    for guarantee, share in taken:
        guarantee.recovered += share
        guarantee.save(update_fields=["recovered", "updated_at"])
    _principal_recover(installments, recovered)
    return loan


@durable
def loan_write_off(*, loan: Loan, acting: Membership, reason: str) -> Loan:
    """Write off what is still owed of a defaulted loan, in one entry:

    * its principal: Dr 5500 loans written off, Cr 1100-M (an expense: the chama lost it);
    * its penalties charged and not paid: Dr 4200 fines and penalties income, Cr 1120-M — the
      reversal of income booked when charged and never collected. Only this loan's penalties
      (its installments' ``penalty_charged - paid_penalty``): the member's other fines stay
      owed.

    Interest is income only when paid (cash basis): none is on the books to write off. The
    installments record what was written off, so the loan's books end at zero; a later
    payment on the loan is bad debts recovered (``loan_repayment_post``)."""
    loan = loan_lock(loan.pk)
    if loan.status != LoanStatus.DEFAULTED:
        raise _not_defaulted(loan, "written off")
    official_check(acting, chama_id=loan.chama_id, refused=FinanceError.NOT_OFFICIAL_LOANS)
    installments = list(loan.installments.order_by("number"))
    principal = sum((i.unpaid_principal for i in installments), ZERO)
    penalties = sum((i.unpaid_penalty for i in installments), ZERO)
    chama, borrower = loan.chama, loan.membership
    if principal + penalties > ZERO:
        ledger_post(
            chama=chama,
            entry_type=EntryType.LOAN_WRITE_OFF,
            lines=[
                debit(ledger_account_get(chama=chama, code=chart.WRITE_OFFS), principal),
                credit(
                    ledger_account_get(chama=chama, code=chart.LOANS_RECEIVABLE, member=borrower),
                    principal,
                ),
                debit(ledger_account_get(chama=chama, code=chart.FINES_INCOME), penalties),
                credit(
                    ledger_account_get(chama=chama, code=chart.FINES_RECEIVABLE, member=borrower),
                    penalties,
                ),
            ],
            memo=f"Write-off: {reason}"[:255],
            member=borrower,
            idempotency_key=f"loan:{loan.pk}:written-off",
            recorded_by=acting.user,
        )
    for inst in installments:
        if inst.unpaid_principal or inst.unpaid_penalty:
            inst.principal_written_off += inst.unpaid_principal
            inst.penalty_written_off += inst.unpaid_penalty
            inst.save(update_fields=["principal_written_off", "penalty_written_off", "updated_at"])
    loan.status = LoanStatus.WRITTEN_OFF
    loan.closed_at = timezone.now()
    loan.save(update_fields=["status", "closed_at", "updated_at"])
    return loan
