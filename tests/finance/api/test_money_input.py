"""Money is exact or refused: a JSON number is read as a decimal, never through binary float;
only ASCII digits are numbers."""

from decimal import Decimal

import pytest

from finance.models import Contribution

pytestmark = pytest.mark.django_db


def record(books, amount):
    return books["clients"]["treasurer"].post(
        f"{books['base']}/contributions/",
        {"member_id": str(books["seats"][3].pk), "amount": amount, "method": "cash"},
        format="json",
    )


@pytest.mark.parametrize(
    ("amount", "expected"),
    [(100.1, "100.10"), (250, "250.00"), ("99.5", "99.50"), (0.3, "0.30")],
)
def test_a_json_number_is_read_exactly(books, amount, expected):
    response = record(books, amount)

    assert response.status_code == 201, response.json()
    assert response.json()["amount"] == expected
    assert Contribution.objects.get().amount == Decimal(expected)


@pytest.mark.parametrize(
    ("amount", "code"),
    [
        (100.123, "max_decimal_places"),  # never rounded to 100.12
        ("100.123", "max_decimal_places"),
        ("\u0661\u0660\u0660", "invalid"),  # Arabic-Indic digits
        ("\u0967\u0966\u0966", "invalid"),  # Devanagari digits
        ("1e3", "invalid"),
        ("100 .00", "invalid"),
        ("0x64", "invalid"),
        # one spelling of an amount, as the schema's pattern states it
        ("+100", "invalid"),
        (" 100", "invalid"),
        ("100 ", "invalid"),
        ("100.", "invalid"),
        (".5", "invalid"),
        ("0100", "invalid"),
        ("1,000", "invalid"),
        (True, "invalid"),
        ("", "invalid"),
    ],
)
def test_inexact_or_foreign_amounts_are_refused_and_write_nothing(books, amount, code):
    response = record(books, amount)

    assert response.status_code == 400
    assert [(e["attr"], e["code"]) for e in response.json()["errors"]] == [("amount", code)]
    assert Contribution.objects.count() == 0


def test_the_refusal_names_the_digits_to_use(books):
    response = record(books, "\u0661\u0660\u0660")

    assert response.json()["errors"][0]["detail"] == (
        'A number is required, written with the digits 0-9 (e.g. "1500.00").'
    )
