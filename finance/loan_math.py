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

RATE_PERIODS = ("month", "year")
_MONTHS_PER_PERIOD = {"month": 1, "year": 12}
METHODS = ("flat", "reducing_balance", "equal_principal")
MAX_TERM_MONTHS = 60
PRECISION = 40  # significant digits for (1 + r)^-n and every unrounded intermediate

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
