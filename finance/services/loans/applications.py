"""Loan applications: the policy, quotes, applying with guarantors, the guarantors' answers and
the maker-checker decision that stores the schedule."""

from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal

from dateutil.relativedelta import relativedelta
from django.db import IntegrityError
from django.utils import timezone

from accounts.models import User
from core.db import durable
from core.exceptions import ConflictError, PermissionDeniedError, ValidationFailed
from core.money import ZERO, money
from finance import chart
from finance import exceptions as msg
from finance.choices import (
    LIVE_LOAN_STATUSES,
    GuaranteeStatus,
    LoanStatus,
)
from finance.loan_math import (
    ScheduledInstallment,
    discounted_rate,
    loan_schedule,
)
from finance.locks import loan_lock, membership_lock
from finance.models import (
    Guarantee,
    Installment,
    Loan,
    LoanPolicy,
)
from finance.selectors import cash_held_get, member_funds_get
from finance.services.ledger import (
    ledger_account_get,
)
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
    # Whether the member may have it now (``loan_quote_for``); none for a bare schedule.
    eligibility: "Eligibility | None" = None

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


def policy_rate(policy: LoanPolicy, named: Decimal | None) -> Decimal:
    """The rate a loan is priced at before any discount: the policy's, or the one named when
    the policy allows a range and it is inside it. Whoever applies, the policy decides."""
    if named is None or named == policy.interest_rate:
        return policy.interest_rate
    low, high = policy.interest_rate_min, policy.interest_rate_max
    period = policy.get_interest_rate_period_display().lower()
    if low is None or high is None:
        detail = msg.RATE_OUTSIDE_POLICY.format(rate=policy.interest_rate, period=period)
    elif not low <= named <= high:
        detail = msg.RATE_OUTSIDE_RANGE.format(low=low, high=high, period=period, rate=named)
    else:
        return named
    raise ValidationFailed(detail, code="terms_outside_policy", field="interest_rate")


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
    """The terms the chama's policy gives this member — the policy's rate (or the one named,
    when the policy allows a range), period and method, the rate lowered by the member's
    credit-score discount — and their schedule, the first installment due a month from
    today; writes nothing. Refuses terms outside the policy (``terms_outside_policy``,
    ``term_out_of_policy``) and too small a principal, as an application would."""
    if not 1 <= term_months <= policy.max_term_months:
        raise ValidationFailed(
            msg.TERM_OUT_OF_POLICY.format(max_term=policy.max_term_months),
            code="term_out_of_policy",
            field="term_months",
        )
    base_rate = policy_rate(policy, interest_rate)
    for field, named, fixed in (
        ("interest_rate_period", interest_rate_period, policy.interest_rate_period),
        ("interest_method", interest_method, policy.interest_method),
    ):
        if named is not None and named != fixed:
            raise ValidationFailed(
                msg.TERM_FIXED_BY_POLICY.format(field=field.replace("_", " "), value=fixed),
                code="terms_outside_policy",
                field=field,
            )
    discount = credit_discount_percent(policy=policy, credit_score=membership.credit_score)
    try:
        rate = discounted_rate(base_rate, discount)
    except ValueError as exc:
        raise ValidationFailed(str(exc), code="invalid_terms", field="interest_rate") from exc
    terms = LoanTerms(
        principal=principal,
        interest_rate=rate,
        interest_rate_period=policy.interest_rate_period,
        interest_method=policy.interest_method,
        term_months=term_months,
        base_interest_rate=base_rate,
        credit_score=membership.credit_score,
        credit_discount_percent=discount,
    )
    quote = _schedule(terms=terms, first_due=timezone.localdate() + ONE_MONTH)
    _check_minimum(quote, policy)
    return quote


def member_savings(membership: Membership) -> Decimal:
    """What the member has saved (2100-M): what a guarantor's recovery may take."""
    account = ledger_account_get(
        chama=membership.chama, code=chart.MEMBER_SAVINGS, member=membership
    )
    return -account.cached_balance  # a liability: what the chama holds for the member


@dataclass(frozen=True)
class Reason:
    """Why a loan cannot be had (``blocking``), or cannot be paid out yet (not blocking)."""

    code: str
    detail: str
    blocking: bool = True


@dataclass(frozen=True)
class Eligibility:
    """Whether an application for ``principal`` would be accepted now, and the most one
    would be: the member's savings and credit times the policy's multiple (none while a
    loan is live)."""

    eligible: bool
    max_principal: Decimal
    member_funds: Decimal
    cash_available: Decimal
    reasons: list[Reason]


def loan_eligibility_get(
    *, policy: LoanPolicy, membership: Membership, principal: Decimal
) -> Eligibility:
    """What an application checks (the caller holds the member's lock when it applies),
    and whether the chama holds the cash to pay the loan out today (it need not, to apply)."""
    funds = member_funds_get(membership=membership)
    limit = money(max(funds, ZERO) * policy.max_savings_multiple)
    live = Loan.objects.filter(membership=membership, status__in=LIVE_LOAN_STATUSES).exists()
    cash = cash_held_get(chama_id=membership.chama_id)
    reasons = []
    if live:
        reasons.append(Reason("active_loan_exists", msg.ACTIVE_LOAN_EXISTS))
    if principal > limit:
        detail = msg.EXCEEDS_SAVINGS_MULTIPLE.format(
            multiple=policy.max_savings_multiple, savings=funds, limit=limit
        )
        reasons.append(Reason("exceeds_savings_multiple", detail))
    if principal > cash:
        reasons.append(Reason("exceeds_cash", msg.EXCEEDS_CASH.format(cash=cash), False))
    return Eligibility(
        eligible=not any(r.blocking for r in reasons),
        max_principal=ZERO if live else limit,
        member_funds=funds,
        cash_available=cash,
        reasons=reasons,
    )


def loan_quote_for(
    *,
    chama: Chama,
    membership: Membership,
    principal: Decimal,
    term_months: int,
    **terms: Decimal | str | None,
) -> LoanQuote:
    """``loan_quote`` with the member's eligibility for it: a quote for too much answers
    ``eligible: false`` and why, rather than refusing."""
    policy = loan_policy_get(chama=chama)
    quote = loan_quote(
        policy=policy,
        membership=membership,
        principal=principal,
        term_months=term_months,
        **terms,  # type: ignore[arg-type]
    )
    eligibility = loan_eligibility_get(policy=policy, membership=membership, principal=principal)
    return replace(quote, eligibility=eligibility)


def _live_loan_conflict() -> ConflictError:
    return ConflictError(msg.ACTIVE_LOAN_EXISTS, code="active_loan_exists")


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
        if reason.code == "active_loan_exists":
            raise _live_loan_conflict()
        if reason.blocking:
            raise ValidationFailed(reason.detail, code=reason.code, field="principal")
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
    """Another official approves: the guarantees must meet the policy. The loan keeps the
    schedule it was applied with (one applied before schedules were stored gets it now,
    its first installment due a month from today)."""
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
    if not loan.installments.exists():
        quote = _schedule(terms=LoanTerms.of(loan), first_due=timezone.localdate() + ONE_MONTH)
        Installment.objects.bulk_create(_installments(loan, quote))
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
