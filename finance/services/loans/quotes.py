"""Loan quotes: the chama's policy, the terms and schedule it gives a member (the rate after any
credit-score discount) and whether the member may borrow that much now. Nothing here moves money."""

from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal

from dateutil.relativedelta import relativedelta
from django.utils import timezone

from core.exceptions import ValidationFailed
from core.money import ZERO, money
from finance import chart
from finance.choices import LIVE_LOAN_STATUSES
from finance.exceptions import FinanceError
from finance.loan_math import (
    ScheduledInstallment,
    discounted_rate,
    loan_schedule,
)
from finance.models import Loan, LoanPolicy
from finance.positions import member_balances_get
from finance.rounds import paying_accounts_get
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


def schedule_quote(*, terms: LoanTerms, first_due: date) -> LoanQuote:
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
        raise ValidationFailed(FinanceError.INVALID_TERMS, reason=exc) from exc
    return LoanQuote(terms=terms, schedule=schedule)


def policy_rate(policy: LoanPolicy, named: Decimal | None) -> Decimal:
    """The rate a loan is priced at before any discount: the policy's, or the one named when
    the policy allows a range and it is inside it. Whoever applies, the policy decides."""
    if named is None or named == policy.interest_rate:
        return policy.interest_rate
    low, high = policy.interest_rate_min, policy.interest_rate_max
    period = policy.get_interest_rate_period_display().lower()
    if low is None or high is None:
        raise ValidationFailed(
            FinanceError.RATE_OUTSIDE_POLICY,
            field="interest_rate",
            rate=policy.interest_rate,
            period=period,
        )
    if not low <= named <= high:
        raise ValidationFailed(
            FinanceError.RATE_OUTSIDE_RANGE,
            field="interest_rate",
            low=low,
            high=high,
            period=period,
            rate=named,
        )
    return named


def _check_minimum(quote: LoanQuote, policy: LoanPolicy) -> None:
    """The policy's smallest loan, and no installment that repays nothing of the principal
    (a total of 0.00 repays none either): such a loan is refused, not stored."""
    terms = quote.terms
    if terms.principal < policy.min_principal:
        raise ValidationFailed(
            FinanceError.PRINCIPAL_BELOW_MINIMUM,
            minimum=policy.min_principal,
            principal=terms.principal,
            field="principal",
        )
    for row in quote.schedule:
        if row.principal == ZERO:
            raise ValidationFailed(
                FinanceError.INSTALLMENT_TOO_SMALL,
                principal=terms.principal,
                term=terms.term_months,
                number=row.number,
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
            FinanceError.TERM_OUT_OF_POLICY, max_term=policy.max_term_months, field="term_months"
        )
    base_rate = policy_rate(policy, interest_rate)
    for field, named, fixed in (
        ("interest_rate_period", interest_rate_period, policy.interest_rate_period),
        ("interest_method", interest_method, policy.interest_method),
    ):
        if named is not None and named != fixed:
            raise ValidationFailed(
                FinanceError.TERM_FIXED_BY_POLICY,
                name=field.replace("_", " "),
                value=fixed,
                field=field,
            )
    discount = credit_discount_percent(policy=policy, credit_score=membership.credit_score)
    try:
        rate = discounted_rate(base_rate, discount)
    except ValueError as exc:
        raise ValidationFailed(
            FinanceError.INVALID_TERMS, field="interest_rate", reason=exc
        ) from exc
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
    quote = schedule_quote(terms=terms, first_due=timezone.localdate() + ONE_MONTH)
    _check_minimum(quote, policy)
    return quote


@dataclass(frozen=True)
class Reason:
    """Why a loan cannot be had (``blocking``), or cannot be paid out yet (not blocking)."""

    code: FinanceError
    detail: str
    blocking: bool = True


def _reason(code: FinanceError, *, blocking: bool = True, **fields: object) -> Reason:
    return Reason(code, code.render(**fields), blocking)


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
    # The member's money is savings and credit together, as their position counts it.
    balances = member_balances_get(membership=membership)
    funds = balances[chart.MEMBER_SAVINGS] + balances[chart.MEMBER_CREDIT]
    limit = money(max(funds, ZERO) * policy.max_savings_multiple)
    live = Loan.objects.filter(membership=membership, status__in=LIVE_LOAN_STATUSES).exists()
    # What the accounts a disbursement can leave from hold together.
    cash = sum((a.holds for a in paying_accounts_get(chama_id=membership.chama_id)), ZERO)
    reasons: list[Reason] = []
    if live:
        reasons.append(_reason(FinanceError.ACTIVE_LOAN_EXISTS))
    if principal > limit:
        reasons.append(
            _reason(
                FinanceError.EXCEEDS_SAVINGS_MULTIPLE,
                multiple=policy.max_savings_multiple,
                savings=funds,
                limit=limit,
            )
        )
    if principal > cash:
        reasons.append(_reason(FinanceError.EXCEEDS_CASH, blocking=False, cash=cash))
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
