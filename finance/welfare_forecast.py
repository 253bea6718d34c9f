"""The welfare forecast: the claims a chama's welfare fund should expect over the next 30 and
90 days, with a band and the buffer to keep, from its own granted claims. Pure Decimal; the
history is read by ``finance.selectors_welfare``.

The history is cut into 30-day periods counted back from ``on`` (period k runs from
``on - 30k`` to ``on - 30(k - 1)``, the day ``on`` itself not included).

    trailing  m  = mean of the totals of the last K periods, K = min(12, whole periods since
                   the chama began)
    seasonal  s  = the totals of the same window (``h`` days from ``on``) one and two years
                   back (365 days), where the chama existed then, averaged per 30 days
    expected  E  = n · (s + m) / 2, or n · m without a seasonal year;  n = h / 30
    band         = E ± z · sd · √n, low never below 0; sd the sample standard deviation of
                   the K period totals, z = 1.645
    buffer       = the band's top: enough for the horizon's claims about 19 times in 20

Counts are forecast the same way (without a band). Too thin a history (fewer than six whole
periods, or fewer than three granted claims in the two years read): no forecast, the reason,
and the constitution's welfare buffer instead (``none`` without a constitution).
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from core.money import ZERO, money
from finance.choices import WelfareForecastReason, WelfareForecastSource

PERIOD_DAYS = 30
HORIZONS = (30, 90)
TRAILING_PERIODS = 12
SEASONAL_YEARS = 2
YEAR_DAYS = 365
MIN_PERIODS = 6
MIN_CLAIMS = 3
# Two-sided 90% of a normal: the top alone is exceeded about one time in twenty.
Z = Decimal("1.645")
# How far back the history is read: the farthest seasonal window, two years back.
HISTORY_DAYS = SEASONAL_YEARS * YEAR_DAYS
COUNT_PLACES = Decimal("0.01")

REASON_DETAILS = {
    WelfareForecastReason.HISTORY_TOO_SHORT: (
        "The chama has {periods} whole 30-day period(s) of history; a forecast needs "
        f"{MIN_PERIODS}."
    ),
    WelfareForecastReason.TOO_FEW_CLAIMS: (
        "The fund granted {claims} claim(s) in the last two years; a forecast needs "
        f"{MIN_CLAIMS}."
    ),
}


@dataclass(frozen=True)
class ClaimDay:
    """The claims granted on one day: how many, and their sum."""

    day: date
    count: int
    amount: Decimal


@dataclass(frozen=True)
class HorizonForecast:
    """The next ``days``: expected claims (None without a forecast) and the buffer to keep."""

    days: int
    suggested_buffer: Decimal
    expected_amount: Decimal | None = None
    expected_count: Decimal | None = None
    low: Decimal | None = None
    high: Decimal | None = None


@dataclass(frozen=True)
class WelfareForecast:
    on: date
    source: str
    periods: int
    claims: int
    horizons: tuple[HorizonForecast, ...]
    reason: str = ""
    reason_detail: str = ""

    @property
    def suggested_buffer(self) -> Decimal:
        """The longest horizon's buffer: what a 91-day placement must leave behind."""
        return self.horizons[-1].suggested_buffer


def _mean(values: list[Decimal]) -> Decimal:
    return sum(values, Decimal(0)) / len(values)


def _sample_sd(values: list[Decimal]) -> Decimal:
    mean = _mean(values)
    return (sum(((v - mean) ** 2 for v in values), Decimal(0)) / (len(values) - 1)).sqrt()


def _window(history: list[ClaimDay], start: date, days: int) -> tuple[Decimal, int]:
    """Σ amount and Σ count of the claims dated in [start, start + days)."""
    end = start + timedelta(days=days)
    inside = [c for c in history if start <= c.day < end]
    return sum((c.amount for c in inside), Decimal(0)), sum(c.count for c in inside)


def _horizon(
    history: list[ClaimDay], *, on: date, began: date, periods: int, days: int
) -> HorizonForecast:
    n = Decimal(days) / PERIOD_DAYS
    trailing = [
        _window(history, on - timedelta(days=PERIOD_DAYS * k), PERIOD_DAYS)
        for k in range(1, periods + 1)
    ]
    amounts = [amount for amount, _ in trailing]
    mean_amount = _mean(amounts)
    mean_count = _mean([Decimal(count) for _, count in trailing])
    seasons = [
        _window(history, on - timedelta(days=YEAR_DAYS * y), days)
        for y in range(1, SEASONAL_YEARS + 1)
        if on - timedelta(days=YEAR_DAYS * y) >= began
    ]
    if seasons:
        seasonal_amount = sum((a for a, _ in seasons), Decimal(0)) / (n * len(seasons))
        seasonal_count = Decimal(sum(c for _, c in seasons)) / (n * len(seasons))
        mean_amount = (seasonal_amount + mean_amount) / 2
        mean_count = (seasonal_count + mean_count) / 2
    expected = n * mean_amount
    spread = Z * _sample_sd(amounts) * n.sqrt()
    high = money(expected + spread)
    return HorizonForecast(
        days=days,
        suggested_buffer=high,
        expected_amount=money(expected),
        expected_count=(n * mean_count).quantize(COUNT_PLACES),
        low=max(ZERO, money(expected - spread)),
        high=high,
    )


def welfare_forecast(
    history: Iterable[ClaimDay], *, on: date, began: date, constitution_buffer: Decimal | None
) -> WelfareForecast:
    """The forecast on ``on`` from the granted claims of ``history`` (those dated in the two
    years before ``on`` count) for a chama that began on ``began``; ``constitution_buffer``:
    its welfare policy's buffer, None without a constitution (see the module docstring)."""
    since = max(began, on - timedelta(days=HISTORY_DAYS))
    kept = [c for c in history if since <= c.day < on]
    periods = min(TRAILING_PERIODS, max(0, (on - began).days) // PERIOD_DAYS)
    claims = sum(c.count for c in kept)
    reason: WelfareForecastReason | None = None
    if periods < MIN_PERIODS:
        reason = WelfareForecastReason.HISTORY_TOO_SHORT
    elif claims < MIN_CLAIMS:
        reason = WelfareForecastReason.TOO_FEW_CLAIMS
    if reason:
        source = (
            WelfareForecastSource.NONE
            if constitution_buffer is None
            else WelfareForecastSource.CONSTITUTION
        )
        buffer = money(constitution_buffer) if constitution_buffer is not None else ZERO
        return WelfareForecast(
            on=on,
            source=source,
            periods=periods,
            claims=claims,
            horizons=tuple(HorizonForecast(days=h, suggested_buffer=buffer) for h in HORIZONS),
            reason=reason,
            reason_detail=REASON_DETAILS[reason].format(periods=periods, claims=claims),
        )
    return WelfareForecast(
        on=on,
        source=WelfareForecastSource.HISTORY,
        periods=periods,
        claims=claims,
        horizons=tuple(
            _horizon(kept, on=on, began=began, periods=periods, days=h) for h in HORIZONS
        ),
    )
