"""Investments in the back office: holdings read-only and scoped to the official's chamas,
with the portfolio summary above the list; maturity by an action; options and rates kept by
platform administrators, an out-of-range rate refused."""

from datetime import date

import pytest
import time_machine
from django.contrib.messages import get_messages
from django.test import Client
from django.urls import reverse

from accounts.models import User
from investments.choices import HoldingStatus, OptionKind
from investments.models import InvestmentOption, OptionRate
from tests.factories import browser_for
from tests.investments.fixtures import make_club, option, pay_in, place

pytestmark = pytest.mark.django_db


def test_an_official_sees_their_holdings_with_the_portfolio_summary():
    ours, theirs = make_club(), make_club("Another Group")
    for club in (ours, theirs):
        pay_in(club, "300000.00")
    mine = place(ours, option(OptionKind.TBILL_91, "0.16"), "100000.00")
    place(theirs, option(OptionKind.TBILL_91, "0.16"), "100000.00")
    browser = browser_for(ours.treasurer)

    page = browser.get(reverse("admin:investments_holding_changelist"))

    assert page.status_code == 200
    assert [row.pk for row in page.context["cl"].result_list] == [mine.pk]
    assert [chama for chama, _ in page.context["portfolio_summaries"]] == [ours.chama]
    text = page.content.decode()
    assert "Umoja Investment Club — portfolio on" in text
    assert "91-day Treasury bill 96163.98 (1.0000)" in text
    assert "not diversified (a kind above 60%)" in text
    assert browser.get(reverse("admin:investments_holding_add")).status_code == 403


def test_the_mature_action_records_a_maturity_as_the_official():
    club = make_club()
    pay_in(club, "300000.00")
    with time_machine.travel(date(2025, 3, 3), tick=False):
        holding = place(club, option(OptionKind.TBILL_91, "0.16"), "100000.00")
    with time_machine.travel(date(2025, 6, 2), tick=False):
        response = browser_for(club.chair).post(
            reverse("admin:investments_holding_changelist"),
            {"action": "mature", "_selected_action": [str(holding.pk)]},
            follow=True,
        )
    assert "Matured: 1." in [str(m) for m in get_messages(response.wsgi_request)]
    holding.refresh_from_db()
    assert holding.status == HoldingStatus.MATURED


def test_a_platform_admin_keeps_rates_and_an_out_of_range_rate_is_refused():
    admin = User.objects.create_superuser(
        email="ops@example.com", phone="254700000001", full_name="Ops", password="x"
    )
    browser = Client()
    browser.force_login(admin)
    fund = option(OptionKind.MONEY_MARKET, "0.12")
    url = reverse("admin:investments_investmentoption_change", args=[fund.pk])
    rates = list(fund.rates.order_by("-effective_from"))
    form = {
        "kind": fund.kind,
        "name": fund.name,
        "provider": fund.provider,
        "minimum": "1000.00",
        "increment": "1.00",
        "receiving_paybill": fund.receiving_paybill,
        "receiving_account": "",
        "is_active": "on",
        "rates-TOTAL_FORMS": str(len(rates) + 1),
        "rates-INITIAL_FORMS": str(len(rates)),
        "rates-MIN_NUM_FORMS": "0",
        "rates-MAX_NUM_FORMS": "1000",
    }
    for index, rate in enumerate(rates):
        form |= {
            f"rates-{index}-id": str(rate.pk),
            f"rates-{index}-option": str(fund.pk),
            f"rates-{index}-effective_from": rate.effective_from.isoformat(),
            f"rates-{index}-annual_rate": str(rate.annual_rate),
        }
    new = len(rates)
    before = OptionRate.objects.count()
    for bad in ("-0.05", "9"):
        response = browser.post(
            url,
            form
            | {
                f"rates-{new}-option": str(fund.pk),
                f"rates-{new}-effective_from": "2026-01-01",
                f"rates-{new}-annual_rate": bad,
            },
        )
        assert response.status_code == 200  # the form again, with the error
        assert "An annual rate is a fraction above 0 and at most 1" in response.content.decode()
    assert OptionRate.objects.count() == before
    good = form | {
        f"rates-{new}-option": str(fund.pk),
        f"rates-{new}-effective_from": "2026-01-01",
        f"rates-{new}-annual_rate": "0.1125",
    }
    assert browser.post(url, good).status_code == 302
    assert OptionRate.objects.count() == before + 1


def test_an_official_reads_the_options_but_does_not_change_them():
    club = make_club()
    browser = browser_for(club.chair)
    fund = option(OptionKind.MONEY_MARKET, "0.12")
    assert browser.get(reverse("admin:investments_investmentoption_changelist")).status_code == 200
    page = browser.post(
        reverse("admin:investments_investmentoption_change", args=[fund.pk]), {"name": "X"}
    )
    assert page.status_code == 403
    assert InvestmentOption.objects.get(pk=fund.pk).name == fund.name
