"""holding_place: the treasurer places the chama's money; the ledger books the confirmed
figures, or ours when none are given."""

from collections.abc import Iterator
from datetime import date
from decimal import Decimal

import pytest
import time_machine

from core.exceptions import ConflictError, PermissionDeniedError, ValidationFailed
from finance.models import JournalEntry, LedgerAccount
from investments.choices import HoldingStatus, OptionKind
from investments.exceptions import InvestmentError
from investments.models import Holding
from tests.investments.fixtures import (
    BANK,
    CASH,
    balance,
    fixed_deposit,
    legs,
    make_club,
    option,
    pay_in,
    place,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _on_a_monday() -> Iterator[None]:
    with time_machine.travel(date(2025, 3, 3), tick=False):
        yield


def nothing_written(chama: object) -> None:
    assert not Holding.objects.filter(chama=chama).exists()
    assert not LedgerAccount.objects.filter(chama=chama, holding_id__isnull=False).exists()
    assert not JournalEntry.objects.filter(
        chama=chama, entry_type__startswith="investment"
    ).exists()


def test_a_tbill_books_its_price_to_its_own_account_and_its_tax_up_front() -> None:
    # Given 300,000 in the bank and the 91-day bill at 16% a year
    club = make_club()
    pay_in(club, "300000.00")
    # When the treasurer buys 100,000 of face
    holding = place(club, option(OptionKind.TBILL_91, "0.16"), "100000.00")
    # Then the price is 100,000 / (1 + 0.16 * 91 / 365), the tax 15% of the discount,
    # worked here without the code under test
    price = (Decimal(100000) / (1 + Decimal("0.16") * 91 / 365)).quantize(Decimal("0.01"))
    assert price == Decimal("96163.98")
    tax = ((Decimal("100000.00") - price) * Decimal("0.15")).quantize(Decimal("0.01"))
    assert tax == Decimal("575.40")
    assert (holding.status, holding.cost, holding.tax_withheld_up_front) == (
        HoldingStatus.ACTIVE, price, tax,
    )  # fmt: skip
    assert (holding.computed_price, holding.computed_tax, holding.face) == (
        price, tax, Decimal("100000.00"),
    )  # fmt: skip
    assert holding.matures_on == date(2025, 6, 2)
    assert legs(holding.placement_entry_id) == [
        ("D", "1200", price),
        ("D", "5400", tax),
        ("C", BANK, price + tax),
    ]
    assert holding.ledger_account.holding_id == holding.pk
    holding.ledger_account.refresh_from_db()
    assert holding.ledger_account.cached_balance == price
    assert balance(club.chama, BANK) == Decimal("300000.00") - price - tax
    assert balance(club.chama, "1200") == Decimal("0.00")  # the chama-wide line is not used


def test_the_confirmed_figures_are_what_the_ledger_books() -> None:
    club = make_club()
    pay_in(club, "300000.00")
    holding = place(
        club,
        option(OptionKind.TBILL_91, "0.16"),
        "150000.00",
        confirmed_price=Decimal("144250.10"),
        confirmed_tax=Decimal("862.48"),
        broker_reference="DHOW-2025-0042",
    )
    assert (holding.cost, holding.tax_withheld_up_front) == (
        Decimal("144250.10"), Decimal("862.48"),
    )  # fmt: skip
    assert holding.computed_price != holding.cost
    assert legs(holding.placement_entry_id) == [
        ("D", "1200", Decimal("144250.10")),
        ("D", "5400", Decimal("862.48")),
        ("C", BANK, Decimal("145112.58")),
    ]


def test_a_fixed_deposit_pays_no_tax_up_front() -> None:
    club = make_club()
    pay_in(club, "60000.00", method="cash")
    holding = place(club, fixed_deposit(), "50000.00", paying_account_code=CASH)
    assert (holding.cost, holding.tax_withheld_up_front, holding.face) == (
        Decimal("50000.00"), Decimal("0.00"), None,
    )  # fmt: skip
    assert legs(holding.placement_entry_id) == [
        ("D", "1200", Decimal("50000.00")),
        ("C", CASH, Decimal("50000.00")),
    ]


def test_an_overdraft_is_refused_and_nothing_is_written() -> None:
    club = make_club()
    pay_in(club, "90000.00")
    with pytest.raises(ConflictError) as refused:
        place(club, option(), "100000.00")
    assert refused.value.code == "insufficient_funds"
    assert refused.value.message.startswith("1020 Bank account holds")
    nothing_written(club.chama)


@pytest.mark.parametrize(
    ("face", "error", "message"),
    [
        ("50000.00", InvestmentError.BELOW_MINIMUM,
         "The least 91-day Treasury bill takes is KES 100,000.00."),
        ("120000.00", InvestmentError.NOT_AN_INCREMENT,
         "Above KES 100,000.00, 91-day Treasury bill goes up in multiples of KES 50,000.00."),
        ("100000.001", InvestmentError.INVALID_AMOUNT,
         "An amount is positive, in whole cents, and at most 100,000,000.00."),
        ("-100000.00", InvestmentError.INVALID_AMOUNT,
         "An amount is positive, in whole cents, and at most 100,000,000.00."),
    ],
)  # fmt: skip
def test_a_face_off_the_steps_is_refused(face: str, error: InvestmentError, message: str) -> None:
    club = make_club()
    pay_in(club, "300000.00")
    with pytest.raises(ValidationFailed) as refused:
        place(club, option(), face)
    assert (refused.value.code, refused.value.message) == (error, message)
    nothing_written(club.chama)


@pytest.mark.parametrize("role", ["secretary", "auditor", "member"])
def test_only_the_treasurer_or_the_chair_places(role: str) -> None:
    club = make_club()
    pay_in(club, "300000.00")
    with pytest.raises(PermissionDeniedError) as refused:
        place(club, option(), "100000.00", acting=club.members[role])
    assert refused.value.message == (
        "Only the chama's treasurer or chair places and matures investments."
    )
    nothing_written(club.chama)


def test_the_chair_places_too() -> None:
    club = make_club()
    pay_in(club, "300000.00")
    assert place(club, option(), "100000.00", acting=club.chair).placed_by == club.chair


def test_a_proposal_is_placed_once() -> None:
    club = make_club()
    pay_in(club, "300000.00")
    proposal = "7b0e7c1e-3f5c-4d39-9d51-6a8c2f0e1a11"
    place(club, option(), "100000.00", proposal_id=proposal)
    with pytest.raises(ConflictError) as refused:
        place(club, option(), "100000.00", proposal_id=proposal)
    assert refused.value.message == "This proposal has already been placed."
    assert Holding.objects.filter(chama=club.chama).count() == 1


def test_a_confirmed_price_at_or_above_face_is_refused() -> None:
    club = make_club()
    pay_in(club, "300000.00")
    with pytest.raises(ValidationFailed) as refused:
        place(club, option(), "100000.00", confirmed_price=Decimal("100000.00"))
    assert refused.value.message == (
        "A T-bill's confirmed price is above 0 and below its face value of 100,000.00."
    )
    nothing_written(club.chama)


def test_a_future_date_and_a_bad_account_are_refused() -> None:
    club = make_club()
    pay_in(club, "300000.00")
    with pytest.raises(ValidationFailed) as refused:
        place(club, option(), "100000.00", placed_on=date(2025, 3, 4))
    assert refused.value.message == (
        "placed_on must lie between 2024-03-02 and today (2025-03-03)."
    )
    with pytest.raises(ValidationFailed) as refused:
        place(club, option(), "100000.00", paying_account_code="1090")
    assert refused.value.message == (
        "An investment is paid from the paybill (1010), the bank (1020) or cash (1030)."
    )
    nothing_written(club.chama)


def test_mpesa_is_refused_while_no_paybill_gateway_is_registered() -> None:
    club = make_club()
    pay_in(club, "300000.00", method="mpesa")
    from core.exceptions import UpstreamUnavailable
    from investments.choices import OptionKind as K

    with pytest.raises(UpstreamUnavailable) as refused:
        place(club, option(K.MONEY_MARKET, "0.12"), "5000.00", method="mpesa",
              paying_account_code="1010")  # fmt: skip
    assert refused.value.code == "gateway_unavailable"
    nothing_written(club.chama)
