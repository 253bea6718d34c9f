"""A chama's idle cash invested and its profit shared, end to end: the Monday scan finds the
idle cash, the treasurer proposes a 91-day T-bill, the chair approves, it is placed from cash,
it matures, the income and its tax are declared to the members by their savings, each member
reads a wealth report, one takes it in cash and the rest goes to savings — the trial balance
zero and every balance rule kept at each step.

Umoja (tests/investments/idle_fixtures.py) has 107,500 idle on Monday 2 March 2026. The
91-day bill's rate that day is 9.60% (the seeded history), so 100,000 face costs
100,000 / (1 + 0.096 x 91/365) and the tax is 15% of the discount, worked out below without
the code under test.
"""

from datetime import timedelta
from decimal import ROUND_HALF_EVEN, Decimal

import pytest
from django.db.models import Q

from finance import chart
from finance.choices import BalanceRule
from finance.models import LedgerAccount
from finance.selectors import trial_balance_get
from finance.services.ledger import ledger_balance_proof
from investments.choices import HoldingStatus, OptionKind
from investments.models import (
    Holding,
    InvestmentOption,
    InvestmentProposal,
    ProfitDeclaration,
    ProfitShare,
    ProposalStatus,
    ShareStatus,
)
from investments.services.idle_cash import idle_cash_scan
from investments.services.maturity import holdings_mature_due
from investments.services.profits import profit_settle
from investments.services.proposals import (
    proposal_approve,
    proposal_create,
    proposal_execute,
    proposal_reject,
)
from tests.investments.fixtures import legs
from tests.investments.idle_fixtures import TODAY, at, investment_rules_adopt, umoja_history

pytestmark = pytest.mark.django_db

CENT = Decimal("0.01")
FACE = Decimal("100000.00")
PRICE = (FACE / (1 + Decimal("0.096") * 91 / 365)).quantize(CENT, rounding=ROUND_HALF_EVEN)
DISCOUNT = FACE - PRICE
TAX = (DISCOUNT * Decimal("0.15")).quantize(CENT, rounding=ROUND_HALF_EVEN)
NET = DISCOUNT - TAX


def books_sound(club) -> None:
    """The trial balance is zero, every cached balance matches its postings and no account
    has crossed zero against its rule."""
    assert trial_balance_get(chama=club.chama) == Decimal("0.00")
    assert ledger_balance_proof(chama=club.chama) == []
    broken = LedgerAccount.objects.filter(chama=club.chama).filter(
        Q(balance_rule=BalanceRule.CREDITS_MUST_NOT_EXCEED_DEBITS, cached_balance__lt=0)
        | Q(balance_rule=BalanceRule.DEBITS_MUST_NOT_EXCEED_CREDITS, cached_balance__gt=0)
    )
    assert list(broken) == []


def member_weights(club) -> dict:
    """Each member's savings plus credit, as the books stand: the profit basis."""
    weights: dict = {}
    for account in LedgerAccount.objects.filter(
        chama=club.chama, code__in=[chart.MEMBER_SAVINGS, chart.MEMBER_CREDIT]
    ):
        weights[account.member_id] = weights.get(account.member_id, 0) - (account.cached_balance)
    return {member: weight for member, weight in weights.items() if weight}


def test_idle_cash_is_invested_and_its_profit_shared(client_for):
    club = umoja_history(client_for)
    assert (Decimal("97662.52"), Decimal("350.62"), Decimal("1986.86")) == (PRICE, TAX, NET)
    with at(TODAY):
        investment_rules_adopt(club, on_maturity="distribute", profit_payout="member_choice")
        books_sound(club)

        # The Monday scan finds the idle cash and proposes the fund; the treasurer prefers a
        # 91-day bill: the fund's proposal is rejected, a bill proposed by hand
        assert idle_cash_scan().proposals_made == 1
        proposed = InvestmentProposal.objects.get(chama=club.chama)
        assert proposed.idle_at_proposal == Decimal("107500.00")
        proposal_reject(proposal=proposed, acting=club.chair, reason="A bill this quarter.")
        bill = InvestmentOption.objects.get(kind=OptionKind.TBILL_91)
        proposal = proposal_create(
            chama=club.chama, acting=club.treasurer, option=bill, amount=FACE
        )
        assert (proposal.cost, proposal.projected_tax) == (PRICE + TAX, TAX)  # tax up front

        # The chair approves, the treasurer places it from cash with the broker's reference
        proposal_approve(proposal=proposal, acting=club.chair)
        proposal = proposal_execute(
            proposal=proposal,
            acting=club.treasurer,
            paying_account_code=chart.CASH,
            method="manual",
            broker_reference="CBK-DHOW-2026-0310",
        )
        assert proposal.status == ProposalStatus.EXECUTED
        holding = Holding.objects.get(chama=club.chama)
        assert legs(holding.placement_entry_id) == [
            ("D", "1200", PRICE),
            ("D", "5400", TAX),
            ("C", "1030", PRICE + TAX),
        ]
        books_sound(club)

    # Ninety-one days later the daily job matures it and, by the constitution, declares it
    matures = TODAY + timedelta(days=91)
    with at(matures):
        assert holdings_mature_due(on=matures)["matured"] == 1
        weights = member_weights(club)
    holding.refresh_from_db()
    assert holding.status == HoldingStatus.MATURED
    assert legs(holding.maturity_entry_id) == [
        ("D", "1020", FACE),
        ("C", "1200", PRICE),
        ("C", "4300", DISCOUNT),
    ]
    declaration = ProfitDeclaration.objects.get(chama=club.chama)
    assert (declaration.gross, declaration.tax, declaration.net) == (DISCOUNT, TAX, NET)
    assert (declaration.holding, declaration.income_entry_id) == (
        holding,
        holding.maturity_entry_id,
    )
    # Each part is its exact share of the net within a cent, and the parts sum to it exactly
    shares = {s.membership_id: s for s in ProfitShare.objects.filter(declaration=declaration)}
    total = sum(weights.values())
    assert {m for m, s in shares.items() if s.amount} == set(weights)
    for member, weight in weights.items():
        assert abs(shares[member].amount - NET * weight / total) < CENT
    assert sum(s.amount for s in shares.values()) == NET
    assert sum(s.tax for s in shares.values()) == TAX
    books_sound(club)

    # The member reads the wealth report and takes it in cash; the treasurer settles
    with at(matures):
        member_client = club.fresh("member")
        report = member_client.get(f"{club.base}/wealth-reports/").json()["results"]
        mine = shares[club.member.pk]
        assert [r["sentence"] for r in report] == [
            f"You earned KES {mine.amount:,} from the 91-day Treasury bill, "
            f"net of KES {mine.tax:,} tax."
        ]
        chosen = member_client.post(
            f"{club.base}/wealth-reports/{report[0]['id']}/choose/",
            {"choice": "paid_out"},
            format="json",
        )
        assert chosen.status_code == 200, chosen.json()
        cash_before = LedgerAccount.objects.get(chama=club.chama, code="1030").cached_balance
        profit_settle(declaration=declaration, acting=club.treasurer, account="cash")

    cash_after = LedgerAccount.objects.get(chama=club.chama, code="1030").cached_balance
    assert cash_before - cash_after == mine.amount
    assert {
        s.membership_id: s.status for s in ProfitShare.objects.filter(declaration=declaration)
    } == {
        member: ShareStatus.NOTHING_DUE
        if not share.amount
        else ShareStatus.PAID
        if member == club.member.pk
        else ShareStatus.SAVED
        for member, share in shares.items()
    }
    payable = LedgerAccount.objects.filter(chama=club.chama, code=chart.PROFIT_PAYABLE)
    assert {a.cached_balance for a in payable} <= {Decimal("0.00")}
    books_sound(club)
