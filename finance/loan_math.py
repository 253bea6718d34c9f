"""Loan arithmetic: repayment schedules and the allocation of a repayment (money.md, "Loans").

Pure functions on Decimal, no database and no floats. Amounts are rounded half-even to the cent
only where the rules say; everything between is worked at ``PRECISION`` significant digits in a
local context, so the caller's decimal settings never change a schedule.
"""

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import (
    ROUND_DOWN,
    ROUND_HALF_EVEN,
    Context,
    Decimal,
    DivisionByZero,
    InvalidOperation,
    Overflow,
    localcontext,
)

from dateutil.relativedelta import relativedelta

from core.money import CENT, MAX_AMOUNT, ZERO, money
from finance.splits import largest_remainder_split

RATE_PERIODS = ("month", "year")
_MONTHS_PER_PERIOD = {"month": 1, "year": 12}
METHODS = ("flat", "reducing_balance", "equal_principal")
# Interest on what is still owed: a month's interest falls as the principal is repaid.
REDUCING_METHODS = ("reducing_balance", "equal_principal")
EARLY_REPAYMENT_RULES = ("interest_to_date", "full_interest", "rebate")
MAX_TERM_MONTHS = 60
PRECISION = 40  # significant digits for (1 + r)^-n and every unrounded intermediate
RATE_QUANTUM = Decimal("0.000001")  # a stored rate has six decimal places

# Loan services show these to the user as they are: no Python types, amounts as written.
INVALID_PRINCIPAL = (
    "The principal must be an amount above 0.00 and at most {maximum}, in whole cents; got {value}."
)
INVALID_RATE = "The interest rate must be a decimal of 0 or more; got {value}."
INVALID_RATE_PERIOD = "The rate period must be month or year; got {value!r}."
INVALID_METHOD = (
    "The interest method must be flat, reducing_balance or equal_principal; got {value!r}."
)
INVALID_TERM = "The term must be a whole number of months from 1 to 60; got {value!r}."
INVALID_FIRST_DUE = "The first due date must be a date; got {value!r}."
INVALID_AMOUNT = (
    "A repayment must be an amount above 0.00 and at most {maximum}, in whole cents; got {value}."
)
INVALID_OWED = (
    "Installment {number}: what is owed on it must be amounts of 0.00 or more, in whole cents."
)
OWED_OUT_OF_ORDER = (
    "Outstanding installments must be listed oldest first, each once: installment {number} "
    "follows {previous}."
)
INVALID_RULE = (
    "The early-repayment rule must be interest_to_date, full_interest or rebate; got {value!r}."
)
INVALID_PERCENT = "A percent must be a decimal from 0 to 100; got {value}."
PAYOFF_BEFORE_ACCRUAL = "A payoff date must be on or after {start}; got {value}."

# Built once: making a relativedelta costs about as much as adding one to a date.
_MONTHS_AFTER_FIRST = tuple(relativedelta(months=k) for k in range(MAX_TERM_MONTHS))
_CONTEXT = Context(
    prec=PRECISION,
    rounding=ROUND_HALF_EVEN,
    traps=[InvalidOperation, DivisionByZero, Overflow],
)


@dataclass(frozen=True)
class ScheduledInstallment:
    """One installment of a schedule; every amount has two decimal places."""

    number: int  # 1..n
    due_date: date
    principal: Decimal
    interest: Decimal
    total: Decimal  # principal + interest
    balance_after: Decimal  # principal still owed after this installment


@dataclass(frozen=True)
class InstallmentOwed:
    """What is still owed on one installment; a list of them is given oldest first."""

    number: int
    penalty: Decimal
    fees: Decimal
    interest: Decimal
    principal: Decimal


@dataclass(frozen=True)
class InstallmentAllocation:
    """What one repayment pays towards one installment, part by part."""

    number: int
    penalty: Decimal
    fees: Decimal
    interest: Decimal
    principal: Decimal

    @property
    def total(self) -> Decimal:
        return self.penalty + self.fees + self.interest + self.principal


# --- validation -----------------------------------------------------------------------------


def _is_cents(value: object) -> bool:
    """A finite Decimal with at most two decimal places (1.5, 1.50 and 1.500 all are)."""
    if not isinstance(value, Decimal) or not value.is_finite():
        return False
    try:
        return value == value.quantize(CENT)
    except InvalidOperation:  # more digits than PRECISION: no amount of money
        return False


def _is_amount(value: object) -> bool:
    return isinstance(value, Decimal) and _is_cents(value) and ZERO < value <= MAX_AMOUNT


def _is_rate(value: object) -> bool:
    return isinstance(value, Decimal) and value.is_finite() and value >= ZERO


def _is_percent(value: object) -> bool:
    return isinstance(value, Decimal) and value.is_finite() and ZERO <= value <= 100


def _is_term(value: object) -> bool:
    # bool is an int: a term of True months is a bug, not one month.
    return isinstance(value, int) and not isinstance(value, bool) and 1 <= value <= MAX_TERM_MONTHS


# --- schedules ------------------------------------------------------------------------------


def monthly_rate(rate: Decimal, period: str) -> Decimal:
    """The rate per month: a monthly rate as it is, a yearly one divided by 12 (not rounded)."""
    if not _is_rate(rate):
        raise ValueError(INVALID_RATE.format(value=rate))
    if period not in _MONTHS_PER_PERIOD:
        raise ValueError(INVALID_RATE_PERIOD.format(value=period))
    with localcontext(_CONTEXT):
        return rate / _MONTHS_PER_PERIOD[period]


def discounted_rate(rate: Decimal, percent: Decimal) -> Decimal:
    """``rate`` less ``percent`` of it, rounded half-even to the six decimal places a rate is
    stored with (0.10 less 20% is 0.08; 0.094822 less 15% is 0.080599, from 0.0805987)."""
    if not _is_rate(rate):
        raise ValueError(INVALID_RATE.format(value=rate))
    if not _is_percent(percent):
        raise ValueError(INVALID_PERCENT.format(value=percent))
    with localcontext(_CONTEXT):
        return (rate * (100 - percent) / 100).quantize(RATE_QUANTUM, rounding=ROUND_HALF_EVEN)


def _interest(amount: Decimal, rate: Decimal, months_per_period: int) -> Decimal:
    """A month's interest on ``amount``, rounded to the cent.

    Worked as amount * rate / 12, not amount * (rate / 12): rate / 12 rarely terminates, and an
    amount that is exactly half a cent (10,000.20 at 10% a year: 83.335) must round half-even to
    83.34, not down from 83.33499….
    """
    return money(amount * rate / months_per_period)


def _equal_shares(amount: Decimal, count: int) -> list[Decimal]:
    """``amount / count`` rounded to the cent, the last share absorbing the difference."""
    share = money(amount / count)
    if share * (count - 1) > amount:
        # Only a few cents over many months get here: n - 1 shares rounded up would leave the
        # last one negative (0.15 over 10: nine of 0.02), so round them down instead.
        share = (amount / count).quantize(CENT, rounding=ROUND_DOWN)
    return [share] * (count - 1) + [amount - share * (count - 1)]


Rows = list[tuple[Decimal, Decimal]]  # (principal, interest) per installment


def _flat(principal: Decimal, rate: Decimal, months_per_period: int, term: int) -> Rows:
    """Interest on the whole principal for the whole term; equal installments, equal principal
    parts, and each installment's interest is what it holds beyond its principal part."""
    interest = _interest(principal * term, rate, months_per_period)
    rows: Rows = []
    principal_left, interest_left = principal, interest
    for total, part in zip(
        _equal_shares(principal + interest, term), _equal_shares(principal, term), strict=True
    ):
        # A real loan never needs the bounds: with a few cents of interest the rounding of two
        # columns can ask for more interest than is left (or less than the principal left
        # forces), so an installment charges between those; the last takes exactly what is left.
        charged = min(max(total - part, total - principal_left, ZERO), interest_left)
        rows.append((total - charged, charged))
        principal_left -= total - charged
        interest_left -= charged
    return rows


def _reducing_balance(principal: Decimal, rate: Decimal, months_per_period: int, term: int) -> Rows:
    """Equal installments (annuity): interest on the balance, the rest of the EMI is principal,
    and the last installment pays the balance exactly."""
    if rate == ZERO:
        return [(part, ZERO) for part in _equal_shares(principal, term)]
    per_month = rate / months_per_period
    emi = money(principal * per_month / (1 - (1 + per_month) ** -term))
    rows: Rows = []
    balance = principal
    for number in range(1, term + 1):
        interest = _interest(balance, rate, months_per_period)
        # EMI ≥ the first (largest) interest, so the part is never negative; it is capped at
        # the balance because a tiny loan's EMI, rounded up, can outrun it before the end.
        part = balance if number == term else min(emi - interest, balance)
        rows.append((part, interest))
        balance -= part
    return rows


def _equal_principal(principal: Decimal, rate: Decimal, months_per_period: int, term: int) -> Rows:
    """Equal principal parts; interest on the balance owed at the start of each period."""
    rows: Rows = []
    balance = principal
    for part in _equal_shares(principal, term):
        rows.append((part, _interest(balance, rate, months_per_period)))
        balance -= part
    return rows


_BUILDERS: dict[str, Callable[[Decimal, Decimal, int, int], Rows]] = {
    "flat": _flat,
    "reducing_balance": _reducing_balance,
    "equal_principal": _equal_principal,
}


def loan_schedule(
    *,
    principal: Decimal,
    rate: Decimal,
    rate_period: str,
    method: str,
    term_months: int,
    first_due: date,
) -> list[ScheduledInstallment]:
    """The installments of a loan, the k-th due k - 1 months after ``first_due`` (counted from
    it each time, so 31 Jan → 28 Feb → 31 Mar). Columns sum to the principal and the interest
    exactly; ``ValueError`` for an input outside the rules."""
    with localcontext(_CONTEXT):
        if not _is_amount(principal):
            raise ValueError(INVALID_PRINCIPAL.format(maximum=f"{MAX_AMOUNT:,}", value=principal))
        monthly_rate(rate, rate_period)  # validates both
        if method not in METHODS:
            raise ValueError(INVALID_METHOD.format(value=method))
        if not _is_term(term_months):
            raise ValueError(INVALID_TERM.format(value=term_months))
        if not isinstance(first_due, date) or isinstance(first_due, datetime):
            raise ValueError(INVALID_FIRST_DUE.format(value=first_due))

        balance = money(principal)
        schedule = []
        rows = _BUILDERS[method](balance, rate, _MONTHS_PER_PERIOD[rate_period], term_months)
        for number, (part, interest) in enumerate(rows, start=1):
            balance -= part
            schedule.append(
                ScheduledInstallment(
                    number=number,
                    due_date=first_due + _MONTHS_AFTER_FIRST[number - 1],
                    principal=part,
                    interest=interest,
                    total=part + interest,
                    balance_after=balance,
                )
            )
        return schedule


# --- repayments -----------------------------------------------------------------------------


def repayment_allocate(
    *, amount: Decimal, owed: Sequence[InstallmentOwed]
) -> tuple[list[InstallmentAllocation], Decimal]:
    """Oldest installment first; within it penalty → fees → interest → principal; returns the
    allocations (only installments that received something) and the excess (member credit)."""
    with localcontext(_CONTEXT):
        if not _is_amount(amount):
            raise ValueError(INVALID_AMOUNT.format(maximum=f"{MAX_AMOUNT:,}", value=amount))
        previous: int | None = None
        for item in owed:
            parts = (item.penalty, item.fees, item.interest, item.principal)
            if not all(_is_cents(part) and part >= ZERO for part in parts):
                raise ValueError(INVALID_OWED.format(number=item.number))
            if previous is not None and item.number <= previous:
                raise ValueError(OWED_OUT_OF_ORDER.format(number=item.number, previous=previous))
            previous = item.number

        left = money(amount)
        allocations = []
        for item in owed:
            if left == ZERO:
                break
            penalty = money(min(left, item.penalty))
            left -= penalty
            fees = money(min(left, item.fees))
            left -= fees
            interest = money(min(left, item.interest))
            left -= interest
            principal = money(min(left, item.principal))
            left -= principal
            allocation = InstallmentAllocation(
                number=item.number,
                penalty=penalty,
                fees=fees,
                interest=interest,
                principal=principal,
            )
            if allocation.total > ZERO:
                allocations.append(allocation)
        return allocations, left


# --- early repayment ------------------------------------------------------------------------


@dataclass(frozen=True)
class InstallmentStanding:
    """Where one installment of a loan stands: what it was scheduled to charge in interest,
    what has been paid of that, and what is still owed of its principal and penalties."""

    number: int
    due_date: date
    interest: Decimal
    interest_paid: Decimal
    principal_owed: Decimal
    penalty_owed: Decimal


@dataclass(frozen=True)
class Payoff:
    """What settles a loan in full on ``on``: what the guarantors are owed, penalties and
    principal still owed, the interest
    the early-repayment rule asks for, and the scheduled interest it lets go (``waivers``:
    installment number → interest waived, only those with some)."""

    on: date
    rule: str
    penalties: Decimal
    principal: Decimal
    interest: Decimal
    interest_waived: Decimal
    waivers: dict[int, Decimal]
    # What recovery took from the guarantors and the borrower has not yet given back: a
    # repayment refunds it first.
    guarantors: Decimal = ZERO

    @property
    def total(self) -> Decimal:
        return self.guarantors + self.penalties + self.principal + self.interest


def _accrued(
    base: Decimal, rate: Decimal, months_per_period: int, elapsed_days: int, period_days: int
) -> Decimal:
    """A month's interest on ``base`` for ``elapsed_days`` of a ``period_days``-day month,
    multiplied out before dividing and rounded half-even once, to the cent."""
    return money(base * rate * elapsed_days / (months_per_period * period_days))


def loan_payoff(
    *,
    rule: str,
    method: str,
    principal: Decimal,
    rate: Decimal,
    rate_period: str,
    rebate_percent: Decimal,
    installments: Sequence[InstallmentStanding],
    accrues_from: date,
    on: date,
) -> Payoff:
    """The amount that settles a loan on ``on`` under its early-repayment ``rule``.

    Penalties charged and principal owed are always owed, and so is the interest of every
    installment due on or before ``on``. Of the installments not yet due:

    * ``full_interest``: all their scheduled interest is owed;
    * ``rebate``: their scheduled interest less ``rebate_percent`` of it, the rebate rounded
      half-even to the cent on the total and shared between them by largest remainder;
    * ``interest_to_date``: the running installment (the first not yet due, whose month runs
      from the previous due date, or from a month before the first) charges its month's
      interest pro rata by the days elapsed since the later of that start and
      ``accrues_from`` (the disbursement): on the principal still owed for a reducing-balance
      method, on the principal lent for a flat loan, at the loan's rate, never more than the
      schedule asked; every later installment's interest is waived.

    Interest already paid is never given back. ``installments`` lists every installment of
    the loan, paid ones too, oldest first."""
    with localcontext(_CONTEXT):
        if rule not in EARLY_REPAYMENT_RULES:
            raise ValueError(INVALID_RULE.format(value=rule))
        if not _is_percent(rebate_percent):
            raise ValueError(INVALID_PERCENT.format(value=rebate_percent))
        if on < accrues_from:
            raise ValueError(PAYOFF_BEFORE_ACCRUAL.format(start=accrues_from, value=on))
        months_per_period = _MONTHS_PER_PERIOD[rate_period]
        owed_interest = {i.number: i.interest - i.interest_paid for i in installments}
        later = [i for i in installments if i.due_date > on]
        waivers: dict[int, Decimal] = {}
        if rule == "rebate" and later:
            remaining = [owed_interest[i.number] for i in later]
            rebate = money(sum(remaining, ZERO) * rebate_percent / 100)
            if rebate > ZERO:
                shares = largest_remainder_split(rebate, remaining)
                waivers = {i.number: share for i, share in zip(later, shares, strict=True)}
        elif rule == "interest_to_date" and later:
            running, after = later[0], later[1:]
            previous = [i.due_date for i in installments if i.number < running.number]
            start = previous[-1] if previous else running.due_date - _MONTHS_AFTER_FIRST[1]
            outstanding = sum((i.principal_owed for i in installments), ZERO)
            base = outstanding if method in REDUCING_METHODS else principal
            accrued = _accrued(
                base,
                rate,
                months_per_period,
                elapsed_days=max((on - max(start, accrues_from)).days, 0),
                period_days=(running.due_date - start).days,
            )
            waivers[running.number] = running.interest - max(
                min(accrued, running.interest), running.interest_paid
            )
            waivers.update({i.number: owed_interest[i.number] for i in after})
        waivers = {number: w for number, w in waivers.items() if w > ZERO}
        waived = sum(waivers.values(), ZERO)
        return Payoff(
            on=on,
            rule=rule,
            penalties=sum((i.penalty_owed for i in installments), ZERO),
            principal=sum((i.principal_owed for i in installments), ZERO),
            interest=sum(owed_interest.values(), ZERO) - waived,
            interest_waived=waived,
            waivers=waivers,
        )
