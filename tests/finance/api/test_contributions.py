"""chamas/{id}/contributions/: the contract, bad input, filters and query counts."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from finance.choices import PaymentMethod
from finance.models import Contribution, JournalEntry
from finance.services.contributions import contribution_record
from tests.factories import make_chama
from tests.finance.factories import pay_by_mpesa

pytestmark = pytest.mark.django_db


def codes(response):
    return [(e["attr"], e["code"]) for e in response.json()["errors"]]


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ({"amount": "0.00"}, [("amount", "min_value")]),
        ({"amount": "-5.00"}, [("amount", "min_value")]),
        ({"amount": "10.005"}, [("amount", "max_decimal_places")]),
        ({"amount": "100000000.01"}, [("amount", "max_value")]),
        ({"amount": "ten"}, [("amount", "invalid")]),
        ({"method": "cheque"}, [("method", "invalid_choice")]),
        ({"status": "reversed"}, [("status", "invalid_choice")]),
        ({"member_id": "not-a-uuid"}, [("member_id", "invalid")]),
        ({"mpesa_receipt": None}, [("mpesa_receipt", "null")]),
        ({"mpesa_receipt": "SHORT"}, [("mpesa_receipt", "invalid_receipt")]),
        (
            {"method": "cash", "mpesa_receipt": "QKJ7X8Y9Z0"},
            [("mpesa_receipt", "receipt_not_mpesa")],
        ),
        ({"status": "pending"}, [("status", "pending_mpesa")]),
        ({"entry_id": "x"}, [("entry_id", "unknown_field")]),
    ],
)
def test_bad_input_is_a_400_naming_the_field_and_writes_nothing(books, body, expected):
    member = books["seats"][3]
    payload = {
        "member_id": str(member.pk),
        "amount": "1000.00",
        "method": "mpesa",
        "mpesa_receipt": "QKJ7X8Y9Z0",
        **body,
    }

    response = books["clients"]["treasurer"].post(f"{books['base']}/contributions/", payload)

    assert response.status_code == 400
    assert codes(response) == expected
    assert (Contribution.objects.count(), JournalEntry.objects.count()) == (0, 0)


def test_a_member_of_another_chama_is_unknown_here(books):
    stranger = make_chama(name="Other Group").memberships.get()

    response = books["clients"]["treasurer"].post(
        f"{books['base']}/contributions/",
        {"member_id": str(stranger.pk), "amount": "1000.00", "method": "cash"},
    )

    assert response.status_code == 400
    assert codes(response) == [("member_id", "unknown_member")]
    assert Contribution.objects.count() == 0


@pytest.mark.parametrize("body", [[], "text", {"amount": {"nested": 1}}])
def test_wrong_shapes_are_400_not_500(books, body):
    response = books["clients"]["treasurer"].post(
        f"{books['base']}/contributions/", body, format="json"
    )

    assert response.status_code == 400
    assert response.json()["type"] == "validation_error"


def test_pending_cash_is_confirmed_then_reversed_by_the_treasurer(books):
    member = books["seats"][3]
    clients = books["clients"]
    created = clients["secretary"].post(
        f"{books['base']}/contributions/",
        {"member_id": str(member.pk), "amount": "1000.00", "method": "cash", "status": "pending"},
    )
    assert created.status_code == 201
    url = f"{books['base']}/contributions/{created.json()['id']}/"
    assert created.json()["entry_id"] is None

    assert clients["secretary"].post(f"{url}confirm/").status_code == 403
    confirmed = clients["treasurer"].post(f"{url}confirm/")
    assert confirmed.status_code == 200
    assert confirmed.json()["status"] == "confirmed"
    again = clients["treasurer"].post(f"{url}confirm/")
    assert (again.status_code, codes(again)) == (409, [(None, "not_pending")])

    missing_reason = clients["treasurer"].post(f"{url}reverse/", {})
    assert codes(missing_reason) == [("reason", "required")]
    reversed_ = clients["chair"].post(f"{url}reverse/", {"reason": "Counted twice"})
    assert reversed_.status_code == 200
    body = reversed_.json()
    assert (body["status"], body["reversal_reason"]) == ("reversed", "Counted twice")
    assert body["reversal_entry_id"] is not None
    twice = clients["chair"].post(f"{url}reverse/", {"reason": "again"})
    assert (twice.status_code, codes(twice)) == (409, [(None, "already_reversed")])


def test_filters(books):
    chama, seats = books["chama"], books["seats"]
    pay_by_mpesa(chama, seats, "1000.00", "RF1234567")
    contribution_record(
        chama=chama,
        membership=seats[0],
        amount=Decimal("50.00"),
        method=PaymentMethod.CASH,
        status="pending",
    )
    url = f"{books['base']}/contributions/"
    client = books["clients"]["member"]

    def count(**params):
        return client.get(url, params).json()["count"]

    assert count() == 5
    assert count(member=str(seats[0].pk)) == 2
    assert count(status="pending") == 1
    assert count(method="mpesa") == 4
    assert count(round=str(books["round1"].pk)) == 4
    assert count(round=str(books["cycle"].rounds.get(number=2).pk)) == 0
    assert count(paid_from="2099-01-01") == 0


def test_the_list_costs_the_same_queries_however_many_rows(books):
    chama, seats = books["chama"], books["seats"]
    client = books["clients"]["member"]
    url = f"{books['base']}/contributions/"

    def queries():
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        return len(ctx.captured_queries)

    contribution_record(
        chama=chama,
        membership=seats[0],
        amount=Decimal("1000.00"),
        method=PaymentMethod.MPESA,
        mpesa_receipt="RQ10000000",
    )
    few = queries()
    for i in range(1, 12):
        contribution_record(
            chama=chama,
            membership=seats[i % 4],
            amount=Decimal("100.00"),
            method=PaymentMethod.MPESA,
            mpesa_receipt=f"RQ1000{i:04d}",
        )
    many = queries()

    assert few == many == 3  # user, caller's membership, page with its count


def test_an_idempotency_key_makes_a_retry_return_the_first_contribution(books):
    member = books["seats"][3]
    client = books["clients"]["treasurer"]
    url = f"{books['base']}/contributions/"
    body = {"member_id": str(member.pk), "amount": "1000.00", "method": "cash"}

    first = client.post(url, body, format="json", HTTP_IDEMPOTENCY_KEY="slip-0042")
    retry = client.post(url, body, format="json", HTTP_IDEMPOTENCY_KEY="slip-0042")

    assert (first.status_code, retry.status_code) == (201, 201)
    assert retry.json() == first.json()
    assert Contribution.objects.count() == 1
    assert JournalEntry.objects.count() == 1

    changed = client.post(
        url, {**body, "amount": "900.00"}, format="json", HTTP_IDEMPOTENCY_KEY="slip-0042"
    )
    assert (changed.status_code, codes(changed)) == (409, [(None, "idempotency_mismatch")])
    assert Contribution.objects.count() == 1

    too_long = client.post(url, body, format="json", HTTP_IDEMPOTENCY_KEY="k" * 101)
    assert codes(too_long) == [("Idempotency-Key", "invalid_idempotency_key")]

    without_key = client.post(url, body, format="json")
    assert without_key.status_code == 201
    assert Contribution.objects.count() == 2
