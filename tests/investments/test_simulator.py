"""The simulator's proofs, with no database: the closed form when nothing varies, the
direction of its answers, reproducibility, and the bisection's amount checked by simulating
it."""

from decimal import ROUND_HALF_EVEN, Decimal, getcontext

import numpy as np
import pytest

from investments import simulator
from investments.simulator import simulate

CENT = Decimal("0.01")
HISTORY = [3000.0, 3000.0, 2500.0, 0.0, 4000.0, 3000.0, 3500.0, 2000.0]
RATES = [0.1425, 0.1310, 0.1198, 0.1105]


def annuity_future_value(payment: Decimal, annual_rate: Decimal, months: int) -> Decimal:
    """Σ payment x (1 + r)^k for k = 0..n-1 with r = annual / 12, in Decimal: the closed form
    payment x ((1 + r)^n - 1) / r, written out independently of the code under test."""
    getcontext().prec = 40
    r = annual_rate / 12
    if r == 0:
        return (payment * months).quantize(CENT, rounding=ROUND_HALF_EVEN)
    return (payment * ((1 + r) ** months - 1) / r).quantize(CENT, rounding=ROUND_HALF_EVEN)


def run(**overrides):
    arguments = {
        "contributions": HISTORY,
        "annual_rates": RATES,
        "inflation": 0.05,
        "months": 24,
        "target": 75_000.0,
        "paths": 5_000,
        "seed": 7,
    }
    return simulate(**{**arguments, **overrides})


def cents(value: float) -> Decimal:
    return Decimal(repr(float(value))).quantize(CENT, rounding=ROUND_HALF_EVEN)


@pytest.mark.parametrize(
    ("payment", "rate", "months"),
    [("1000.00", "0.12", 24), ("2500.00", "0.1575", 60), ("750.50", "0.09", 7), ("5000", "0", 12)],
)
def test_zero_variance_equals_the_annuity_closed_form_to_the_cent(payment, rate, months):
    # Given one month's amount as the whole history, one rate and no inflation
    expected = annuity_future_value(Decimal(payment), Decimal(rate), months)

    # When simulated
    result = run(
        contributions=[float(payment)],
        annual_rates=[float(rate)],
        inflation=0.0,
        months=months,
        paths=50,
    )

    # Then every path ends on the closed form, and every band is it
    last = result.bands_investing[-1]
    assert {cents(last.p10), cents(last.p50), cents(last.p90)} == {expected}
    assert {cents(value) for value in result.final_investing} == {expected}
    assert cents(result.bands_cash[-1].p50) == Decimal(payment) * months
    # and a target a cent under it is reached on every path, a cent over it on none
    final = result.final_investing
    annuity = result.annuity_investing
    assert simulator.probability_reaching(final, annuity, extra=0, target=float(expected - CENT))
    assert (
        simulator.probability_reaching(final, annuity, extra=0, target=float(expected + CENT))
        == 0.0
    )


def test_zero_variance_month_by_month():
    result = run(contributions=[1000.0], annual_rates=[0.12], inflation=0.0, months=12, paths=10)

    assert [cents(band.p50) for band in result.bands_investing] == [
        annuity_future_value(Decimal("1000.00"), Decimal("0.12"), month) for month in range(1, 13)
    ]


def test_inflation_deflates_to_todays_money():
    # 12,000 saved in cash over a year at 5% inflation is worth 12,000 / 1.05 today
    result = run(contributions=[1000.0], annual_rates=None, inflation=0.05, months=12, paths=10)

    assert cents(result.bands_cash[-1].p50) == (Decimal(12000) / Decimal("1.05")).quantize(CENT)


def test_without_rates_investing_is_cash():
    result = run(annual_rates=None)

    assert result.probability_investing == result.probability_cash
    assert result.bands_investing == result.bands_cash


def test_the_same_seed_gives_the_same_answer():
    first, again, other = run(seed=11), run(seed=11), run(seed=12)

    assert first.probability_investing == again.probability_investing
    assert first.bands_investing == again.bands_investing
    assert first.monthly_increase_needed == again.monthly_increase_needed
    assert first.bands_investing != other.bands_investing


def test_the_probability_rises_with_the_contribution():
    chances = [run(extra=extra).probability_investing for extra in (0, 250, 500, 1000, 2000)]
    cash = [run(extra=extra).probability_cash for extra in (0, 250, 500, 1000, 2000, 4000)]

    assert chances == sorted(chances)
    assert chances[0] < chances[-1] == 1.0
    assert cash == sorted(cash)
    assert cash[0] < cash[-1]


def test_investing_beats_cash_with_positive_rates():
    result = run()

    assert result.probability_investing > result.probability_cash
    assert all(
        inv.p50 > cash.p50
        for inv, cash in zip(result.bands_investing[1:], result.bands_cash[1:], strict=True)
    )


@pytest.mark.parametrize("target_probability", [0.5, 0.9, 0.99])
def test_the_bisection_amount_reaches_the_target_when_simulated(target_probability):
    # Given the extra a month the bisection finds
    needed = run(target_probability=target_probability).monthly_increase_needed
    assert needed > 0

    # When the same paths are simulated with it, and with a cent less
    enough = run(extra=float(needed), target_probability=target_probability)
    short = run(extra=float(needed - CENT), target_probability=target_probability)

    # Then it reaches the asked chance, and a cent less does not
    assert enough.probability_investing >= target_probability
    assert short.probability_investing < target_probability
    assert enough.monthly_increase_needed == Decimal("0.00")


def test_no_increase_when_already_likely():
    assert run(target=1_000.0).monthly_increase_needed == Decimal("0.00")


def test_percentiles_are_numpys():
    values = np.random.default_rng(3).random((5, 1001)) * 1e5

    assert np.allclose(
        simulator._percentile_rows(values), np.percentile(values, [10, 50, 90], axis=1).T
    )


def test_long_horizons_run_in_blocks(monkeypatch):
    # Given blocks smaller than the horizon
    monkeypatch.setattr(simulator, "BLOCK_ELEMENTS", 100)

    # When nothing varies, the blocks chain to the closed form
    result = run(contributions=[1000.0], annual_rates=[0.12], inflation=0.0, months=36, paths=10)

    assert len(result.bands_investing) == 36
    assert cents(result.bands_investing[-1].p50) == annuity_future_value(
        Decimal("1000.00"), Decimal("0.12"), 36
    )
    assert cents(float(result.annuity_investing[0])) == annuity_future_value(
        Decimal("1.00"), Decimal("0.12"), 36
    )
