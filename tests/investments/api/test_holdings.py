"""chamas/{id}/investments/: the contract of the placement, the holding and its maturity."""

from datetime import date
from decimal import Decimal

import pytest
import time_machine

from finance.models import JournalEntry
from investments.choices import OptionKind
from investments.models import Holding
from tests.investments.fixtures import option, pay_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def bill(club):
    pay_in(club, "300000.00")
    return option(OptionKind.TBILL_91, "0.16")


def placement(bill, **overrides):
    body = {"option_id": str(bill.pk), "amount": "100000.00", "paying_account": "1020"}
    body.update(overrides)
    return body


def errors(response):
    return [(e["code"], e["detail"], e["attr"]) for e in response.json()["errors"]]


def test_the_treasurer_records_a_tbill_bought_through_the_broker(club, bill):
    with time_machine.travel(date(2025, 3, 3), tick=False):
        response = club.fresh("treasurer").post(
            f"{club.base}/investments/",
            placement(bill, confirmed_price="96160.00", broker_reference="DHOW-77"),
            format="json",
        )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert {k: body[k] for k in (
        "kind", "status", "method", "paying_account", "placed_on", "matures_on", "face",
        "computed_price", "computed_tax", "confirmed_price", "price_difference", "cost",
        "tax_withheld_up_front", "carrying_value", "expected_proceeds", "annual_rate",
        "broker_reference",
    )} == {
        "kind": "tbill_91", "status": "active", "method": "manual", "paying_account": "1020",
        "placed_on": "2025-03-03", "matures_on": "2025-06-02", "face": "100000.00",
        "computed_price": "96163.98", "computed_tax": "575.40", "confirmed_price": "96160.00",
        "price_difference": "-3.98", "cost": "96160.00", "tax_withheld_up_front": "576.00",
        "carrying_value": "96160.00", "expected_proceeds": "100000.00",
        "annual_rate": "0.160000", "broker_reference": "DHOW-77",
    }  # fmt: skip
    listed = club.clients["member"].get(f"{club.base}/investments/").json()
    assert [h["id"] for h in listed["results"]] == [body["id"]]


def test_maturing_twice_is_refused_and_writes_nothing(club, bill):
    with time_machine.travel(date(2025, 3, 3), tick=False):
        made = club.fresh("chair").post(f"{club.base}/investments/", placement(bill), format="json")
    url = f"{club.base}/investments/{made.json()['id']}/mature/"
    with time_machine.travel(date(2025, 6, 2), tick=False):
        first = club.fresh("treasurer").post(
            url, {"confirmed_proceeds": "100000.00"}, format="json"
        )
        assert first.status_code == 200, first.json()
        assert (first.json()["status"], first.json()["income"]) == ("matured", "3836.02")
        entries = JournalEntry.objects.count()
        again = club.fresh("treasurer").post(url, {}, format="json")
    assert again.status_code == 409
    assert errors(again) == [
        (
            "already_matured",
            "This holding already matured on 2025-06-02: nothing was written.",
            None,
        )
    ]
    assert JournalEntry.objects.count() == entries


@pytest.mark.parametrize(
    ("overrides", "status", "error"),
    [
        ({"amount": "50000.00"}, 400, ("below_minimum",
          "The least 91-day Treasury bill takes is KES 100,000.00.", "amount")),
        ({"amount": "120000.00"}, 400, ("not_an_increment",
          "Above KES 100,000.00, 91-day Treasury bill goes up in multiples of KES 50,000.00.",
          "amount")),
        ({"amount": "350000.00"}, 409, ("insufficient_funds", None, None)),
        ({"option_id": "00000000-0000-4000-8000-000000000000"}, 400, ("unknown_option",
          "There is no active investment option with this id.", "option_id")),
        ({"paying_account": "1090"}, 400, ("invalid_choice", None, "paying_account")),
        ({"amount": "-5.00"}, 400, ("min_value", None, "amount")),
    ],
)  # fmt: skip
def test_bad_input_is_refused_and_writes_nothing(club, bill, overrides, status, error):
    response = club.clients["treasurer"].post(
        f"{club.base}/investments/", placement(bill, **overrides), format="json"
    )
    assert response.status_code == status, response.json()
    (code, detail, attr) = errors(response)[0]
    assert (code, attr) == (error[0], error[2])
    if error[1] is not None:
        assert detail == error[1]
    assert not Holding.objects.exists()
    assert not JournalEntry.objects.filter(entry_type__startswith="investment").exists()


def test_an_unknown_holding_is_404_before_the_body_is_read(club):
    response = club.clients["treasurer"].post(
        f"{club.base}/investments/00000000-0000-4000-8000-000000000000/mature/",
        {"confirmed_proceeds": "x"},
        format="json",
    )
    assert response.status_code == 404


def test_options_show_their_rate_history(club):
    bill = option(OptionKind.TBILL_91, "0.16")
    with time_machine.travel(date(2025, 3, 3), tick=False):
        response = club.fresh("member").get(f"/api/v1/investment-options/{bill.pk}/")
    assert response.status_code == 200
    got = response.json()
    assert (got["name"], got["minimum"], got["increment"], got["term_days"]) == (
        "91-day Treasury bill", "100000.00", "50000.00", 91,
    )  # fmt: skip
    assert got["current_rate"] == "0.160000"
    assert got["rates"][0] == {"effective_from": "2025-01-01", "annual_rate": "0.160000"}
    assert Decimal(got["rates"][-1]["annual_rate"]) == Decimal("0.1598")
