"""A share chosen once, and the treasurer's settlement: paid out from a named account
(refused whole when it holds less) or added to savings."""

from datetime import date
from decimal import Decimal

import pytest
import time_machine

from core.exceptions import ConflictError, PermissionDeniedError, ValidationFailed
from finance import chart
from finance.models import JournalEntry, LedgerAccount, Posting
from finance.selectors import trial_balance_get
from investments.choices import OptionKind
from investments.exceptions import ProfitError
from investments.models import ProfitShare, ShareChoice, ShareStatus
from investments.services.maturity import holdings_mature_due
from investments.services.profits import (
    profit_declare_from_holding,
    profit_settle,
    profit_share_choose,
)
from tests.investments.fixtures import make_club, option, pay_in, place
from tests.investments.profit_fixtures import declare, income_realise, profit_rules_adopt, save

pytestmark = pytest.mark.django_db


@pytest.fixture
def declared(club):
    """The chair saved 3,000 and the member 1,000 (cash); 400.00 of income is declared."""
    save(club.chair, "3000")
    save(club.member, "1000")
    income_realise(club, gross="400.00")
    profit_rules_adopt(club, payout="member_choice")
    return declare(club, "400.00")


def share_of(declaration, member):
    return ProfitShare.objects.get(declaration=declaration, membership=member)


def legs(entry):
    return sorted(
        (p.side, p.account.code, p.account.member_id, p.amount)
        for p in Posting.objects.filter(entry=entry).select_related("account")
    )


def held(chama, code, member=None):
    return LedgerAccount.objects.get(chama=chama, code=code, member=member).cached_balance


def test_choosing_savings_credits_the_share_at_once(club, declared):
    share = share_of(declared, club.member)

    share = profit_share_choose(share=share, acting=club.member, choice="savings")

    assert share.status == ShareStatus.SAVED
    assert share.chosen_by == club.member
    assert legs(share.settled_entry) == [
        ("C", chart.MEMBER_SAVINGS, club.member.pk, Decimal("100.00")),
        ("D", chart.PROFIT_PAYABLE, club.member.pk, Decimal("100.00")),
    ]
    assert held(club.chama, chart.PROFIT_PAYABLE, club.member) == Decimal("0.00")


def test_the_choice_is_made_once(club, declared):
    share = share_of(declared, club.member)
    profit_share_choose(share=share, acting=club.member, choice="paid_out")
    before = JournalEntry.objects.count()

    with pytest.raises(ConflictError) as refused:
        profit_share_choose(share=share, acting=club.member, choice="savings")

    assert refused.value.code == "share_already_chosen"
    assert refused.value.message == (
        "This share has already been chosen (paid_out): the choice is made once."
    )
    assert share_of(declared, club.member).choice == ShareChoice.PAID_OUT
    assert JournalEntry.objects.count() == before


def test_an_official_chooses_for_a_member_and_a_member_not_for_another(club, declared):
    chair_share = share_of(declared, club.chair)

    with pytest.raises(PermissionDeniedError) as refused:
        profit_share_choose(share=chair_share, acting=club.member, choice="savings")
    assert refused.value.message == ProfitError.NOT_YOURS.message

    share = profit_share_choose(
        share=share_of(declared, club.member), acting=club.treasurer, choice="paid_out"
    )
    assert share.chosen_by == club.treasurer


def test_a_bad_choice_is_refused(club, declared):
    with pytest.raises(ValidationFailed) as refused:
        profit_share_choose(share=share_of(declared, club.member), acting=club.member, choice="x")
    assert refused.value.message == "Choose paid_out or savings."


def test_a_zero_share_has_nothing_to_choose(club, declared):
    with pytest.raises(ConflictError) as refused:
        profit_share_choose(
            share=share_of(declared, club.secretary), acting=club.secretary, choice="savings"
        )
    assert refused.value.code == "share_nothing_due"


def test_no_choice_where_the_constitution_decides(club):
    save(club.member, "1000")
    income_realise(club, gross="10.00")
    profit_rules_adopt(club, payout="paid_out")
    declaration = declare(club, "10.00")

    with pytest.raises(ConflictError) as refused:
        profit_share_choose(
            share=share_of(declaration, club.member), acting=club.member, choice="savings"
        )

    assert refused.value.message == (
        "The constitution decides how this profit reaches the members (paid_out): members do "
        "not choose."
    )


def test_the_treasurer_pays_the_chosen_and_saves_the_unchosen(club, declared):
    # The member chose to be paid; the chair did not choose. The cash box holds 4,000.
    member_share = share_of(declared, club.member)
    profit_share_choose(share=member_share, acting=club.member, choice="paid_out")

    profit_settle(declaration=declared, acting=club.treasurer, account="cash")

    member, chair = share_of(declared, club.member), share_of(declared, club.chair)
    assert member.status == ShareStatus.PAID
    assert member.paid_from == "cash"
    assert legs(member.settled_entry) == [
        ("C", chart.CASH, None, Decimal("100.00")),
        ("D", chart.PROFIT_PAYABLE, club.member.pk, Decimal("100.00")),
    ]
    assert chair.status == ShareStatus.SAVED
    assert chair.choice == ShareChoice.SAVINGS
    assert chair.chosen_by == club.treasurer
    assert legs(chair.settled_entry) == [
        ("C", chart.MEMBER_SAVINGS, club.chair.pk, Decimal("300.00")),
        ("D", chart.PROFIT_PAYABLE, club.chair.pk, Decimal("300.00")),
    ]
    assert held(club.chama, chart.CASH) == Decimal("3900.00")
    assert trial_balance_get(chama=club.chama) == Decimal("0.00")

    with pytest.raises(ConflictError) as refused:
        profit_settle(declaration=declared, acting=club.treasurer, account="cash")
    assert refused.value.message == "Every share of this declaration is settled."


def test_paying_out_more_than_the_account_holds_is_refused_and_writes_nothing(club):
    # The chair's 1,000 sits in cash; the bank holds only the 300.00 the holding paid in
    save(club.chair, "1000")
    income_realise(club, gross="300.00")
    profit_rules_adopt(club, payout="paid_out")
    declaration = declare(club, "300.00")
    share = share_of(declaration, club.chair)
    profit_settle(declaration=declaration, acting=club.treasurer, account="bank")
    assert held(club.chama, chart.BANK) == Decimal("0.00")
    income_realise(club, gross="50.00")
    save(club.chair, "1")
    second = declare(club, "50.00")
    before = JournalEntry.objects.count()
    # Cash holds 1,001.00, the bank 50.00; pay 50.00 from the paybill, which holds nothing

    with pytest.raises(ConflictError) as refused:
        profit_settle(declaration=second, acting=club.treasurer, account="paybill")

    assert refused.value.code == "insufficient_funds"
    assert "1010 M-Pesa paybill" in refused.value.message
    assert JournalEntry.objects.count() == before
    assert share_of(second, club.chair).settled_at is None
    assert share.settled_at is None  # the object read before; the row was settled
    assert share_of(declaration, club.chair).status == ShareStatus.PAID


def test_paying_out_needs_an_account_and_the_treasurer(club):
    save(club.chair, "1000")
    income_realise(club, gross="10.00")
    profit_rules_adopt(club, payout="paid_out")
    declaration = declare(club, "10.00")

    with pytest.raises(ValidationFailed) as refused:
        profit_settle(declaration=declaration, acting=club.treasurer)
    assert refused.value.code == "account_required"

    with pytest.raises(PermissionDeniedError) as refused_role:
        profit_settle(declaration=declaration, acting=club.chair, account="cash")
    assert refused_role.value.message == "Only the treasurer settles profit shares."


def test_the_maturity_hook_declares_a_holdings_income_once():
    # Given a 91-day bill of 100,000 face bought on 3 March 2025 at 16% for 96,163.98 with
    # 575.40 tax up front, by a chama whose member saved, matured on 2 June and kept
    with time_machine.travel(date(2025, 3, 1), tick=False):
        club = make_club()
        pay_in(club, "300000.00")
    with time_machine.travel(date(2025, 3, 3), tick=False):
        holding = place(club, option(OptionKind.TBILL_91, "0.16"), "100000.00")
    holdings_mature_due(on=date(2025, 6, 2))
    holding.refresh_from_db()
    profit_rules_adopt(club, payout="member_choice")

    # When its income is declared as the maturity job's distribute does
    declaration = profit_declare_from_holding(holding=holding, entry=holding.maturity_entry)

    # Then the discount less the tax paid up front goes to the one member with savings
    assert (declaration.gross, declaration.tax, declaration.net) == (
        Decimal("3836.02"),
        Decimal("575.40"),
        Decimal("3260.62"),
    )
    assert (declaration.declared_by, declaration.holding) == (None, holding)
    assert declaration.income_entry_id == holding.maturity_entry_id
    assert share_of(declaration, club.member).sentence == (
        "You earned KES 3,260.62 from the 91-day Treasury bill, net of KES 575.40 tax."
    )
    with pytest.raises(ConflictError) as refused:
        profit_declare_from_holding(holding=holding, entry=holding.maturity_entry)
    assert refused.value.message == ProfitError.ALREADY_DECLARED.message
