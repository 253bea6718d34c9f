"""chamas/{chama_id}/fines/: the contract, the permission matrix of every endpoint and the
list's query count."""

from decimal import Decimal as D

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from finance.choices import EntryType
from finance.models import Fine, FinePayment, JournalEntry
from finance.services.fines import fine_issue
from tests.factories import UserFactory
from tests.finance.fines import fine_book, fined, save
from tests.permission_matrix import ROLES, matrix_call

pytestmark = pytest.mark.django_db


@pytest.fixture
def book():
    book = fine_book()
    save(book, book.member, "1000.00")
    return book


@pytest.fixture
def as_role(book, client_for):
    return lambda role: client_for(getattr(book, role).user)


def base(book):
    return f"/api/v1/chamas/{book.chama.pk}/fines"


def test_an_official_fines_a_member(book, as_role):
    response = as_role("chair").post(
        f"{base(book)}/",
        {"member_id": str(book.member.pk), "amount": "250.00", "reason": "Phone rang"},
        format="json",
    )

    assert response.status_code == 201, response.json()
    body = response.json()
    fine = Fine.objects.get()
    assert body == {
        "id": str(fine.pk),
        "member": {
            "member_id": str(book.member.pk),
            "full_name": book.member.user.full_name,
            "member_code": book.member.member_code,
        },
        "kind": "manual",
        "period": "",
        "reason": "Phone rang",
        "amount": "250.00",
        "paid_amount": "0.00",
        "waived_amount": "0.00",
        "unpaid": "250.00",
        "status": "issued",
        "issued_by": book.chair.user.full_name,
        "waived_by": None,
        "waived_at": None,
        "waive_reason": "",
        "entry_id": str(fine.issued_entry_id),
        "created_at": body["created_at"],
    }


def test_the_member_pays_from_savings_and_an_official_waives_another(book, as_role):
    first, second = fined(book, "300.00"), fined(book, "200.00")

    paid = as_role("member").post(
        f"{base(book)}/{first.pk}/pay/", {"from_savings": True}, format="json"
    )
    waived = as_role("chair").post(
        f"{base(book)}/{second.pk}/waive/", {"reason": "First offence"}, format="json"
    )

    assert (paid.status_code, paid.json()["status"], paid.json()["unpaid"]) == (
        200,
        "paid",
        "0.00",
    )
    assert (waived.status_code, waived.json()["status"], waived.json()["waived_by"]) == (
        200,
        "waived",
        book.chair.user.full_name,
    )
    assert FinePayment.objects.get().method == "savings"


def test_an_official_records_part_of_a_fine_paid_in_cash(book, as_role):
    fine = fined(book, "300.00")

    response = as_role("secretary").post(
        f"{base(book)}/{fine.pk}/pay/", {"amount": "100.00", "method": "cash"}, format="json"
    )

    assert (response.status_code, response.json()["status"]) == (200, "partial")
    assert response.json()["paid_amount"] == "100.00"


@pytest.mark.parametrize(
    ("body", "code", "attr"),
    [
        ({"amount": "-1.00", "method": "cash"}, "min_value", "amount"),
        ({"amount": "0", "method": "cash"}, "min_value", "amount"),
        ({"method": "cash"}, "invalid_payment", "amount"),
        ({"amount": "10.00"}, "invalid_payment", "method"),
        ({"from_savings": True, "amount": "10.00"}, "invalid_payment", "from_savings"),
        ({"amount": "10.00", "method": "mpesa"}, "receipt_required", "mpesa_receipt"),
    ],
)
def test_a_bad_payment_is_400_and_writes_nothing(book, as_role, body, code, attr):
    fine = fined(book, "300.00")
    entries = JournalEntry.objects.count()

    response = as_role("treasurer").post(f"{base(book)}/{fine.pk}/pay/", body, format="json")

    assert response.status_code == 400, response.json()
    [error] = response.json()["errors"]
    assert (error["code"], error["attr"]) == (code, attr)
    assert JournalEntry.objects.count() == entries


def test_paying_a_waived_fine_is_409(book, as_role):
    fine = fined(book, "300.00")
    as_role("chair").post(f"{base(book)}/{fine.pk}/waive/", {"reason": "x"}, format="json")

    response = as_role("treasurer").post(
        f"{base(book)}/{fine.pk}/pay/", {"amount": "10.00", "method": "cash"}, format="json"
    )

    assert response.status_code == 409
    assert response.json()["errors"][0]["code"] == "fine_settled"
    assert not JournalEntry.objects.filter(entry_type=EntryType.FINE_PAYMENT).exists()


def test_fining_someone_outside_the_chama_is_400(book, as_role):
    response = as_role("chair").post(
        f"{base(book)}/",
        {"member_id": str(UserFactory().pk), "amount": "10.00", "reason": "x"},
        format="json",
    )

    assert response.status_code == 400
    assert response.json()["errors"][0]["code"] == "unknown_member"
    assert not Fine.objects.exists()


def test_an_unknown_fine_is_404_before_its_body_is_read(book, as_role):
    url = f"{base(book)}/00000000-0000-4000-8000-000000000000/pay/"

    response = as_role("chair").post(url, {"amount": "-1"}, format="json")

    assert response.status_code == 404


# The permission matrix: (method, path, body, roles that pass). The fine is the member's,
# issued by the treasurer; a passing call answers 200/201, a refused one 403.
EVERYONE = set(ROLES)
OFFICIALS = {"chair", "treasurer", "secretary"}


def matrix(book, fine):
    one = f"{base(book)}/{fine.pk}"
    issue = {"member_id": str(book.chair.pk), "amount": "10.00", "reason": "Late"}
    return [
        ("GET", f"{base(book)}/", None, EVERYONE),
        ("POST", f"{base(book)}/", issue, OFFICIALS),
        ("GET", f"{one}/", None, EVERYONE),
        ("POST", f"{one}/pay/", {"amount": "10.00", "method": "cash"}, OFFICIALS),
        ("POST", f"{one}/pay/", {"from_savings": True}, {"member"}),
        # Neither the issuer (the treasurer) nor the fined member waives
        ("POST", f"{one}/waive/", {"reason": "Forgiven"}, {"chair", "secretary"}),
    ]


@pytest.mark.parametrize("index", range(6))
@pytest.mark.parametrize("role", ROLES)
def test_permission_matrix(book, as_role, index, role):
    method, url, body, allowed = matrix(book, fined(book))[index]

    response = matrix_call(as_role(role), method, url, body)

    if role in allowed:
        assert response.status_code in (200, 201), response.json()
    else:
        assert response.status_code == 403, response.json()


@pytest.mark.parametrize("index", range(6))
def test_anonymous_is_401_and_an_outsider_404(book, client_for, index):
    method, url, body, _ = matrix(book, fined(book))[index]

    assert matrix_call(APIClient(), method, url, body).status_code == 401
    assert matrix_call(client_for(UserFactory()), method, url, body).status_code == 404


def list_queries(client, url):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries), [q["sql"] for q in ctx.captured_queries], response.json()


def test_the_list_costs_the_same_queries_for_one_fine_or_many(book, as_role):
    client = as_role("member")
    fine = fined(book)
    client.post(f"{base(book)}/{fine.pk}/pay/", {"from_savings": True}, format="json")
    few, _, _ = list_queries(client, f"{base(book)}/")

    for n in range(6):
        fined(book, f"{n + 1}.00", f"Fine {n}")
    many, sql, body = list_queries(client, f"{base(book)}/?limit=200")

    # user, caller's membership, count, the page (members, issuers, waivers joined)
    assert few == many == 4, "\n".join(sql)
    assert body["count"] == 7
    assert [row["amount"] for row in body["results"][:2]] == ["6.00", "5.00"]


def test_the_list_filters_by_member_and_status(book, as_role):
    fined(book)
    fine_issue(
        chama=book.chama,
        acting=book.treasurer,
        membership=book.chair,
        amount=D("100.00"),
        reason="Late",
    )

    response = as_role("auditor").get(f"{base(book)}/?member={book.member.pk}&status=issued")

    assert [row["member"]["member_id"] for row in response.json()["results"]] == [
        str(book.member.pk)
    ]
    assert D(response.json()["results"][0]["unpaid"]) == D("500.00")
