"""The portfolio: allocation and diversification, ROI, and the time-weighted year-to-date
return, on a chama's year worked out by hand."""

from datetime import date
from decimal import ROUND_HALF_EVEN, Decimal

import pytest
import time_machine

from investments.choices import OptionKind
from investments.selectors import portfolio_get
from investments.services.maturity import holding_mature
from tests.investments.fixtures import fixed_deposit, make_club, option, pay_in, place

pytestmark = pytest.mark.django_db

RATIO = Decimal("0.0001")


def ratio(value: Decimal) -> Decimal:
    return value.quantize(RATIO, rounding=ROUND_HALF_EVEN)


@pytest.fixture
def year():
    """3 Feb: a 91-day bill, 100,000 face (96,163.98 + 575.40 tax). 3 Mar: a 180-day fixed
    deposit of 50,000 at 12% and 60,000 in the money-market fund. 5 May: the bill matures at
    face. 30 Aug: the deposit matures (2,958.90 interest, 443.84 tax withheld)."""
    club = make_club()
    pay_in(club, "300000.00")
    with time_machine.travel(date(2025, 2, 3), tick=False):
        bill = place(club, option(OptionKind.TBILL_91, "0.16"), "100000.00")
    with time_machine.travel(date(2025, 3, 3), tick=False):
        deposit = place(club, fixed_deposit("0.12", 180), "50000.00")
        place(club, option(OptionKind.MONEY_MARKET, "0.12"), "60000.00")
    return club, bill, deposit


def test_allocation_and_upcoming_maturities(year):
    club, bill, _ = year
    portfolio = portfolio_get(chama=club.chama, on=date(2025, 4, 1))
    total = Decimal("96163.98") + Decimal("50000.00") + Decimal("60000.00")
    assert portfolio.total_value == total
    assert [(a.kind, a.value, a.share) for a in portfolio.allocation] == [
        ("tbill_91", Decimal("96163.98"), ratio(Decimal("96163.98") / total)),
        ("money_market", Decimal("60000.00"), ratio(Decimal("60000.00") / total)),
        ("fixed_deposit", Decimal("50000.00"), ratio(Decimal("50000.00") / total)),
    ]
    assert [a.share for a in portfolio.allocation] == [
        Decimal("0.4664"), Decimal("0.2910"), Decimal("0.2425"),
    ]  # fmt: skip
    assert portfolio.diversified is True
    assert [h.pk for h in portfolio.upcoming_maturities] == [bill.pk]  # the deposit: 30 Aug


def test_one_kind_above_sixty_percent_is_not_diversified(year):
    club, bill, _ = year
    with time_machine.travel(date(2025, 5, 5), tick=False):
        holding_mature(holding=bill, acting=club.treasurer)
    portfolio = portfolio_get(chama=club.chama, on=date(2025, 5, 6))
    assert [(a.kind, a.share) for a in portfolio.allocation] == [
        ("money_market", Decimal("0.5455")),
        ("fixed_deposit", Decimal("0.4545")),
    ]
    assert portfolio.diversified is True
    single = make_club("Single Basket Group")
    pay_in(single, "200000.00")
    place(single, option(OptionKind.TBILL_91, "0.16"), "100000.00")
    lone = portfolio_get(chama=single.chama)
    assert [(a.kind, a.share) for a in lone.allocation] == [("tbill_91", Decimal("1.0000"))]
    assert lone.diversified is False


def test_roi_and_the_time_weighted_return(year):
    club, bill, deposit = year
    with time_machine.travel(date(2025, 5, 5), tick=False):
        holding_mature(holding=bill, acting=club.treasurer)
    with time_machine.travel(date(2025, 8, 30), tick=False):
        holding_mature(holding=deposit, acting=club.treasurer)
    portfolio = portfolio_get(chama=club.chama, on=date(2025, 9, 1))
    # Income: the bill's discount 3,836.02 and the deposit's interest 2,958.90; tax: 575.40
    # up front and 443.84 at maturity; placed: 96,163.98 + 50,000 + 60,000
    invested = Decimal("206163.98")
    assert (portfolio.invested, portfolio.income, portfolio.tax) == (
        invested, Decimal("6794.92"), Decimal("1019.24"),
    )  # fmt: skip
    assert portfolio.roi == ratio(Decimal("6794.92") / invested) == Decimal("0.0330")
    assert portfolio.roi_net == ratio(Decimal("5775.68") / invested) == Decimal("0.0280")
    # Time-weighted: 5 May, the bill's net income 3,260.62 on the 206,739.38 then invested
    # (96,739.38 + 50,000 + 60,000); 30 Aug, the deposit's net 2,515.06 on the 110,000 left
    first = Decimal("3260.62") / Decimal("206739.38")
    second = Decimal("2515.06") / Decimal("110000.00")
    assert portfolio.ytd_return == ratio((1 + first) * (1 + second) - 1) == Decimal("0.0390")
    # Only this year counts: on 1 September the figure for next year starts again at zero
    assert portfolio_get(chama=club.chama, on=date(2026, 1, 2)).ytd_return == Decimal("0.0000")
