"""The welfare forecast's arithmetic on a small history worked by hand."""

from datetime import date, timedelta
from decimal import Decimal

from finance.welfare_forecast import ClaimDay, HorizonForecast, welfare_forecast

ON = date(2026, 3, 2)


def history(*claims: tuple[int, str]) -> list[ClaimDay]:
    """One claim ``days`` before ON for each (days, amount)."""
    return [ClaimDay(day=ON - timedelta(days=d), count=1, amount=Decimal(a)) for d, a in claims]


# Seven granted claims of a chama that began 400 days ago. The 30-day periods count back from
# ON: P1 = [ON-30, ON), P2 = [ON-60, ON-30), ...
CLAIMS = history(
    (10, "3000"),  # P1
    (45, "5000"),  # P2
    (100, "2000"),  # P4
    (200, "4000"),  # P7
    (300, "6000"),  # P10; in the 90 days from ON one year back
    (350, "10000"),  # P12; in the 30 and the 90 days from ON one year back
    (380, "8000"),  # before the trailing twelve periods, outside both seasonal windows
)


def test_a_year_of_claims_blends_the_season_with_the_trailing_year():
    forecast = welfare_forecast(
        CLAIMS, on=ON, began=ON - timedelta(days=400), constitution_buffer=Decimal("5000.00")
    )

    # Trailing: the twelve period totals 3000, 5000, 0, 2000, 0, 0, 4000, 0, 0, 6000, 0, 10000
    # sum to 30,000: m = 2,500 a period, 6 claims / 12 = 0.5 a period. Their squared
    # deviations from 2,500 sum to 115,000,000, so sd = √(115,000,000 / 11) = 3,233.3490 and
    # z·sd = 1.645 x 3,233.3490 = 5,318.8590.
    # 30 days: one year back, [ON-365, ON-335) holds the 10,000 (one claim), so
    # E = (10,000 + 2,500) / 2 = 6,250; count (1 + 0.5) / 2 = 0.75; band 6,250 ± 5,318.86.
    # 90 days (n = 3): one year back, [ON-365, ON-275) holds 10,000 + 6,000 (two claims):
    # s = 16,000 / 3 a period, E = 3 x (16,000/3 + 2,500) / 2 = 11,750; count
    # 3 x (2/3 + 0.5) / 2 = 1.75; band 11,750 ± 1.645 x 3,233.3490 x √3 = ± 9,212.53.
    # Two years back the chama did not exist: no second season.
    assert forecast.source == "history"
    assert (forecast.reason, forecast.periods, forecast.claims) == ("", 12, 7)
    assert forecast.horizons == (
        HorizonForecast(
            days=30,
            expected_amount=Decimal("6250.00"),
            expected_count=Decimal("0.75"),
            low=Decimal("931.14"),
            high=Decimal("11568.86"),
            suggested_buffer=Decimal("11568.86"),
        ),
        HorizonForecast(
            days=90,
            expected_amount=Decimal("11750.00"),
            expected_count=Decimal("1.75"),
            low=Decimal("2537.47"),
            high=Decimal("20962.53"),
            suggested_buffer=Decimal("20962.53"),
        ),
    )
    assert forecast.suggested_buffer == Decimal("20962.53")  # the 90 days'


def test_without_a_past_season_the_trailing_mean_alone_is_expected():
    # Began 199 days ago: six whole periods, no year back. Periods 1..6: 3000, 5000, 0, 2000,
    # 0, 0; the claims dated before the chama began are not read.
    forecast = welfare_forecast(
        CLAIMS, on=ON, began=ON - timedelta(days=199), constitution_buffer=None
    )

    # m = 10,000 / 6 = 1,666.67; deviations² 1,777,777.8 + 11,111,111.1 + 2,777,777.8 +
    # 111,111.1 + 2,777,777.8 + 2,777,777.8 = 21,333,333.3; sd = √(21,333,333.3 / 5)
    # = 2,065.5911; z·sd = 3,397.8974.
    assert (forecast.source, forecast.periods, forecast.claims) == ("history", 6, 3)
    thirty, ninety = forecast.horizons
    assert (thirty.expected_amount, thirty.expected_count, thirty.low, thirty.high) == (
        Decimal("1666.67"),
        Decimal("0.50"),
        Decimal("0.00"),  # 1,666.67 - 3,398.00 is below zero
        Decimal("5064.56"),
    )
    # 90 days: 3 x 1,666.67 = 5,000 ± 3,397.8974 x √3 = ± 5,885.33.
    assert (ninety.expected_amount, ninety.expected_count, ninety.low, ninety.high) == (
        Decimal("5000.00"),
        Decimal("1.50"),
        Decimal("0.00"),
        Decimal("10885.33"),
    )


def test_a_chama_younger_than_six_periods_falls_back_to_its_constitution():
    forecast = welfare_forecast(
        CLAIMS, on=ON, began=ON - timedelta(days=179), constitution_buffer=Decimal("5000.00")
    )

    assert (forecast.source, forecast.reason, forecast.periods) == (
        "constitution",
        "history_too_short",
        5,
    )
    assert forecast.reason_detail == (
        "The chama has 5 whole 30-day period(s) of history; a forecast needs 6."
    )
    assert forecast.horizons == (
        HorizonForecast(days=30, suggested_buffer=Decimal("5000.00")),
        HorizonForecast(days=90, suggested_buffer=Decimal("5000.00")),
    )
    assert forecast.suggested_buffer == Decimal("5000.00")


def test_two_claims_in_two_years_are_too_few_and_without_a_constitution_nothing_is_kept():
    old = history((10, "3000"), (400, "2000"), (800, "9000"))  # the last is over two years back

    forecast = welfare_forecast(
        old, on=ON, began=ON - timedelta(days=1000), constitution_buffer=None
    )

    assert (forecast.source, forecast.reason, forecast.claims) == ("none", "too_few_claims", 2)
    assert forecast.reason_detail == (
        "The fund granted 2 claim(s) in the last two years; a forecast needs 3."
    )
    assert forecast.suggested_buffer == Decimal("0.00")


def test_two_past_seasons_are_averaged_and_a_claim_of_today_waits_for_tomorrow():
    claims = [
        *history((0, "99999"), (5, "1200"), (50, "1200"), (364, "2400"), (729, "3600")),
        ClaimDay(day=ON - timedelta(days=20), count=2, amount=Decimal("600")),
    ]

    forecast = welfare_forecast(
        claims, on=ON, began=ON - timedelta(days=800), constitution_buffer=None
    )

    # Trailing periods: P1 = 1,200 + 600 (three claims), P2 = 1,200, P3..P12 = 0 (the 2,400 of
    # 364 days back is in P13): m = 3,000 / 12 = 250, count 4 / 12.
    # 30 days: one year back [ON-365, ON-335) holds 2,400, two years back [ON-730, ON-700)
    # holds 3,600: s = 6,000 / 2 = 3,000; E = (3,000 + 250) / 2 = 1,625; count
    # (1 + 1/3) / 2 = 0.67. sd: deviations² 1,550² + 950² + 10 x 250² = 3,930,000;
    # sd = √(3,930,000 / 11) = 597.7226; z·sd = 983.25.
    thirty = forecast.horizons[0]
    assert (forecast.claims, thirty.expected_amount, thirty.expected_count) == (
        6,
        Decimal("1625.00"),
        Decimal("0.67"),
    )
    assert (thirty.low, thirty.high) == (Decimal("641.75"), Decimal("2608.25"))
