"""Loans: application with guarantors, maker-checker approval with a stored schedule,
disbursement, repayments allocated oldest installment first, penalties, default, recovery
from guarantors and write-off. Every movement of money posts through ``ledger_post``.

Penalties are booked when charged, as fines are (Dr 1120-M fines receivable, Cr 4200
penalties income), so the penalty job posts; a repayment's penalty part then settles 1120-M.
"""

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from uuid import UUID

from dateutil.relativedelta import relativedelta
from django.db import IntegrityError
from django.db.models import QuerySet
from django.utils import timezone

from accounts.models import User
from core.audit import audit_write, audited_by_caller
from core.db import durable
from core.exceptions import ConflictError, NotFoundError, PermissionDeniedError, ValidationFailed
from core.money import ZERO, money
from finance import chart
from finance import exceptions as msg
from finance.choices import (
    LIVE_LOAN_STATUSES,
    REPAYING_LOAN_STATUSES,
    EntryType,
    GuaranteeStatus,
    InstallmentStatus,
    LoanStatus,
    PaymentMethod,
    PenaltyType,
)
from finance.gateways import PAYOUT_GATEWAYS, PayoutGateway, TransferKind
from finance.loan_math import (
    InstallmentOwed,
    ScheduledInstallment,
    discounted_rate,
    loan_schedule,
    repayment_allocate,
)
from finance.locks import borrower_lock, loan_lock, membership_lock
from finance.models import (
    Guarantee,
    Installment,
    LedgerAccount,
    Loan,
    LoanPenalty,
    LoanPolicy,
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
from finance.services.in_flight import (
    in_flight_account,
    transfer_outcome_post,
    transfer_return,
    transfer_send,
)
from finance.services.ledger import (
    AccountKey,
    Line,
    credit,
    debit,
    insufficient_funds,
    ledger_account_get,
    ledger_accounts_get,
    ledger_post,
)
from finance.splits import largest_remainder_split
from groups.choices import OFFICIAL_ROLES, MembershipStatus
from groups.models import Chama, Membership

ONE_MONTH = relativedelta(months=1)


def loan_policy_get(*, chama: Chama) -> LoanPolicy:
    policy, _ = LoanPolicy.objects.get_or_create(chama=chama)
    return policy


@dataclass(frozen=True)
class LoanTerms:
    """A loan's terms. ``interest_rate`` is what the schedule charges: ``base_interest_rate``
    less ``credit_discount_percent`` of it, the discount earned by ``credit_score``."""

    principal: Decimal
    interest_rate: Decimal
    interest_rate_period: str
    interest_method: str
    term_months: int
    base_interest_rate: Decimal
    credit_score: int | None = None
    credit_discount_percent: Decimal = ZERO

    @classmethod
    def of(cls, loan: Loan) -> "LoanTerms":
        return cls(
            principal=loan.principal,
            interest_rate=loan.interest_rate,
            interest_rate_period=loan.interest_rate_period,
            interest_method=loan.interest_method,
            term_months=loan.term_months,
            base_interest_rate=loan.base_interest_rate,
            credit_score=loan.credit_score,
            credit_discount_percent=loan.credit_discount_percent,
        )


@dataclass(frozen=True)
class LoanQuote:
    terms: LoanTerms
    schedule: list[ScheduledInstallment]

    @property
    def total_repayable(self) -> Decimal:
        return sum((i.total for i in self.schedule), ZERO)

    @property
    def total_interest(self) -> Decimal:
        return sum((i.interest for i in self.schedule), ZERO)


def credit_discount_percent(*, policy: LoanPolicy, credit_score: int | None) -> Decimal:
    """The discount on the rate a member's credit score earns under the policy: its percent
    once the score reaches the policy's minimum, else none (also with no score yet)."""
    threshold = policy.credit_discount_min_score
    if threshold is None or credit_score is None or credit_score < threshold:
        return ZERO
    return policy.credit_discount_percent


def _schedule(*, terms: LoanTerms, first_due: date) -> LoanQuote:
    try:
        schedule = loan_schedule(
            principal=terms.principal,
            rate=terms.interest_rate,
            rate_period=terms.interest_rate_period,
            method=terms.interest_method,
            term_months=terms.term_months,
            first_due=first_due,
        )
    except ValueError as exc:
        raise ValidationFailed(str(exc), code="invalid_terms") from exc
    return LoanQuote(terms=terms, schedule=schedule)


def _check_minimum(quote: LoanQuote, policy: LoanPolicy) -> None:
    """The policy's smallest loan, and no installment that repays nothing of the principal
    (a total of 0.00 repays none either): such a loan is refused, not stored."""
    terms = quote.terms
    if terms.principal < policy.min_principal:
        raise ValidationFailed(
            msg.PRINCIPAL_BELOW_MINIMUM.format(
                minimum=policy.min_principal, principal=terms.principal
            ),
            code="principal_below_minimum",
            field="principal",
        )
    for row in quote.schedule:
        if row.principal == ZERO:
            raise ValidationFailed(
                msg.INSTALLMENT_TOO_SMALL.format(
                    principal=terms.principal, term=terms.term_months, number=row.number
                ),
                code="installment_too_small",
                field="principal",
            )


def loan_quote(
    *,
    policy: LoanPolicy,
    membership: Membership,
    principal: Decimal,
    term_months: int,
    interest_rate: Decimal | None = None,
    interest_rate_period: str | None = None,
    interest_method: str | None = None,
) -> LoanQuote:
    """The terms the chama's policy gives this member — what was left out taken from the
    policy, the rate lowered by the member's credit-score discount — and their schedule, the
    first installment due a month from today; writes nothing. Refuses what an application
    would: terms outside the policy, too small a principal."""
    if not 1 <= term_months <= policy.max_term_months:
        raise ValidationFailed(
            msg.TERM_OUT_OF_POLICY.format(max_term=policy.max_term_months),
            code="term_out_of_policy",
            field="term_months",
        )
    base_rate = policy.interest_rate if interest_rate is None else interest_rate
    discount = credit_discount_percent(policy=policy, credit_score=membership.credit_score)
    try:
        rate = discounted_rate(base_rate, discount)
    except ValueError as exc:
        raise ValidationFailed(str(exc), code="invalid_terms", field="interest_rate") from exc
    terms = LoanTerms(
        principal=principal,
        interest_rate=rate,
        interest_rate_period=interest_rate_period or policy.interest_rate_period,
        interest_method=interest_method or policy.interest_method,
        term_months=term_months,
        base_interest_rate=base_rate,
        credit_score=membership.credit_score,
        credit_discount_percent=discount,
    )
    quote = _schedule(terms=terms, first_due=timezone.localdate() + ONE_MONTH)
    _check_minimum(quote, policy)
    return quote


def _savings(membership: Membership) -> Decimal:
    account = ledger_account_get(
        chama=membership.chama, code=chart.MEMBER_SAVINGS, member=membership
    )
    return -account.cached_balance  # a liability: what the chama holds for the member


def _live_loan_conflict() -> ConflictError:
    return ConflictError(msg.ACTIVE_LOAN_EXISTS, code="active_loan_exists")


@durable
def _loan_apply(
    *,
    membership: Membership,
    applied_by: User,
    terms: LoanTerms,
    guarantors: list[tuple[Membership, Decimal]],
    purpose: str,
    policy: LoanPolicy,
) -> Loan:
    membership = membership_lock(membership.pk)
    if Loan.objects.filter(membership=membership, status__in=LIVE_LOAN_STATUSES).exists():
        raise _live_loan_conflict()
    savings = _savings(membership)
    limit = money(savings * policy.max_savings_multiple)
    if terms.principal > limit:
        raise ValidationFailed(
            msg.EXCEEDS_SAVINGS_MULTIPLE.format(
                multiple=policy.max_savings_multiple, savings=savings, limit=limit
            ),
            code="exceeds_savings_multiple",
            field="principal",
        )
    loan = Loan.objects.create(
        chama=membership.chama,
        membership=membership,
        principal=terms.principal,
        interest_rate=terms.interest_rate,
        interest_rate_period=terms.interest_rate_period,
        interest_method=terms.interest_method,
        term_months=terms.term_months,
        base_interest_rate=terms.base_interest_rate,
        credit_score=terms.credit_score,
        credit_discount_percent=terms.credit_discount_percent,
        early_repayment=policy.early_repayment,
        early_repayment_rebate_percent=policy.early_repayment_rebate_percent,
        processing_fee=money(terms.principal * policy.processing_fee_rate),
        purpose=purpose,
        applied_by=applied_by,
    )
    Guarantee.objects.bulk_create(
        [Guarantee(loan=loan, guarantor=g, amount=amount) for g, amount in guarantors]
    )
    return loan


def loan_apply(
    *,
    chama: Chama,
    membership: Membership,
    applied_by: User,
    principal: Decimal,
    term_months: int,
    interest_rate: Decimal | None = None,
    interest_rate_period: str | None = None,
    interest_method: str | None = None,
    guarantors: list[tuple[Membership, Decimal]] | None = None,
    purpose: str = "",
) -> Loan:
    """A member applies (or an official applies for them). One live loan per member per chama,
    also under racing requests (a partial unique index decides: ``active_loan_exists``)."""
    if membership.chama_id != chama.pk or membership.status != MembershipStatus.ACTIVE:
        raise ValidationFailed(msg.UNKNOWN_MEMBER, code="unknown_member", field="member_id")
    policy = loan_policy_get(chama=chama)
    terms = loan_quote(
        policy=policy,
        membership=membership,
        principal=principal,
        term_months=term_months,
        interest_rate=interest_rate,
        interest_rate_period=interest_rate_period,
        interest_method=interest_method,
    ).terms
    guarantors = guarantors or []
    seen: set[object] = set()
    for guarantor, _amount in guarantors:
        if guarantor.pk == membership.pk:
            raise ValidationFailed(
                msg.GUARANTOR_IS_BORROWER, code="guarantor_is_borrower", field="guarantors"
            )
        if guarantor.chama_id != chama.pk or guarantor.status != MembershipStatus.ACTIVE:
            raise ValidationFailed(
                msg.GUARANTOR_NOT_MEMBER, code="guarantor_not_member", field="guarantors"
            )
        if guarantor.pk in seen:
            raise ValidationFailed(msg.GUARANTOR_TWICE, code="guarantor_twice", field="guarantors")
        seen.add(guarantor.pk)
    try:
        return _loan_apply(
            membership=membership,
            applied_by=applied_by,
            terms=terms,
            guarantors=guarantors,
            purpose=purpose,
            policy=policy,
        )
    except IntegrityError:
        if Loan.objects.filter(membership=membership, status__in=LIVE_LOAN_STATUSES).exists():
            raise _live_loan_conflict() from None
        raise


@durable
def guarantee_decide(*, guarantee: Guarantee, by: Membership, accept: bool) -> Guarantee:
    """The named guarantor accepts or declines, while the loan awaits its decision."""
    loan = loan_lock(guarantee.loan_id)
    guarantee = Guarantee.objects.get(pk=guarantee.pk)
    if guarantee.guarantor_id != by.pk:
        raise PermissionDeniedError(msg.NOT_THE_GUARANTOR, code="not_the_guarantor")
    if loan.status != LoanStatus.APPLIED:
        raise ConflictError(
            msg.LOAN_NOT_APPLIED.format(action="guaranteed", status=loan.status),
            code="loan_not_applied",
        )
    guarantee.status = GuaranteeStatus.ACCEPTED if accept else GuaranteeStatus.DECLINED
    guarantee.decided_at = timezone.now()
    guarantee.save(update_fields=["status", "decided_at", "updated_at"])
    return guarantee


def _check_decider(loan: Loan, official: Membership, action: str) -> None:
    if loan.status != LoanStatus.APPLIED:
        raise ConflictError(
            msg.LOAN_NOT_APPLIED.format(action=action, status=loan.status), code="loan_not_applied"
        )
    if official.role not in OFFICIAL_ROLES:
        raise PermissionDeniedError("Only officials decide loans.", code="not_official")
    if official.user_id in {loan.applied_by_id, loan.membership.user_id}:
        raise PermissionDeniedError(msg.APPLICANT_CANNOT_APPROVE, code="applicant_cannot_approve")


@durable
def loan_approve(*, loan: Loan, approved_by: Membership) -> Loan:
    """Another official approves: the guarantees must meet the policy; the schedule is stored,
    its first installment due a month from today."""
    loan = loan_lock(loan.pk)
    _check_decider(loan, approved_by, "approved")
    policy = loan_policy_get(chama=loan.chama)
    accepted = list(loan.guarantees.filter(status=GuaranteeStatus.ACCEPTED))
    covered = sum((g.amount for g in accepted), ZERO)
    cover = money(loan.principal * policy.guarantee_cover)
    if len(accepted) < policy.guarantors_required or covered < cover:
        raise ConflictError(
            msg.GUARANTEES_INSUFFICIENT.format(
                count=len(accepted),
                covered=covered,
                required=policy.guarantors_required,
                cover=cover,
            ),
            code="guarantees_insufficient",
        )
    quote = _schedule(terms=LoanTerms.of(loan), first_due=timezone.localdate() + ONE_MONTH)
    Installment.objects.bulk_create(
        [
            Installment(
                loan=loan,
                number=i.number,
                due_date=i.due_date,
                principal=i.principal,
                interest=i.interest,
                total=i.total,
            )
            for i in quote.schedule
        ]
    )
    loan.status = LoanStatus.APPROVED
    loan.decided_by = approved_by.user
    loan.decided_at = timezone.now()
    loan.save(update_fields=["status", "decided_by", "decided_at", "updated_at"])
    return loan


@durable
def loan_reject(*, loan: Loan, rejected_by: Membership, reason: str) -> Loan:
    loan = loan_lock(loan.pk)
    _check_decider(loan, rejected_by, "rejected")
    loan.status = LoanStatus.REJECTED
    loan.decided_by = rejected_by.user
    loan.decided_at = timezone.now()
    loan.rejection_reason = reason
    loan.closed_at = timezone.now()
    loan.save(
        update_fields=[
            "status",
            "decided_by",
            "decided_at",
            "rejection_reason",
            "closed_at",
            "updated_at",
        ]
    )
    return loan


@durable
def loan_disburse(*, loan: Loan, disbursed_by: Membership, method: str) -> Loan:
    """The money leaves for the borrower; the chama cannot lend more than the source account
    holds. By hand (cash, bank): Dr loans receivable (principal), Cr the source account
    (principal less the processing fee), Cr interest and fees income (the fee), and the loan is
    active. Through a two-phase gateway (M-Pesa B2C): Dr payouts in flight, Cr the source
    account (principal less the fee); the loan is ``disbursed`` (in flight) and the transfer is
    sent on commit, until ``loan_disbursement_settle`` or ``loan_disbursement_fail``."""
    loan = loan_lock(loan.pk)
    if loan.status != LoanStatus.APPROVED:
        raise ConflictError(
            msg.LOAN_NOT_APPROVED.format(status=loan.status), code="loan_not_approved"
        )
    gateway = PAYOUT_GATEWAYS.get(method)
    if gateway is None:
        raise ValidationFailed(
            msg.METHOD_UNAVAILABLE.format(method=method), code="method_unavailable", field="method"
        )
    chama, borrower = loan.chama, loan.membership
    source = ledger_account_get(chama=chama, code=gateway.source_code)
    paid_out = loan.principal - loan.processing_fee
    # An early answer from an unlocked read; the ledger decides as the money moves.
    if source.cached_balance < paid_out:
        raise insufficient_funds(source, paid_out)
    loan.disbursement_method = PaymentMethod(method)
    if gateway.two_phase:
        return _loan_send(loan, gateway=gateway, source=source, amount=paid_out, by=disbursed_by)
    loan.disbursement_entry = ledger_post(
        chama=chama,
        entry_type=EntryType.LOAN_DISBURSEMENT,
        lines=_disbursement_lines(loan, paid_from=source),
        memo=f"Loan to {borrower.member_code}",
        member=borrower,
        idempotency_key=f"loan:{loan.pk}:disbursed",
        recorded_by=disbursed_by.user,
    )
    return _loan_activate(loan, "disbursement_method")


def _disbursement_lines(loan: Loan, *, paid_from: LedgerAccount) -> list[Line]:
    """Dr loans receivable (principal), Cr the account the money was paid from (principal less
    the processing fee), Cr interest and fees income (the fee)."""
    chama, borrower = loan.chama, loan.membership
    return [
        debit(
            ledger_account_get(chama=chama, code=chart.LOANS_RECEIVABLE, member=borrower),
            loan.principal,
        ),
        credit(paid_from, loan.principal - loan.processing_fee),
        credit(ledger_account_get(chama=chama, code=chart.INTEREST_INCOME), loan.processing_fee),
    ]


def _loan_activate(loan: Loan, *fields: str) -> Loan:
    """The borrower has the money: the loan is active and takes repayments."""
    loan.status = LoanStatus.ACTIVE
    loan.disbursed_at = timezone.now()
    loan.save(update_fields=["status", "disbursed_at", "disbursement_entry", *fields, "updated_at"])
    return loan


def _loan_send(
    loan: Loan, *, gateway: PayoutGateway, source: LedgerAccount, amount: Decimal, by: Membership
) -> Loan:
    borrower = loan.membership
    sent = transfer_send(
        gateway=gateway,
        chama=loan.chama,
        source=source,
        kind=TransferKind.LOAN,
        object_id=loan.pk,
        amount=amount,
        destination=borrower.receive_phone,
        remarks="Loan disbursement",
        entry_type=EntryType.LOAN_IN_FLIGHT,
        memo=f"Loan to {borrower.member_code} sent ({borrower.receive_phone})",
        member=borrower,
        recorded_by=by.user,
    )
    loan.status = LoanStatus.DISBURSED
    loan.disbursement_reference = sent.reference
    loan.disbursement_sent_entry = sent.entry
    loan.disbursement_failure_reason = ""
    loan.save(
        update_fields=[
            "status",
            "disbursement_method",
            "disbursement_reference",
            "disbursement_sent_entry",
            "disbursement_failure_reason",
            "updated_at",
        ]
    )
    return loan


def _loan_in_flight(loan: Loan) -> Loan:
    loan = loan_lock(loan.pk)
    if loan.status != LoanStatus.DISBURSED:
        raise ConflictError(
            msg.LOAN_NOT_IN_FLIGHT.format(status=loan.status), code="loan_not_in_flight"
        )
    return loan


def _installments_due_from(loan: Loan, first_due: date) -> None:
    """Move the schedule stored at approval so that its first installment falls due no sooner
    than ``first_due``, the later ones a month apart from it as ``loan_schedule`` counts them.
    A transfer that spent days in flight, or failed and went again, costs the borrower none of
    the month they have before the first installment."""
    installments = list(loan.installments.order_by("number"))
    if not installments or installments[0].due_date >= first_due:
        return
    for inst in installments:
        inst.due_date = first_due + relativedelta(months=inst.number - 1)
        inst.save(update_fields=["due_date", "updated_at"])


@durable
def loan_disbursement_settle(*, loan: Loan, receipt: str) -> Loan:
    """The provider confirmed: the borrower has the money. Dr loans receivable (principal),
    Cr payouts in flight (what was sent), Cr interest and fees income (the fee); the loan is
    active, its first installment due a month from today at the earliest. A loan not in
    flight (a repeated answer) is ``loan_not_in_flight``."""
    loan = _loan_in_flight(loan)
    borrower = loan.membership
    loan.disbursement_entry = transfer_outcome_post(
        chama=loan.chama,
        reference=loan.disbursement_reference,
        entry_type=EntryType.LOAN_DISBURSEMENT,
        lines=_disbursement_lines(loan, paid_from=in_flight_account(loan.chama)),
        memo=f"Loan to {borrower.member_code} received",
        member=borrower,
        receipt=receipt,
    )
    loan.disbursement_receipt = receipt or None
    _installments_due_from(loan, timezone.localdate() + ONE_MONTH)
    return _loan_activate(loan, "disbursement_receipt")


@durable
def loan_disbursement_fail(*, loan: Loan, reason: str) -> Loan:
    """The provider refused: the money is back where it left (Dr the source account, Cr
    payouts in flight) and the loan approved again, to be disbursed anew under a new
    reference. A loan not in flight (a repeated answer) is ``loan_not_in_flight``."""
    loan = _loan_in_flight(loan)
    transfer_return(
        sent=loan.disbursement_sent_entry,
        reference=loan.disbursement_reference,
        entry_type=EntryType.LOAN_FAILED,
        memo=f"Loan to {loan.membership.member_code} not sent: {reason}",
        member=loan.membership,
    )
    loan.status = LoanStatus.APPROVED
    loan.disbursement_failure_reason = reason[:255]
    loan.save(update_fields=["status", "disbursement_failure_reason", "updated_at"])
    return loan


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


def _installment_status(i: Installment) -> InstallmentStatus:
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
    accounts = ledger_accounts_get(chama=chama, keys=[*arrives, *(key for key, _ in legs)])
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
    RepaymentAllocation.objects.bulk_create(
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
            inst.status = _installment_status(inst)
            inst.updated_at = now
            was = before[inst.number]
            diff = {f: (was[f], getattr(inst, f)) for f in INSTALLMENT_PAID_FIELDS}
            changed.append((inst, {f: pair for f, pair in diff.items() if pair[0] != pair[1]}))
    Installment.objects.bulk_update(
        [inst for inst, _ in changed], [*INSTALLMENT_PAID_FIELDS, "updated_at"]
    )
    audit_write(created=[repayment], updated=changed)
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
    inst.status = _installment_status(inst)
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
        share = min(share, guarantee.amount, max(_savings(guarantor), ZERO))
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
