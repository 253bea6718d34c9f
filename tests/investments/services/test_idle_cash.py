"""Idle cash from the ledger: the 30-day floor of the cash-like accounts less what the chama
must keep (tests/investments/idle_fixtures.py lives Umoja's month)."""

from datetime import timedelta
from decimal import Decimal

import pytest

from bench.idle_cash import chamas_generate
from finance.choices import PaymentMethod
from finance.services.contributions import contribution_record
from governance.services.expenses import expense_approve, expense_pay
from investments.selectors.idle_cash import idle_cash_compute, idle_cash_for
from tests.finance.welfare import claim_history
from tests.governance.expenses_fixtures import expense_record
from tests.investments.idle_fixtures import TODAY, at, investment_rules_adopt, pay, rotating_club

pytestmark = pytest.mark.django_db


def test_the_floor_is_the_dip_and_everything_kept_is_subtracted(umoja):
    found = idle_cash_for(umoja.chama, on=TODAY)

    assert found.cash_like == Decimal("290000.00")
    assert found.floor_30d == Decimal("210000.00")  # the day the hall was paid
    assert found.kept == {
        "pots": Decimal("60000.00"),  # rounds 1 and 2: five dues of 6,000 each
        "approved_loans": Decimal("20000.00"),
        "approved_expenses": Decimal("7500.00"),
        "welfare_buffer": Decimal("5000.00"),
        "reserve": Decimal("10000.00"),
    }
    assert found.kept_total == Decimal("102500.00")
    assert found.idle == Decimal("107500.00")


def test_the_floor_rises_once_the_window_has_passed_every_low_day(umoja):
    # The chama closed at 210,000 from the hall's day (TODAY - 20) until the treasurer's
    # deposit (TODAY - 10). While the 30 days reach back before the deposit, that is the floor.
    def floor(days: int) -> Decimal:
        return idle_cash_for(umoja.chama, on=TODAY + timedelta(days=days)).floor_30d

    assert floor(18) == Decimal("210000.00")  # the window starts on TODAY - 11
    assert floor(19) == Decimal("290000.00")  # it starts on the deposit's day


def test_a_past_day_is_read_back_from_today_balance(umoja):
    # On TODAY - 15 the chama closed at 210,000; its 30 days (from TODAY - 44) reach back
    # before the first payment (TODAY - 40), when it held nothing.
    found = idle_cash_for(umoja.chama, on=TODAY - timedelta(days=15))

    assert found.cash_like == Decimal("210000.00")
    assert found.floor_30d == Decimal("0.00")
    assert found.idle == Decimal("0.00")  # never below zero
    # Thirty days after the first payment, the floor is the dip.
    assert idle_cash_for(umoja.chama, on=TODAY - timedelta(days=11)).floor_30d == Decimal(
        "210000.00"
    )


def test_many_chamas_at_once_agree_with_each_alone(umoja, client_for):
    with at(TODAY - timedelta(days=35)):
        other = rotating_club(client_for, name="Jamii Savers")
        pay(other, "member", "90000.00", method=PaymentMethod.MPESA, receipt="JMS0000001")
    with at(TODAY - timedelta(days=3)):
        fuel = expense_record(other, amount="12000.00")
        expense_approve(expense=fuel, acting=other.secretary)
        expense_pay(expense=fuel, acting=other.treasurer, account="paybill")
    with at(TODAY):
        investment_rules_adopt(other, reserve="1000.00")

    both = idle_cash_compute([umoja.chama, other.chama], on=TODAY)

    assert both[umoja.chama.pk] == idle_cash_for(umoja.chama, on=TODAY)
    assert both[other.chama.pk].cash_like == Decimal("78000.00")
    assert both[other.chama.pk].floor_30d == Decimal("78000.00")
    assert both[other.chama.pk].idle == Decimal("77000.00")  # no cycle, loan or buffer


def test_a_chama_with_no_money_has_no_idle_cash(client_for, db):
    club = rotating_club(client_for, name="Mwanzo")

    found = idle_cash_for(club.chama, on=TODAY)

    assert (found.cash_like, found.floor_30d, found.kept_total, found.idle) == (
        Decimal("0.00"),
        Decimal("0.00"),
        Decimal("0.00"),
        Decimal("0.00"),
    )


# --- the welfare buffer: the forecast's when the claim history allows one ----------------------


def test_the_welfare_forecast_buffer_is_kept_when_the_history_allows_one():
    # The chama of tests/finance/test_welfare_forecast.py (seven claims over 400 days): its
    # 90-day buffer is 20,962.53. Forty days ago a member paid 100,000 into the cash box.
    book = claim_history(TODAY)
    with at(TODAY - timedelta(days=40)):
        contribution_record(
            chama=book.chama,
            membership=book.member,
            amount=Decimal("100000.00"),
            method=PaymentMethod.CASH,
        )

    found = idle_cash_for(book.chama, on=TODAY)

    assert found.welfare_source == "history"
    assert found.floor_30d == Decimal("100000.00")
    assert found.kept == {
        "pots": Decimal("4800.00"),  # two rounds of four 600 rotation parts
        "approved_loans": Decimal("0.00"),
        "approved_expenses": Decimal("0.00"),
        "welfare_buffer": Decimal("20962.53"),
        "reserve": Decimal("0.00"),
    }
    assert found.idle == Decimal("74237.47")  # 100,000 - 4,800 - 20,962.53


def test_a_thin_history_keeps_the_constitution_buffer_and_says_so(umoja):
    # Umoja began forty days ago: too young to forecast; its constitution keeps 5,000.
    found = idle_cash_for(umoja.chama, on=TODAY)

    assert (found.welfare_source, found.kept["welfare_buffer"]) == (
        "constitution",
        Decimal("5000.00"),
    )


def test_the_buffer_costs_two_queries_for_one_chama_as_for_many(django_assert_num_queries):
    books = [claim_history(TODAY), claim_history(TODAY, began=250)]
    generated = chamas_generate(20, on=TODAY, prefix="W")
    one = [books[0].chama]
    many = [*one, books[1].chama, *generated]

    # accounts, cash-like postings by day, pots, approved loans, the constitutions (2), the
    # granted welfare claims by day and the welfare policies
    with django_assert_num_queries(8):
        alone = idle_cash_compute(one, on=TODAY)
    with django_assert_num_queries(8):
        together = idle_cash_compute(many, on=TODAY)

    assert together[books[0].chama.pk] == alone[books[0].chama.pk]
    assert {found.welfare_source for found in together.values()} == {"history", "none"}
