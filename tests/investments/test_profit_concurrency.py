"""Real threads on PostgreSQL: income is declared once however many declarations race, a
share is chosen once, and a member's choice racing the treasurer's settlement settles the
share once, either way."""

from decimal import Decimal

import pytest

from core.exceptions import ConflictError
from finance import chart
from finance.models import LedgerAccount
from finance.selectors import trial_balance_get
from finance.services.ledger import ledger_balance_proof
from investments.models import ProfitDeclaration, ProfitShare
from investments.services.profits import profit_settle, profit_share_choose
from tests.concurrency import run_concurrently
from tests.investments.profit_fixtures import declare, income_realise, profit_rules_adopt, save

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_ten_declarations_of_the_same_income_declare_it_once(club):
    save(club.chair, "1000")
    save(club.member, "3000")
    income_realise(club, gross="500.00")
    profit_rules_adopt(club)

    results = run_concurrently(lambda: declare(club, "500.00"), 10)

    declared = [r for r in results if isinstance(r, ProfitDeclaration)]
    refused = [r for r in results if isinstance(r, ConflictError)]
    assert len(declared) == 1, results
    assert len(refused) == 9
    assert {e.code for e in refused} == {"profit_exceeds_income"}
    assert ProfitShare.objects.filter(amount__gt=0).count() == 2
    assert trial_balance_get(chama=club.chama) == Decimal("0.00")


def test_ten_choices_of_one_share_choose_once(club):
    save(club.member, "1000")
    income_realise(club, gross="50.00")
    profit_rules_adopt(club)
    share = declare(club, "50.00").shares.get(membership=club.member)

    results = run_concurrently(
        lambda: profit_share_choose(share=share, acting=club.member, choice="savings"), 10
    )

    chosen = [r for r in results if isinstance(r, ProfitShare)]
    refused = [r for r in results if isinstance(r, ConflictError)]
    assert len(chosen) == 1, results
    assert {e.code for e in refused} == {"share_already_chosen"}
    assert trial_balance_get(chama=club.chama) == Decimal("0.00")


def test_a_choice_racing_the_settlement_settles_the_share_once(club):
    # The member's 100.00 share, unchosen: paid out if the choice wins, saved if the
    # settlement does; never both, never twice. The cash box holds 4,000.
    save(club.chair, "3000")
    save(club.member, "1000")
    income_realise(club, gross="400.00")
    profit_rules_adopt(club, payout="member_choice")
    declaration = declare(club, "400.00")
    share = declaration.shares.get(membership=club.member)
    actions = iter(
        [
            lambda: profit_share_choose(share=share, acting=club.member, choice="paid_out"),
            lambda: profit_settle(declaration=declaration, acting=club.treasurer, account="cash"),
        ]
    )

    results = run_concurrently(lambda: next(actions)(), 2)

    share.refresh_from_db()
    payable = LedgerAccount.objects.get(
        chama=club.chama, code=chart.PROFIT_PAYABLE, member=club.member
    )
    assert not [r for r in results if isinstance(r, Exception) and not isinstance(r, ConflictError)]
    assert (share.settled_at is not None, share.settled_entry_id is not None) == (True, True)
    assert payable.cached_balance == Decimal("0.00")
    # The loser, if the choice came second, was told the share is settled already.
    assert {e.code for e in results if isinstance(e, ConflictError)} <= {"share_already_chosen"}
    assert trial_balance_get(chama=club.chama) == Decimal("0.00")
    assert ledger_balance_proof(chama=club.chama) == []
