"""The savings-goal simulator: a seeded, vectorised Monte Carlo of monthly saving. Pure NumPy,
no database: the caller hands it the histories (investments.selectors.goals builds them).

The model, month by month for each path (docs/features/goals.md):

- the month's contribution is drawn with replacement from the saver's own monthly history
  (a bootstrap: the months they paid little or nothing are drawn as often as they happened);
- the month's return is an annual rate drawn from the option's rate history, as a nominal
  annual rate compounded monthly (``annual / 12``, the convention money.md uses for loans and
  MMFs accrue to within a cent of it); without an option the money sits in cash at 0%;
- the balance at the month's end is ``balance x (1 + return) + contribution`` (contributions
  at the end of the month: an ordinary annuity);
- inflation (an effective annual rate) deflates every figure to today's shillings, so the
  target is read in what money buys now.

The balance is linear in a constant extra monthly amount x: ``final(x) = final(0) + x x A``
with ``A`` each path's annuity factor under its own returns. With the same draws the
probability of reaching the target is then a non-decreasing function of x, and the bisection
for the extra amount a target probability needs evaluates it without drawing again.

Memory stays bounded whatever the horizon: months are simulated in blocks of at most
``BLOCK_ELEMENTS`` path-months, each block vectorised over months and paths (cumulative
products and sums), carrying the balance from one block to the next. A block is laid out
month by month (one row per month, paths along it), so every cumulative operation runs down
contiguous rows and each month's percentiles come from sorting one contiguous row — a full
sort of the row is quicker than a partition around six order statistics.
"""

from dataclasses import dataclass
from decimal import ROUND_CEILING, Decimal

import numpy as np
from numpy.typing import NDArray

PERCENTILES = (10, 50, 90)
BLOCK_ELEMENTS = 1_000_000
MONTHS_PER_YEAR = 12
# The bisection stops when its bracket is one cent wide.
CENT = 0.01
CENT_DECIMAL = Decimal("0.01")

Floats = NDArray[np.float64]


@dataclass(frozen=True)
class Band:
    """One month's balance percentiles across paths, in today's money."""

    month: int
    p10: float
    p50: float
    p90: float


@dataclass(frozen=True)
class Simulation:
    paths: int
    months: int
    seed: int
    probability_investing: float
    probability_cash: float
    bands_investing: list[Band]
    bands_cash: list[Band]
    # The extra amount a month, on top of the drawn contribution, that brings the probability
    # of reaching the target (investing) to the asked one, rounded up to the cent.
    monthly_increase_needed: Decimal
    # Each path's final balance with no extra (today's money) and what one shilling more a
    # month adds to it: the bisection's material, kept for checks.
    final_investing: Floats
    annuity_investing: Floats


def monthly_rate(annual: Floats) -> Floats:
    """A nominal annual rate compounded monthly."""
    return annual / MONTHS_PER_YEAR


def _percentile_rows(balances: Floats) -> Floats:
    """The 10th, 50th and 90th percentiles of each month (row) across paths (columns), as
    ``np.percentile``'s default (linear) method gives them: the two order statistics around
    each percentile's position in the sorted row, interpolated."""
    count = balances.shape[1]
    positions = np.array(PERCENTILES, dtype=np.float64) / 100 * (count - 1)
    below = np.floor(positions).astype(np.intp)
    above = np.minimum(below + 1, count - 1)
    ranked = np.sort(balances, axis=1)
    weight = positions - below
    result: Floats = ranked[:, below] + (ranked[:, above] - ranked[:, below]) * weight
    return result


def _bands(balances: Floats, deflator: Floats, first_month: int) -> list[Band]:
    # A percentile of positive multiples is the multiple of the percentile: deflate after.
    rows = _percentile_rows(balances) / deflator[:, None]
    return [
        Band(first_month + k, float(low), float(mid), float(high))
        for k, (low, mid, high) in enumerate(rows.tolist())
    ]


def probability_reaching(final: Floats, annuity: Floats, *, extra: float, target: float) -> float:
    """The share of paths whose final balance with ``extra`` more each month reaches
    ``target``."""
    return float(np.mean(final + extra * annuity >= target))


def increase_needed(
    final: Floats, annuity: Floats, *, target: float, probability: float
) -> Decimal:
    """The least extra monthly amount, to the cent, whose probability reaches ``probability``:
    a bisection over the amount with the paths' draws fixed, so each step only re-reads
    ``final + x x annuity``."""
    if probability_reaching(final, annuity, extra=0.0, target=target) >= probability:
        return Decimal("0.00")
    high = max(target, 1.0)
    # Every path's annuity factor is positive (the last month's shilling is added after its
    # return), so some amount reaches any target: the doubling ends.
    while probability_reaching(final, annuity, extra=high, target=target) < probability:
        high *= 2
    low = 0.0
    while high - low > CENT:
        middle = (low + high) / 2
        if probability_reaching(final, annuity, extra=middle, target=target) >= probability:
            high = middle
        else:
            low = middle
    # The bracket is under a cent wide: the least whole-cent amount that reaches is its upper
    # end rounded up, or a cent below that.
    needed = Decimal(repr(high)).quantize(Decimal("0.01"), rounding=ROUND_CEILING)
    while needed > 0 and (
        probability_reaching(final, annuity, extra=float(needed - CENT_DECIMAL), target=target)
        >= probability
    ):
        needed -= CENT_DECIMAL
    return needed


def simulate(
    *,
    contributions: list[float] | Floats,
    annual_rates: list[float] | Floats | None,
    inflation: float,
    months: int,
    target: float,
    paths: int,
    seed: int,
    target_probability: float = 0.9,
    extra: float = 0.0,
    bands: bool = True,
) -> Simulation:
    """Simulate ``paths`` paths of ``months`` months and answer the goal's questions.

    ``contributions``: the monthly history drawn from (at least one month); ``annual_rates``:
    the option's annual rates as fractions (None or empty: cash only, at 0%); ``inflation``:
    annual, as a fraction; ``extra``: a constant amount added to every month's contribution;
    ``bands``: False leaves the percentile bands out (they are most of the work).
    """
    history = np.asarray(contributions, dtype=np.float64) + extra
    rates = np.asarray(annual_rates if annual_rates is not None else [], dtype=np.float64)
    if rates.size == 0:
        rates = np.zeros(1)
    if history.size == 0 or months < 1 or paths < 1:
        raise ValueError("a simulation needs a history, at least one month and one path")
    growths = 1.0 + monthly_rate(rates)
    rng = np.random.default_rng(seed)
    monthly_inflation = (1.0 + inflation) ** (1.0 / MONTHS_PER_YEAR)

    balance = np.zeros(paths)
    annuity = np.zeros(paths)
    cash = np.zeros(paths)
    bands_investing: list[Band] = []
    bands_cash: list[Band] = []
    block = max(1, min(months, BLOCK_ELEMENTS // paths))
    for start in range(0, months, block):
        width = min(block, months - start)
        drawn = np.take(history, rng.integers(0, history.size, size=(width, paths)))
        growth = np.take(growths, rng.integers(0, growths.size, size=(width, paths)))
        # With G_t the product of the block's growth factors up to month t, the recurrence
        # b_t = b_(t-1) g_t + c_t is b_t = G_t (b_0 + sum over s <= t of c_s / G_s).
        grown = np.cumprod(growth, axis=0)
        shrunk = np.reciprocal(grown)
        block_balance = drawn * shrunk
        np.cumsum(block_balance, axis=0, out=block_balance)
        block_balance += balance
        block_balance *= grown
        block_cash = np.cumsum(drawn, axis=0)
        block_cash += cash
        deflator = monthly_inflation ** np.arange(start + 1, start + width + 1, dtype=np.float64)
        if bands:
            bands_investing += _bands(block_balance, deflator, start + 1)
            bands_cash += _bands(block_cash, deflator, start + 1)
        # Only the last month's annuity factor is read: the same recurrence, summed.
        annuity = grown[-1] * (annuity + shrunk.sum(axis=0))
        balance, cash = block_balance[-1], block_cash[-1]

    deflate = monthly_inflation**months
    final, annuity_real, cash_real = balance / deflate, annuity / deflate, cash / deflate
    return Simulation(
        paths=paths,
        months=months,
        seed=seed,
        probability_investing=float(np.mean(final >= target)),
        probability_cash=float(np.mean(cash_real >= target)),
        bands_investing=bands_investing,
        bands_cash=bands_cash,
        monthly_increase_needed=increase_needed(
            final, annuity_real, target=target, probability=target_probability
        ),
        final_investing=final,
        annuity_investing=annuity_real,
    )
