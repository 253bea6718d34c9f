"""Investment arithmetic (money.md, "Investments"; DESIGN §3.5). Pure Decimal, no database.

Amounts are rounded half-even to the cent where an amount is recorded (DESIGN §3.1: the
price paid, a tax, a monthly credit); everything between is worked at ``PRECISION``
significant digits in a local context, so the caller's decimal settings never change a
figure. Half-even, not CBK's own rounding of the price per 100 of face: the broker's or
CBK's confirmed figures are what the ledger books, and ours is the check against them.
"""

from calendar import monthrange
from datetime import date, timedelta
from decimal import Decimal, localcontext

from core.money import money

PRECISION = 40


def tbill_price(face: Decimal, rate: Decimal, days: int, basis: int) -> Decimal:
    """What a T-bill of ``face`` costs, bought at a discount: face / (1 + rate * days / basis),
    rounded half-even to the cent."""
    with localcontext() as ctx:
        ctx.prec = PRECISION
        return money(face / (1 + rate * days / basis))


def tbill_discount(face: Decimal, price: Decimal) -> Decimal:
    """The T-bill's interest: what maturity pays above the price."""
    return face - price


def withholding(amount: Decimal, rate: Decimal) -> Decimal:
    """Withholding tax on ``amount`` of interest, rounded half-even to the cent."""
    with localcontext() as ctx:
        ctx.prec = PRECISION
        return money(amount * rate)


def simple_interest(principal: Decimal, rate: Decimal, days: int, basis: int) -> Decimal:
    """A fixed deposit's (or bond's) interest for its term: principal * rate * days / basis,
    rounded half-even to the cent once, at maturity."""
    with localcontext() as ctx:
        ctx.prec = PRECISION
        return money(principal * rate * days / basis)


def mmf_accrual(balance: Decimal, rate: Decimal, days: int, basis: int) -> Decimal:
    """A money-market fund's interest over ``days`` on ``balance``: each day's interest
    (balance * rate / basis) added up unrounded, so no day's fraction of a cent is lost, and
    rounded half-even to the cent once, when the month is credited. The balance is the same
    every day of a month: the fund compounds monthly, when the credit is added."""
    with localcontext() as ctx:
        ctx.prec = PRECISION
        daily = balance * rate / basis
        accrued = Decimal(0)
        for _ in range(days):
            accrued += daily
        return money(accrued)


def month_start(day: date) -> date:
    return day.replace(day=1)


def next_month(day: date) -> date:
    """The first day of the month after ``day``'s."""
    return month_start(day) + timedelta(days=monthrange(day.year, day.month)[1])


def days_held_in_month(month: date, placed_on: date) -> int:
    """The nights a fund placed on ``placed_on`` earns in ``month`` (its first day): from the
    later of the placement and the month's start up to the next month's first day."""
    start = max(month, placed_on)
    return max((next_month(month) - start).days, 0)
