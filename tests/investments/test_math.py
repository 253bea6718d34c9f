"""Investment arithmetic, against figures this test works out on its own with Decimal
(money.md's formulas, half-even to the cent), never by calling the code under test."""

from decimal import ROUND_HALF_EVEN, Decimal, localcontext

import pytest

from investments import math

CENT = Decimal("0.01")


def cents(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_EVEN)


@pytest.mark.parametrize(
    ("face", "rate", "days", "basis", "price", "tax"),
    [
        # 100,000 / (1 + 0.16 * 91/365) = 96,163.9844...; 15% of 3,836.02 = 575.403
        ("100000.00", "0.16", 91, 365, "96163.98", "575.40"),
        # 150,000 / (1 + 0.165 * 182/365); 15% of the 11,402.93 discount
        ("150000.00", "0.165", 182, 365, "138597.07", "1710.44"),
        # 1,000,000 / (1 + 0.1684 * 364/365); 15% of 143,790.63
        ("1000000.00", "0.1684", 364, 365, "856209.37", "21568.59"),
        # on Actual/360 the same bill costs less
        ("100000.00", "0.16", 91, 360, "96112.77", "583.08"),
    ],
)
def test_tbill_price_and_tax(face, rate, days, basis, price, tax):
    face, rate = Decimal(face), Decimal(rate)
    with localcontext() as ctx:
        ctx.prec = 50
        derived = cents(face / (1 + rate * days / basis))
    assert derived == Decimal(price)  # the test's own figure, fixed here as a literal
    assert cents((face - derived) * Decimal("0.15")) == Decimal(tax)
    assert math.tbill_price(face, rate, days, basis) == Decimal(price)
    discount = math.tbill_discount(face, Decimal(price))
    assert math.withholding(discount, Decimal("0.15")) == Decimal(tax)


def test_a_fixed_deposit_earns_simple_interest_for_its_term():
    # 50,000 at 12% for 180 days: 2,958.904... → 2,958.90; tax 443.835 → 443.84 (half-even)
    assert math.simple_interest(Decimal("50000.00"), Decimal("0.12"), 180, 365) == Decimal(
        "2958.90"
    )
    assert math.withholding(Decimal("2958.90"), Decimal("0.15")) == Decimal("443.84")


def test_a_fund_month_is_summed_unrounded_and_rounded_once():
    # 1,234.56 at 13.5% over 31 days: each day 0.4566... (never rounded: rounding each
    # day to the cent would give 31 * 0.46 = 14.26)
    daily = Decimal("1234.56") * Decimal("0.135") / 365
    assert cents(daily) * 31 == Decimal("14.26")
    assert math.mmf_accrual(Decimal("1234.56"), Decimal("0.135"), 31, 365) == Decimal("14.16")
    assert cents(daily * 31) == Decimal("14.16")


def test_a_fund_month_on_a_larger_balance():
    # 100,000 at 12% for 22 nights: 723.2876... → 723.29; tax 108.4935 → 108.49
    gross = math.mmf_accrual(Decimal("100000.00"), Decimal("0.12"), 22, 365)
    assert gross == Decimal("723.29")
    assert math.withholding(gross, Decimal("0.15")) == Decimal("108.49")


def test_nights_held_in_a_month():
    from datetime import date

    assert math.days_held_in_month(date(2025, 3, 1), date(2025, 3, 10)) == 22
    assert math.days_held_in_month(date(2025, 2, 1), date(2024, 12, 1)) == 28
    assert math.days_held_in_month(date(2024, 2, 1), date(2024, 1, 1)) == 29
    assert math.next_month(date(2025, 12, 15)) == date(2026, 1, 1)
