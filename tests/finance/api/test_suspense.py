"""chamas/{id}/suspense/ and .../suspense/{id}/assign/: the contract, who may do what, bad
input and the list's query count."""

from datetime import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from finance.choices import SuspensePurpose
from finance.exceptions import FinanceError
from finance.models import Contribution, JournalEntry, SuspenseReceipt
from finance.services.suspense import suspense_assign, suspense_receive
from groups.exceptions import GroupsError
from tests.finance.welfare import welfare_book
from tests.groups.helpers import assert_error
from tests.permission_matrix import ROLES

pytestmark = pytest.mark.django_db

PAID_AT = datetime(2026, 1, 20, 9, 15, tzinfo=ZoneInfo("Africa/Nairobi"))


@pytest.fixture
def book():
    return welfare_book()


def receive(book, receipt="SU12345678", amount="1000.00", paid_at=PAID_AT):
    return suspense_receive(
        chama=book.chama,
        amount=Decimal(amount),
        receipt=receipt,
        paid_at=paid_at,
        account_reference=f"{book.chama.code}M77",
        payer="2547 ***** 678",
    )


def url(book, receipt=None):
    base = f"/api/v1/chamas/{book.chama.pk}/suspense/"
    return base if receipt is None else f"{base}{receipt.pk}/assign/"


def books_state():
    return (
        JournalEntry.objects.count(),
        Contribution.objects.count(),
        list(SuspenseReceipt.objects.order_by("pk").values_list("status", "membership")),
    )


# --- the contract --------------------------------------------------------------------------


def test_the_list_shows_each_receipt_and_filters_by_status(book, as_role):
    waiting = receive(book)
    assigned = receive(book, receipt="SU12345679", paid_at=PAID_AT.replace(day=21))
    suspense_assign(
        receipt=assigned,
        membership=book.member,
        purpose=SuspensePurpose.CONTRIBUTION,
        acting=book.treasurer,
    )
    client = as_role("auditor")

    everything = client.get(url(book)).json()
    open_only = client.get(f"{url(book)}?status=open").json()

    assert [r["receipt"] for r in everything["results"]] == ["SU12345679", "SU12345678"]
    assert open_only["count"] == 1
    assert open_only["results"][0] == {
        "id": str(waiting.pk),
        "amount": "1000.00",
        "receipt": "SU12345678",
        "paid_at": "2026-01-20T09:15:00+03:00",
        "account_reference": f"{book.chama.code}M77",
        "payer": "2547 ***** 678",
        "status": "open",
        "member": None,
        "purpose": None,
        "entry_id": str(waiting.entry_id),
        "contribution_id": None,
        "loan_repayment_id": None,
        "assigned_by": None,
        "assigned_at": None,
        "created_at": open_only["results"][0]["created_at"],
    }
    done = everything["results"][0]
    assert (done["status"], done["purpose"], done["assigned_by"]) == (
        "assigned",
        "contribution",
        book.treasurer.user.full_name,
    )
    assert done["member"] == {
        "member_id": str(book.member.pk),
        "member_code": book.member.member_code,
        "full_name": book.member.user.full_name,
    }


def test_the_treasurer_assigns_a_receipt_as_a_members_contribution(book, as_role):
    receipt = receive(book)

    response = as_role("treasurer").post(
        url(book, receipt),
        {"member_id": str(book.secretary.pk), "purpose": "contribution"},
        format="json",
    )

    assert response.status_code == 200, response.content
    body = response.json()
    contribution = Contribution.objects.get()
    assert (body["status"], body["purpose"], body["contribution_id"]) == (
        "assigned",
        "contribution",
        str(contribution.pk),
    )
    assert body["member"]["member_id"] == str(book.secretary.pk)
    assert (contribution.membership, contribution.mpesa_receipt) == (book.secretary, "SU12345678")

    again = as_role("chair").post(
        url(book, receipt),
        {"member_id": str(book.member.pk), "purpose": "contribution"},
        format="json",
    )
    assert_error(
        again,
        status=409,
        code="already_assigned",
        detail=FinanceError.SUSPENSE_ALREADY_ASSIGNED.render(receipt="SU12345678"),
    )
    assert Contribution.objects.count() == 1


@pytest.mark.parametrize(
    ("body", "attr", "code"),
    [
        ({"purpose": "contribution"}, "member_id", "required"),
        ({"member_id": "not-a-uuid", "purpose": "contribution"}, "member_id", "invalid"),
        ({"member_id": "{member}", "purpose": "fine"}, "purpose", "invalid_choice"),
        (
            {"member_id": "{member}", "purpose": "contribution", "amount": "1"},
            "amount",
            "unknown_field",
        ),
        ({"member_id": "{stranger}", "purpose": "contribution"}, "member_id", "unknown_member"),
    ],
)
def test_bad_input_is_a_400_naming_the_field_and_writes_nothing(book, as_role, body, attr, code):
    receipt = receive(book)
    stranger = welfare_book().member
    body = {
        k: v.format(member=book.member.pk, stranger=stranger.pk) if isinstance(v, str) else v
        for k, v in body.items()
    }
    before = books_state()

    response = as_role("treasurer").post(url(book, receipt), body, format="json")

    assert response.status_code == 400, response.content
    assert [(e["attr"], e["code"]) for e in response.json()["errors"]] == [(attr, code)]
    assert books_state() == before


def test_a_repayment_for_a_member_without_a_loan_is_a_409(book, as_role):
    receipt = receive(book)

    response = as_role("treasurer").post(
        url(book, receipt),
        {"member_id": str(book.member.pk), "purpose": "loan_repayment"},
        format="json",
    )

    assert_error(
        response, status=409, code="no_loan_to_repay", detail=FinanceError.NO_LOAN_TO_REPAY.message
    )


def test_a_receipt_of_another_chama_is_a_404(book, as_role):
    other = welfare_book()
    theirs = receive(other)

    response = as_role("treasurer").post(
        f"{url(book)}{theirs.pk}/assign/",
        {"member_id": str(book.member.pk), "purpose": "contribution"},
        format="json",
    )

    assert_error(response, status=404, code="not_found")
    assert SuspenseReceipt.objects.get().status == "open"


# --- who may do what -----------------------------------------------------------------------

ALLOWED = {
    "list": {"chair", "treasurer", "secretary", "auditor"},
    "assign": {"chair", "treasurer"},
}


@pytest.mark.parametrize("name", ["list", "assign"])
@pytest.mark.parametrize("role", ["anonymous", "outsider", *ROLES])
def test_permission_matrix(book, as_role, name, role):
    receipt = receive(book)
    before = books_state()
    client = as_role(role)

    if name == "list":
        response = client.get(url(book))
    else:
        body = {"member_id": str(book.member.pk), "purpose": "contribution"}
        response = client.post(url(book, receipt), body, format="json")

    if role == "anonymous":
        assert_error(response, status=401, code="not_authenticated")
    elif role == "outsider":
        assert_error(response, status=404, code="not_found")
    elif role not in ALLOWED[name]:
        assert_error(
            response, status=403, code="permission_denied", detail=GroupsError.ROLE_DENIED.message
        )
    else:
        assert response.status_code == 200, response.content
    if response.status_code >= 400:
        assert books_state() == before


def test_the_list_costs_four_queries_however_many_receipts(
    book, as_role, django_assert_num_queries
):
    # auth user, caller's membership, count, page (members and assigners joined in)
    client = as_role("treasurer")
    receive(book)
    with django_assert_num_queries(4):
        assert client.get(url(book)).json()["count"] == 1

    for i, member in enumerate([book.member, book.secretary, book.chair]):
        suspense_assign(
            receipt=receive(book, receipt=f"SU1234560{i}"),
            membership=member,
            purpose=SuspensePurpose.CONTRIBUTION,
            acting=book.treasurer,
        )
    with django_assert_num_queries(4):
        assert client.get(url(book)).json()["count"] == 4
