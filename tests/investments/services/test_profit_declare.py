"""profit_declare: realised income split among the members exactly, its two entries, and
every refusal writing nothing."""

from decimal import Decimal

import pytest

from finance import chart
from finance.models import LedgerAccount, Posting
from finance.selectors import trial_balance_get
from investments.models import ShareChoice, ShareStatus
from tests.factories import add_member
from tests.investments.profit_fixtures import (
    MONEY_MD_PARTS,
    MONEY_MD_WEIGHTS,
    declare,
    income_realise,
    profit_rules_adopt,
    save,
)

pytestmark = pytest.mark.django_db


def seven_members(club):
    """The club's five and two more, seats 1 to 7, who saved money.md's amounts."""
    members = [club.chair, club.treasurer, club.secretary, club.auditor, club.member]
    members += [add_member(club.chama), add_member(club.chama)]
    for member, amount in zip(members, MONEY_MD_WEIGHTS, strict=True):
        save(member, amount)
    return sorted(members, key=lambda m: m.seat)


def balance(chama, code, member=None):
    account = LedgerAccount.objects.get(chama=chama, code=code, member=member)
    return -account.cached_balance if code[0] in "234" else account.cached_balance


def legs(entry):
    return sorted(
        (p.side, p.account.code, p.account.member_id, p.amount)
        for p in Posting.objects.filter(entry=entry).select_related("account")
    )


def test_money_md_split_through_the_service(club):
    # Given seven members who saved 36,000 … 10,500 and a T-bill that realised 10,217.86 gross
    members = seven_members(club)
    assert [m.seat for m in members] == [1, 2, 3, 4, 5, 6, 7]
    income_realise(club, gross="11000.00", tax="1000.00")
    profit_rules_adopt(club, basis="savings", payout="member_choice")

    # When the treasurer declares 10,000.00 net of 1,000.00 tax
    declaration = declare(club, "10000.00", "1000.00")

    # Then the parts are money.md's, in seat order, and sum exactly
    shares = list(declaration.shares.order_by("membership__seat"))
    assert [str(s.amount) for s in shares] == MONEY_MD_PARTS
    assert sum(s.amount for s in shares) == Decimal("10000.00")
    assert [s.weight for s in shares] == [Decimal(w) for w in MONEY_MD_WEIGHTS]
    assert sum(s.tax for s in shares) == Decimal("1000.00")
    assert declaration.gross == Decimal("11000.00")
    assert declaration.total_weight == Decimal("210000")
    # The closing entry: Dr 4300 gross · Cr 5400 tax, 3300 net
    assert legs(declaration.closing_entry) == [
        ("C", chart.UNDISTRIBUTED_SURPLUS, None, Decimal("10000.00")),
        ("C", chart.WITHHOLDING_TAX, None, Decimal("1000.00")),
        ("D", chart.INVESTMENT_INCOME, None, Decimal("11000.00")),
    ]
    # The declaration: Dr 3300 · Cr 2300-M, one leg per member
    assert legs(declaration.entry) == sorted(
        [("D", chart.UNDISTRIBUTED_SURPLUS, None, Decimal("10000.00"))]
        + [("C", chart.PROFIT_PAYABLE, m.pk, Decimal(p)) for m, p in zip(members, MONEY_MD_PARTS)]
    )
    for member, part in zip(members, MONEY_MD_PARTS, strict=True):
        assert balance(club.chama, chart.PROFIT_PAYABLE, member) == Decimal(part)
    assert balance(club.chama, chart.UNDISTRIBUTED_SURPLUS) == Decimal("0.00")
    assert balance(club.chama, chart.INVESTMENT_INCOME) == Decimal("0.00")
    assert balance(club.chama, chart.WITHHOLDING_TAX) == Decimal("0.00")
    assert trial_balance_get(chama=club.chama) == Decimal("0.00")
    assert {s.choice for s in shares} == {ShareChoice.PENDING}
    assert {s.status for s in shares} == {ShareStatus.AWAITING_CHOICE}
    assert shares[3].sentence == (
        "You earned KES 2,214.29 from the 91-day T-bill, net of KES 221.43 tax."
    )
