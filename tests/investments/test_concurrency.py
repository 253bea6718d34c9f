"""Real threads on PostgreSQL: placements racing for the same cash, a proposal executed by
several requests at once, maturity runs racing — money moves once."""

from datetime import date
from decimal import Decimal

import pytest

from core.exceptions import ConflictError
from finance.models import JournalEntry
from investments.choices import HoldingStatus, OptionKind
from investments.models import Holding, MmfCredit
from investments.services.maturity import holdings_mature_due
from tests.concurrency import run_concurrently
from tests.investments.fixtures import BANK, balance, make_club, option, pay_in, place

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_placements_racing_for_the_same_cash_place_what_it_covers():
    # 150,000 in the bank; each bill of 100,000 face costs 96,739.38 with its tax
    club = make_club()
    pay_in(club, "150000.00")
    bill = option(OptionKind.TBILL_91, "0.16")

    results = run_concurrently(lambda: place(club, bill, "100000.00"), 5)

    placed = [r for r in results if isinstance(r, Holding)]
    refused = [r for r in results if isinstance(r, ConflictError)]
    assert len(placed) == 1, results
    assert {e.code for e in refused} == {"insufficient_funds"}
    assert len(refused) == 4
    assert Holding.objects.count() == 1
    assert balance(club.chama, BANK) == Decimal("150000.00") - Decimal("96739.38")


def test_a_proposal_executed_by_racing_requests_is_placed_once():
    club = make_club()
    pay_in(club, "1000000.00")
    bill = option(OptionKind.TBILL_91, "0.16")
    proposal = "0b7f6d8e-1f1a-4c55-9d59-7d3c2b9a5e10"

    results = run_concurrently(lambda: place(club, bill, "100000.00", proposal_id=proposal), 5)

    assert len([r for r in results if isinstance(r, Holding)]) == 1, results
    assert {r.code for r in results if not isinstance(r, Holding)} == {"proposal_executed"}
    assert Holding.objects.count() == 1
    assert balance(club.chama, BANK) == Decimal("1000000.00") - Decimal("96739.38")


def test_maturity_runs_racing_mature_and_credit_once():
    club = make_club()
    pay_in(club, "500000.00")
    bill = place(club, option(OptionKind.TBILL_91, "0.16"), "100000.00")
    fund = place(club, option(OptionKind.MONEY_MARKET, "0.12"), "50000.00")
    Holding.objects.filter(pk=bill.pk).update(
        placed_on=date(2025, 3, 3), matures_on=date(2025, 6, 2)
    )
    Holding.objects.filter(pk=fund.pk).update(placed_on=date(2025, 3, 10))
    entries = JournalEntry.objects.count()

    results = run_concurrently(lambda: holdings_mature_due(on=date(2025, 6, 2)), 4)

    assert all(isinstance(r, dict) for r in results), results
    assert sum(r["matured"] for r in results) == 1
    bill.refresh_from_db()
    assert bill.status == HoldingStatus.MATURED
    # March, April and May credited once each; one maturity entry
    assert MmfCredit.objects.filter(holding=fund).count() == 3
    assert JournalEntry.objects.count() == entries + 1 + 3
