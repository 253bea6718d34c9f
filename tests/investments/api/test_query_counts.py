"""The investments list, the options list and the portfolio cost a constant number of
queries, however many holdings, options and rates they show."""

from datetime import date
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from investments.choices import OptionKind
from investments.models import InvestmentOption, OptionRate
from investments.services.maturity import holdings_mature_due
from tests.investments.fixtures import fixed_deposit, option, pay_in, place

pytestmark = pytest.mark.django_db


def queries(client, url):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, response.json()
    return len(ctx.captured_queries), [q["sql"] for q in ctx.captured_queries]


def add_holdings(club, count):
    fund = option(OptionKind.MONEY_MARKET, "0.12")
    deposit = InvestmentOption.objects.filter(kind=OptionKind.FIXED_DEPOSIT).first()
    deposit = deposit or fixed_deposit()
    for _ in range(count):
        place(club, fund, "5000.00")
        place(club, deposit, "10000.00")
        place(club, option(OptionKind.TBILL_91, "0.16"), "100000.00")


def test_the_investments_list_is_constant(club):
    pay_in(club, "5000000.00")
    client, url = club.clients["member"], f"{club.base}/investments/"
    add_holdings(club, 1)
    few, _ = queries(client, url)
    add_holdings(club, 4)
    many, sql = queries(client, url)
    # user, membership, count, page (with option and account)
    assert few == many == 4, "\n".join(sql)


def test_the_portfolio_is_constant(club):
    pay_in(club, "5000000.00")
    client, url = club.clients["member"], f"{club.base}/portfolio/"
    add_holdings(club, 1)
    holdings_mature_due(on=timezone.localdate().replace(day=1))
    few, _ = queries(client, url)
    add_holdings(club, 4)
    many, sql = queries(client, url)
    # user, membership, holdings (with option and account), credits
    assert few == many == 4, "\n".join(sql)


def test_the_options_list_is_constant(club):
    client, url = club.clients["outsider"], "/api/v1/investment-options/"
    few, _ = queries(client, url)
    for n in range(3):
        extra = InvestmentOption.objects.create(
            kind=OptionKind.SACCO_DEPOSIT,
            name=f"SACCO deposit {n}",
            provider="Demo SACCO",
            minimum=Decimal("1000.00"),
            increment=Decimal("100.00"),
        )
        for month in (1, 4, 7):
            OptionRate.objects.create(
                option=extra, annual_rate=Decimal("0.08"), effective_from=date(2025, month, 1)
            )
    many, sql = queries(client, url)
    # user, count, page, rates
    assert few == many == 4, "\n".join(sql)
