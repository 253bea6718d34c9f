"""profit_declare: realised income split among the members exactly, its two entries, and
every refusal writing nothing."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from core.exceptions import ConflictError, PermissionDeniedError, ValidationFailed
from finance import chart
from finance.models import JournalEntry, LedgerAccount, Posting
from finance.selectors import trial_balance_get
from investments.exceptions import ProfitError
from investments.models import ProfitDeclaration, ProfitShare, ShareChoice, ShareStatus
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
    parts = zip(members, MONEY_MD_PARTS, strict=True)
    assert legs(declaration.entry) == sorted(
        [("D", chart.UNDISTRIBUTED_SURPLUS, None, Decimal("10000.00"))]
        + [("C", chart.PROFIT_PAYABLE, m.pk, Decimal(p)) for m, p in parts]
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


def test_contribution_days_weights_are_each_shilling_times_the_days_held(club):
    # Given, over 1 January to 31 March 2026:
    #   the chair saved 10,000 on 15 December 2025: held all 89 days of the period → 890,000
    #   the treasurer 5,000 on 1 February: 58 days to 31 March                     → 290,000
    #   the secretary 20,000 on 21 March: 10 days                                  → 200,000
    #   the auditor 3,000 on 15 April, after the period                            →       0
    #   the member nothing                                                         →       0
    save(club.chair, "10000", date(2025, 12, 15))
    save(club.treasurer, "5000", date(2026, 2, 1))
    save(club.secretary, "20000", date(2026, 3, 21))
    save(club.auditor, "3000", date(2026, 4, 15))
    income_realise(club, gross="1000.00")
    profit_rules_adopt(club, basis="contribution_days", payout="member_choice")

    # When 1,000.00 is declared for the quarter
    declaration = declare(club, "1000.00", start=date(2026, 1, 1), end=date(2026, 3, 31))

    # Then the weights are those, and 1,000.00 splits 644.93 · 210.14 · 144.93: exact parts
    # 644.927…, 210.144…, 144.927…; the two leftover cents go to the two equal largest
    # fractions (.7536 each), the larger weight first
    shares = list(declaration.shares.order_by("membership__seat"))
    assert [s.weight for s in shares] == [
        Decimal("890000"),
        Decimal("290000"),
        Decimal("200000"),
        Decimal("0"),
        Decimal("0"),
    ]
    assert [str(s.amount) for s in shares] == ["644.93", "210.14", "144.93", "0.00", "0.00"]
    assert declaration.total_weight == Decimal("1380000")
    # The members without weight get nothing, and no leg
    assert len(legs(declaration.entry)) == 4
    assert [s.status for s in shares[3:]] == [ShareStatus.NOTHING_DUE] * 2


def test_each_credit_counts_its_own_days(club):
    # 1,000 held from 1 March (30 days to the 31st), 500 more from the 21st (10 days); money
    # paid on the period's last day has been held no day of it
    save(club.chair, "1000", date(2026, 3, 1))
    save(club.chair, "500", date(2026, 3, 21))
    save(club.treasurer, "3000", date(2026, 3, 31))  # on the last day: held 0 days
    income_realise(club, gross="100.00")
    profit_rules_adopt(club, basis="contribution_days")

    declaration = declare(club, "100.00", start=date(2026, 3, 1), end=date(2026, 3, 31))

    chair, treasurer = declaration.shares.order_by("membership__seat")[:2]
    assert chair.weight == Decimal(1000 * 30 + 500 * 10)
    assert treasurer.weight == Decimal("0")
    assert chair.amount == Decimal("100.00")


def test_equal_remainders_go_to_the_earlier_seat(club):
    # Three equal savers: 100.00 is 33.333… each; the one leftover cent goes to seat 1
    for member in (club.chair, club.treasurer, club.secretary):
        save(member, "100")
    income_realise(club, gross="100.00")
    profit_rules_adopt(club)

    declaration = declare(club, "100.00")

    amounts = [s.amount for s in declaration.shares.order_by("membership__seat")]
    assert amounts[:3] == [Decimal("33.34"), Decimal("33.33"), Decimal("33.33")]


def test_equal_remainders_go_to_the_larger_weight_before_the_earlier_seat(club):
    # 0.05 over 100 / 300 / 600 is 0.5 / 1.5 / 3.0 cents: seats 1 and 2 tie on .5, the cent
    # goes to seat 2's larger weight; seat 1's part is zero and gets no leg
    for member, amount in ((club.chair, "100"), (club.treasurer, "300"), (club.secretary, "600")):
        save(member, amount)
    income_realise(club, gross="0.05")
    profit_rules_adopt(club)

    declaration = declare(club, "0.05")

    amounts = [s.amount for s in declaration.shares.order_by("membership__seat")]
    assert amounts[:3] == [Decimal("0.00"), Decimal("0.02"), Decimal("0.03")]
    assert len(legs(declaration.entry)) == 3  # Dr 3300 and two credits


def test_under_the_savings_rule_each_part_goes_to_savings_at_once(club):
    save(club.chair, "3000")
    save(club.treasurer, "1000")
    income_realise(club, gross="500.00", tax="75.00")
    profit_rules_adopt(club, payout="savings")

    declaration = declare(club, "400.00", "60.00")

    chair, treasurer = declaration.shares.order_by("membership__seat")[:2]
    assert (chair.amount, treasurer.amount) == (Decimal("300.00"), Decimal("100.00"))
    assert chair.status == treasurer.status == ShareStatus.SAVED
    assert chair.settled_entry_id == treasurer.settled_entry_id
    assert legs(chair.settled_entry) == sorted(
        [
            ("D", chart.PROFIT_PAYABLE, club.chair.pk, Decimal("300.00")),
            ("C", chart.MEMBER_SAVINGS, club.chair.pk, Decimal("300.00")),
            ("D", chart.PROFIT_PAYABLE, club.treasurer.pk, Decimal("100.00")),
            ("C", chart.MEMBER_SAVINGS, club.treasurer.pk, Decimal("100.00")),
        ]
    )
    assert balance(club.chama, chart.PROFIT_PAYABLE, club.chair) == Decimal("0.00")
    # What stays undeclared: 500 - 75 realised, 400 declared → 25.00 net (gross 40, tax 15)
    assert balance(club.chama, chart.INVESTMENT_INCOME) == Decimal("40.00")
    assert balance(club.chama, chart.WITHHOLDING_TAX) == Decimal("15.00")
    assert trial_balance_get(chama=club.chama) == Decimal("0.00")


def test_under_the_paid_out_rule_the_parts_await_the_treasurer(club):
    save(club.chair, "1000")
    income_realise(club, gross="10.00")
    profit_rules_adopt(club, payout="paid_out")

    declaration = declare(club, "10.00")

    share = declaration.shares.get(membership=club.chair)
    assert share.choice == ShareChoice.PAID_OUT
    assert share.status == ShareStatus.AWAITING_PAYMENT


def nothing_written(club, before):
    assert ProfitDeclaration.objects.count() == 0
    assert ProfitShare.objects.count() == 0
    assert JournalEntry.objects.filter(chama=club.chama).count() == before


@pytest.mark.parametrize(
    ("net", "tax", "error"),
    [
        ("-5.00", "0.00", ProfitError.INVALID_NET),
        ("0.00", "0.00", ProfitError.INVALID_NET),
        ("10.001", "0.00", ProfitError.INVALID_NET),
        ("10.00", "-1.00", ProfitError.INVALID_TAX),
    ],
)
def test_bad_amounts_are_refused(club, net, tax, error):
    save(club.chair, "1000")
    income_realise(club, gross="100.00")
    before = JournalEntry.objects.filter(chama=club.chama).count()

    with pytest.raises(ValidationFailed) as refused:
        declare(club, net, tax)

    assert refused.value.code == error
    assert refused.value.message == error.render(maximum="100,000,000.00")
    nothing_written(club, before)


def test_more_than_the_income_realised_is_refused(club):
    save(club.chair, "1000")
    income_realise(club, gross="1000.00", tax="150.00")
    before = JournalEntry.objects.filter(chama=club.chama).count()

    with pytest.raises(ConflictError) as refused:
        declare(club, "850.01", "150.00")

    assert refused.value.code == "profit_exceeds_income"
    assert refused.value.message == (
        "Only KES 850.00 of investment income (net of withholding tax) is realised and not yet "
        "declared; 850.01 cannot be declared."
    )
    nothing_written(club, before)


def test_more_tax_than_booked_is_refused(club):
    save(club.chair, "1000")
    income_realise(club, gross="1000.00", tax="100.00")

    with pytest.raises(ConflictError) as refused:
        declare(club, "700.00", "200.00")

    assert refused.value.message == (
        "Only KES 100.00 of withholding tax is booked and not yet declared; 200.00 cannot be "
        "declared with this income."
    )


def test_income_declared_once_is_not_declared_again(club):
    save(club.chair, "1000")
    income_realise(club, gross="100.00")
    declare(club, "100.00")
    before = JournalEntry.objects.filter(chama=club.chama).count()

    with pytest.raises(ConflictError) as refused:
        declare(club, "0.01")

    assert refused.value.message == (
        "Only KES 0.00 of investment income (net of withholding tax) is realised and not yet "
        "declared; 0.01 cannot be declared."
    )
    assert JournalEntry.objects.filter(chama=club.chama).count() == before


def test_no_member_with_savings_is_refused(club):
    income_realise(club, gross="100.00")
    before = JournalEntry.objects.filter(chama=club.chama).count()

    with pytest.raises(ConflictError) as refused:
        declare(club, "100.00")

    assert refused.value.code == "no_profit_weight"
    assert refused.value.message == ProfitError.NO_WEIGHT.message
    nothing_written(club, before)


@pytest.mark.parametrize(
    ("start", "end"),
    [
        (date(2026, 3, 2), date(2026, 3, 1)),
        (date(2026, 1, 1), None),  # tomorrow
    ],
)
def test_a_period_backwards_or_in_the_future_is_refused(club, start, end):
    save(club.chair, "1000")
    income_realise(club, gross="100.00")
    end = end or timezone.localdate() + timedelta(days=1)

    with pytest.raises(ValidationFailed) as refused:
        declare(club, "100.00", start=start, end=end)

    assert refused.value.message == ProfitError.INVALID_PERIOD.message


def test_a_blank_source_is_refused(club):
    with pytest.raises(ValidationFailed) as refused:
        declare(club, "1.00", source="   ")

    assert refused.value.message == (
        'Name where the income came from (such as "91-day T-bill"), in at most 80 characters.'
    )


@pytest.mark.parametrize("role", ["secretary", "auditor", "member"])
def test_only_the_chair_or_the_treasurer_declares(club, role):
    save(club.chair, "1000")
    income_realise(club, gross="100.00")

    with pytest.raises(PermissionDeniedError) as refused:
        declare(club, "100.00", acting=club.members[role])

    assert refused.value.message == "Only the chair or the treasurer declares profit."
    assert ProfitDeclaration.objects.count() == 0


def test_the_chair_declares_too(club):
    save(club.chair, "1000")
    income_realise(club, gross="100.00")

    declaration = declare(club, "100.00", acting=club.chair)

    assert declaration.declared_by == club.chair
