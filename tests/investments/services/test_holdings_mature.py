"""Maturity: the daily job matures what is due once, credits funds once a month; an official
records a maturity by hand once."""

from datetime import date
from decimal import Decimal
from typing import Any

import pytest
import time_machine
from django.db import IntegrityError, transaction

from core.exceptions import ConflictError, PermissionDeniedError
from finance.models import JournalEntry
from governance.choices import MaturityAction
from investments.choices import HoldingStatus, OptionKind
from investments.models import Holding, MmfCredit
from investments.services.maturity import holding_mature, holdings_mature_due
from tests.investments.fixtures import (
    BANK,
    balance,
    cents,
    fixed_deposit,
    legs,
    make_club,
    on_maturity,
    option,
    pay_in,
    place,
)

pytestmark = pytest.mark.django_db

PLACED = date(2025, 3, 3)


def tbill_club() -> tuple[object, Holding]:
    club = make_club()
    pay_in(club, "300000.00")
    with time_machine.travel(PLACED, tick=False):
        holding = place(club, option(OptionKind.TBILL_91, "0.16"), "100000.00")
    return club, holding


def fund_club() -> tuple[Any, Holding]:
    """100,000 placed in the money-market fund at 12% on 10 March."""
    club = make_club()
    pay_in(club, "150000.00")
    with time_machine.travel(date(2025, 3, 10), tick=False):
        holding = place(club, option(OptionKind.MONEY_MARKET, "0.12"), "100000.00")
    return club, holding


def test_the_job_matures_a_tbill_at_face_once() -> None:
    # Given a 91-day bill of 100,000 face bought for 96,163.98 (+ 575.40 tax up front)
    club, holding = tbill_club()
    # When the job runs the day before, on the day, and again
    assert holdings_mature_due(on=date(2025, 6, 1))["matured"] == 0
    assert holdings_mature_due(on=date(2025, 6, 2))["matured"] == 1
    entries = JournalEntry.objects.count()
    assert holdings_mature_due(on=date(2025, 6, 2))["matured"] == 0
    assert holdings_mature_due(on=date(2025, 6, 3))["matured"] == 0
    # Then it matured once: the face to the bank, the cost out of the holding, the discount
    # as income (the tax was paid up front)
    assert JournalEntry.objects.count() == entries
    holding.refresh_from_db()
    assert (holding.status, holding.matured_on) == (HoldingStatus.MATURED, date(2025, 6, 2))
    assert (holding.income, holding.maturity_tax) == (Decimal("3836.02"), Decimal("0.00"))
    assert legs(holding.maturity_entry_id) == [
        ("D", BANK, Decimal("100000.00")),
        ("C", "1200", Decimal("96163.98")),
        ("C", "4300", Decimal("3836.02")),
    ]
    assert balance(club.chama, BANK) == Decimal("300000.00") - Decimal("575.40") + Decimal(
        "3836.02"
    )
    assert balance(club.chama, "4300") == Decimal("3836.02")
    assert balance(club.chama, "5400") == Decimal("575.40")
    holding.ledger_account.refresh_from_db()
    assert holding.ledger_account.cached_balance == Decimal("0.00")


def test_a_fixed_deposit_matures_with_its_interest_less_tax_withheld() -> None:
    club = make_club()
    pay_in(club, "60000.00")
    with time_machine.travel(PLACED, tick=False):
        holding = place(club, fixed_deposit("0.12", 180), "50000.00")
    holdings_mature_due(on=date(2025, 8, 30))
    holding.refresh_from_db()
    gross = cents(Decimal("50000.00") * Decimal("0.12") * 180 / 365)
    tax = cents(gross * Decimal("0.15"))
    assert (gross, tax) == (Decimal("2958.90"), Decimal("443.84"))
    assert legs(holding.maturity_entry_id) == [
        ("D", BANK, Decimal("50000.00") + gross - tax),
        ("D", "5400", tax),
        ("C", "1200", Decimal("50000.00")),
        ("C", "4300", gross),
    ]


def test_reinvest_places_the_same_face_again_from_the_bank() -> None:
    club, holding = tbill_club()
    on_maturity(club, MaturityAction.REINVEST)
    with time_machine.travel(date(2025, 6, 2), tick=False):
        assert holdings_mature_due()["reinvested"] == 1
        assert holdings_mature_due()["reinvested"] == 0
    again = Holding.objects.get(reinvested_from=holding)
    assert (again.face, again.placed_on, again.status) == (
        Decimal("100000.00"), date(2025, 6, 2), HoldingStatus.ACTIVE,
    )  # fmt: skip
    assert legs(again.placement_entry_id) == [
        ("D", "1200", Decimal("96163.98")),
        ("D", "5400", Decimal("575.40")),
        ("C", BANK, Decimal("96739.38")),
    ]


def test_a_fund_is_credited_each_month_once_compounding() -> None:
    # Given 100,000 in the money-market fund at 12% from 10 March
    _, holding = fund_club()
    # When the job runs through March, on 1 April (twice), mid-April and on 1 May
    holdings_mature_due(on=date(2025, 3, 31))
    assert not MmfCredit.objects.exists()
    holdings_mature_due(on=date(2025, 4, 1))
    holdings_mature_due(on=date(2025, 4, 1))
    holdings_mature_due(on=date(2025, 4, 15))
    holdings_mature_due(on=date(2025, 5, 1))
    # Then March (22 nights) and April (30 nights, on March's credited balance) are credited
    # once each, net of 15% tax
    march_gross = cents(Decimal("100000.00") * Decimal("0.12") * 22 / 365)
    march_tax = cents(march_gross * Decimal("0.15"))
    assert (march_gross, march_tax) == (Decimal("723.29"), Decimal("108.49"))
    april_balance = Decimal("100000.00") + march_gross - march_tax
    april_gross = cents(april_balance * Decimal("0.12") * 30 / 365)
    april_tax = cents(april_gross * Decimal("0.15"))
    credits = list(MmfCredit.objects.filter(holding=holding).order_by("month"))
    assert [(c.month, c.days, c.balance, c.gross, c.tax) for c in credits] == [
        (date(2025, 3, 1), 22, Decimal("100000.00"), march_gross, march_tax),
        (date(2025, 4, 1), 30, april_balance, april_gross, april_tax),
    ]
    assert legs(credits[0].entry_id) == [
        ("D", "1200", Decimal("614.80")),
        ("D", "5400", Decimal("108.49")),
        ("C", "4300", Decimal("723.29")),
    ]
    holding.refresh_from_db()
    assert holding.last_credited_on == date(2025, 4, 30)
    holding.ledger_account.refresh_from_db()
    assert holding.ledger_account.cached_balance == april_balance + april_gross - april_tax


def test_the_treasurer_records_confirmed_proceeds_once() -> None:
    club, holding = tbill_club()
    with time_machine.travel(date(2025, 6, 2), tick=False):
        with pytest.raises(PermissionDeniedError):
            holding_mature(holding=holding, acting=club.members["auditor"])
        matured = holding_mature(
            holding=holding, acting=club.treasurer, confirmed_proceeds=Decimal("99990.00")
        )
        assert (matured.confirmed_proceeds, matured.computed_proceeds, matured.income) == (
            Decimal("99990.00"), Decimal("100000.00"), Decimal("3826.02"),
        )  # fmt: skip
        entries = JournalEntry.objects.count()
        with pytest.raises(ConflictError) as refused:
            holding_mature(holding=holding, acting=club.treasurer)
        assert (
            refused.value.message
            == "This holding already matured on 2025-06-02: nothing was written."
        )
        assert holdings_mature_due()["matured"] == 0
    assert JournalEntry.objects.count() == entries


def test_a_holding_does_not_mature_before_its_term() -> None:
    club, holding = tbill_club()
    with time_machine.travel(date(2025, 6, 1), tick=False), pytest.raises(ConflictError) as refused:
        holding_mature(holding=holding, acting=club.treasurer)
    assert (
        refused.value.message == "This holding matures on 2025-06-02; it cannot mature before then."
    )


def test_a_fund_is_redeemed_with_its_interest_to_the_day() -> None:
    club, holding = fund_club()
    with time_machine.travel(date(2025, 4, 11), tick=False):
        closed = holding_mature(holding=holding, acting=club.chair)
    march_net = Decimal("614.80")
    april_gross = cents((Decimal("100000.00") + march_net) * Decimal("0.12") * 10 / 365)
    april_net = april_gross - cents(april_gross * Decimal("0.15"))
    assert closed.status == HoldingStatus.CLOSED
    assert legs(closed.maturity_entry_id) == [
        ("D", BANK, Decimal("100000.00") + march_net + april_net),
        ("C", "1200", Decimal("100000.00") + march_net + april_net),
    ]
    assert [c.days for c in MmfCredit.objects.filter(holding=holding).order_by("month")] == [22, 10]


def test_a_fund_month_cannot_be_credited_twice_around_the_orm() -> None:
    _, holding = fund_club()
    holdings_mature_due(on=date(2025, 4, 1))
    credit = MmfCredit.objects.get(holding=holding)
    with pytest.raises(IntegrityError), transaction.atomic():
        MmfCredit.objects.bulk_create(
            [
                MmfCredit(
                    holding=holding, month=credit.month, days=1, balance=1, gross=0, tax=0, net=0
                )
            ]
        )


def test_the_job_runs_by_name() -> None:
    from django.core.management import call_command

    from core.jobs import JOBS

    call_command("run_job")  # discovers the tasks modules
    assert "investments_mature" in JOBS


def test_a_funds_accrued_interest_is_shown_until_credited() -> None:
    club, holding = fund_club()
    with time_machine.travel(date(2025, 3, 20), tick=False):
        body = (
            club.fresh("member")
            .get(f"/api/v1/chamas/{club.chama.pk}/investments/{holding.pk}/")
            .json()
        )
    # 10 nights (10 to 19 March) on 100,000 at 12%: 328.767... gross
    assert body["accrued_interest"] == str(cents(Decimal("100000.00") * Decimal("0.12") * 10 / 365))
    assert body["accrued_interest"] == "328.77"
