"""Loan applications: applying with guarantors, the guarantors' answers and the maker-checker
decision that stores the schedule (the quote and eligibility rules are in ``quotes``)."""

from decimal import Decimal

from django.db import IntegrityError
from django.utils import timezone

from accounts.models import User
from core.db import durable
from core.exceptions import ConflictError, PermissionDeniedError, ValidationFailed
from core.money import ZERO, money
from finance import chart, notifications
from finance.choices import (
    LIVE_LOAN_STATUSES,
    GuaranteeStatus,
    LoanStatus,
)
from finance.exceptions import FinanceError
from finance.locks import loan_lock, membership_lock
from finance.models import (
    Guarantee,
    Installment,
    Loan,
    LoanPolicy,
)
from finance.services.ledger import (
    ledger_account_get,
)
from finance.services.loans.quotes import (
    ONE_MONTH,
    LoanQuote,
    LoanTerms,
    loan_eligibility_get,
    loan_policy_get,
    loan_quote,
    schedule_quote,
)
from groups.approvals import SignatureOutcome, signature_add
from groups.choices import ApprovalKind, MembershipStatus, SignatureDecision
from groups.exceptions import GroupsError
from groups.models import Chama, Membership
from groups.rules import acting_for, official_check


def member_savings(membership: Membership) -> Decimal:
    """What the member has saved (2100-M): what a guarantor's recovery may take."""
    account = ledger_account_get(
        chama=membership.chama, code=chart.MEMBER_SAVINGS, member=membership
    )
    return -account.cached_balance  # a liability: what the chama holds for the member


def _live_loan_conflict() -> ConflictError:
    return ConflictError(FinanceError.ACTIVE_LOAN_EXISTS)


def _installments(loan: Loan, quote: LoanQuote) -> list[Installment]:
    return [
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


@durable
def _loan_apply(
    *,
    membership: Membership,
    applied_by: User,
    quote: LoanQuote,
    guarantors: list[tuple[Membership, Decimal]],
    purpose: str,
    policy: LoanPolicy,
) -> Loan:
    membership = membership_lock(membership.pk)
    terms = quote.terms
    eligibility = loan_eligibility_get(
        policy=policy, membership=membership, principal=terms.principal
    )
    for reason in eligibility.reasons:
        if reason.code is FinanceError.ACTIVE_LOAN_EXISTS:
            raise _live_loan_conflict()
        if reason.blocking:
            raise ValidationFailed(reason.code, detail=reason.detail, field="principal")
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
    # The quoted schedule is the loan's from its application: what the member and the
    # deciding official see is what is owed (disbursement moves only its dates).
    Installment.objects.bulk_create(_installments(loan, quote))
    Guarantee.objects.bulk_create(
        [Guarantee(loan=loan, guarantor=g, amount=amount) for g, amount in guarantors]
    )
    notifications.loan_applied(loan, guarantors)
    return loan


def loan_apply(
    *,
    chama: Chama,
    acting: Membership,
    membership: Membership | None = None,
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
    membership = acting_for(acting, membership, refused=FinanceError.OWN_LOANS_ONLY)
    if membership.chama_id != chama.pk or membership.status != MembershipStatus.ACTIVE:
        raise ValidationFailed(GroupsError.UNKNOWN_MEMBER, field="member_id")
    policy = loan_policy_get(chama=chama)
    quote = loan_quote(
        policy=policy,
        membership=membership,
        principal=principal,
        term_months=term_months,
        interest_rate=interest_rate,
        interest_rate_period=interest_rate_period,
        interest_method=interest_method,
    )
    guarantors = guarantors or []
    seen: set[object] = set()
    for guarantor, _amount in guarantors:
        if guarantor.pk == membership.pk:
            raise ValidationFailed(FinanceError.GUARANTOR_IS_BORROWER, field="guarantors")
        if guarantor.chama_id != chama.pk or guarantor.status != MembershipStatus.ACTIVE:
            raise ValidationFailed(FinanceError.GUARANTOR_NOT_MEMBER, field="guarantors")
        if guarantor.pk in seen:
            raise ValidationFailed(FinanceError.GUARANTOR_TWICE, field="guarantors")
        seen.add(guarantor.pk)
    try:
        return _loan_apply(
            membership=membership,
            applied_by=acting.user,
            quote=quote,
            guarantors=guarantors,
            purpose=purpose,
            policy=policy,
        )
    except IntegrityError:
        if Loan.objects.filter(membership=membership, status__in=LIVE_LOAN_STATUSES).exists():
            raise _live_loan_conflict() from None
        raise


@durable
def guarantee_decide(*, guarantee: Guarantee, acting: Membership, accept: bool) -> Guarantee:
    """The named guarantor accepts or declines, while the loan awaits its decision."""
    loan = loan_lock(guarantee.loan_id)
    guarantee = Guarantee.objects.get(pk=guarantee.pk)
    if guarantee.guarantor_id != acting.pk:
        raise PermissionDeniedError(FinanceError.NOT_THE_GUARANTOR)
    if loan.status != LoanStatus.APPLIED:
        raise ConflictError(FinanceError.LOAN_NOT_APPLIED, action="guaranteed", status=loan.status)
    guarantee.status = GuaranteeStatus.ACCEPTED if accept else GuaranteeStatus.DECLINED
    guarantee.decided_at = timezone.now()
    guarantee.save(update_fields=["status", "decided_at", "updated_at"])
    return guarantee


def _check_decider(loan: Loan, acting: Membership, action: str) -> None:
    if loan.status != LoanStatus.APPLIED:
        raise ConflictError(FinanceError.LOAN_NOT_APPLIED, action=action, status=loan.status)
    official_check(
        acting,
        chama_id=loan.chama_id,
        refused=FinanceError.OFFICIALS_DECIDE_LOANS,
        makers=(loan.applied_by_id, loan.membership.user_id),
        maker_refused=FinanceError.APPLICANT_CANNOT_APPROVE,
    )


def _sign(loan: Loan, acting: Membership, decision: str, comment: str) -> SignatureOutcome:
    """``acting``'s signature (groups.approvals), under the same maker-checker rule."""
    return signature_add(
        acting=acting,
        chama=loan.chama,
        kind=ApprovalKind.LOAN,
        target_id=loan.pk,
        decision=decision,
        comment=comment,
        amount=loan.principal,
        refused=FinanceError.OFFICIALS_DECIDE_LOANS,
        makers=(loan.applied_by_id, loan.membership.user_id),
        maker_refused=FinanceError.APPLICANT_CANNOT_APPROVE,
    )


@durable
def loan_approve(*, loan: Loan, acting: Membership, comment: str = "") -> Loan:
    """An official who did not apply signs the approval; the guarantees must meet the policy.
    Once the signatures the chama's rule asks for are in (one by default) the loan is
    approved, keeping the schedule it was applied with (one applied before schedules were
    stored gets it now, its first installment due a month from today); until then it stays
    applied."""
    loan = loan_lock(loan.pk)
    _check_decider(loan, acting, "approved")
    policy = loan_policy_get(chama=loan.chama)
    accepted = list(loan.guarantees.filter(status=GuaranteeStatus.ACCEPTED))
    covered = sum((g.amount for g in accepted), ZERO)
    cover = money(loan.principal * policy.guarantee_cover)
    if len(accepted) < policy.guarantors_required or covered < cover:
        raise ConflictError(
            FinanceError.GUARANTEES_INSUFFICIENT,
            count=len(accepted),
            covered=covered,
            required=policy.guarantors_required,
            cover=cover,
        )
    if not _sign(loan, acting, SignatureDecision.APPROVE, comment).approved:
        return loan
    if not loan.installments.exists():
        quote = schedule_quote(terms=LoanTerms.of(loan), first_due=timezone.localdate() + ONE_MONTH)
        Installment.objects.bulk_create(_installments(loan, quote))
    loan.status = LoanStatus.APPROVED
    loan.decided_by = acting.user
    loan.decided_at = timezone.now()
    loan.save(update_fields=["status", "decided_by", "decided_at", "updated_at"])
    notifications.loan_approved(loan)
    return loan


@durable
def loan_reject(*, loan: Loan, acting: Membership, reason: str) -> Loan:
    loan = loan_lock(loan.pk)
    _check_decider(loan, acting, "rejected")
    _sign(loan, acting, SignatureDecision.REJECT, reason)
    loan.status = LoanStatus.REJECTED
    loan.decided_by = acting.user
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
