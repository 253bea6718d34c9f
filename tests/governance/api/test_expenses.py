"""chamas/{id}/expenses/: the API's contract — recorded with a receipt (multipart) or with a
receipt uploaded before (JSON), the page with its signatures and dispute vote, the filters,
and bad input answered 4xx with nothing written."""

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from finance.models import JournalEntry
from governance.models import Document, Expense, Vote
from governance.services.expense_disputes import expense_escalation
from governance.services.expenses import expense_approve, expense_reject
from groups.models import Signature
from tests.governance.expenses_fixtures import (
    HALL,
    cash_in,
    expense_record,
    expense_rules_adopt,
    receipt_upload,
)
from tests.governance.meetings_fixtures import EXE_BYTES, PDF_BYTES, upload

pytestmark = pytest.mark.django_db


def form(**overrides):
    data = {
        "category": "venue",
        "payee": HALL,
        "amount": "3000.00",
        "description": "Hall hire",
        "receipt": upload("hall.pdf", PDF_BYTES),
    }
    data.update(overrides)
    return data


def test_the_treasurer_records_an_expense_with_its_receipt(club):
    response = club.clients["treasurer"].post(f"{club.base}/expenses/", form(), format="multipart")

    assert response.status_code == 201, response.json()
    body = response.json()
    expense = Expense.objects.get()
    assert body["id"] == str(expense.pk)
    assert {k: body[k] for k in ("category", "payee", "amount", "status", "paid_from")} == {
        "category": "venue",
        "payee": HALL,
        "amount": "3000.00",
        "status": "pending",
        "paid_from": "",
    }
    assert body["receipt"] == {
        "id": str(expense.receipt_id),
        "title": f"Receipt: {HALL}",
        "content_type": "application/pdf",
        "size": len(PDF_BYTES),
    }
    assert body["created_by"]["member_id"] == str(club.treasurer.pk)
    assert (body["signatures"], body["signatures_required"], body["signatures_missing"]) == (
        [],
        1,
        1,
    )
    assert (body["dispute_vote_id"], body["approved_entry_id"], body["paid_entry_id"]) == (
        None,
        None,
        None,
    )


def test_or_with_a_receipt_uploaded_before(club):
    receipt = receipt_upload(club)

    response = club.clients["treasurer"].post(
        f"{club.base}/expenses/",
        {
            "category": "transport",
            "payee": "Matatu",
            "amount": "600",
            "receipt_id": str(receipt.pk),
        },
        format="json",
    )

    assert response.status_code == 201, response.json()
    assert response.json()["receipt"]["id"] == str(receipt.pk)
    assert response.json()["amount"] == "600.00"


@pytest.mark.parametrize(
    ("body", "status", "code", "attr"),
    [
        (lambda: form(receipt=upload("hall.pdf", EXE_BYTES)), 400, "file_executable", "file"),
        (lambda: form(amount="0"), 400, "min_value", "amount"),
        (lambda: form(category="party"), 400, "invalid_choice", "category"),
        (lambda: form(payee="   "), 400, "blank", "payee"),
        (lambda: {k: v for k, v in form().items() if k != "receipt"}, 400, "required", "receipt"),
    ],
)
def test_bad_input_is_answered_and_nothing_is_written(club, body, status, code, attr):
    response = club.clients["treasurer"].post(f"{club.base}/expenses/", body(), format="multipart")

    assert response.status_code == status, response.json()
    assert (response.json()["errors"][0]["code"], response.json()["errors"][0]["attr"]) == (
        code,
        attr,
    )
    assert (Expense.objects.count(), Document.objects.count()) == (0, 0)


def test_an_unknown_receipt_id_is_400(club):
    response = club.clients["treasurer"].post(
        f"{club.base}/expenses/",
        {"category": "venue", "payee": HALL, "amount": "10.00", "receipt_id": str(club.chama.pk)},
        format="json",
    )

    assert response.status_code == 400
    assert response.json()["errors"][0] == {
        "code": "unknown_receipt",
        "detail": "This chama has no receipt document with this id.",
        "attr": "receipt_id",
    }


def test_the_page_shows_signatures_and_what_is_missing(club):
    expense_rules_adopt(club, signatures=2, chair_threshold="1000.00")
    expense = expense_record(club)

    response = club.clients["secretary"].post(
        f"{club.base}/expenses/{expense.pk}/approve/", {"comment": "Booked"}, format="json"
    )

    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["status"] == "pending"
    assert (body["signatures_required"], body["signatures_missing"]) == (2, 1)
    assert body["chair_signature_required"] is True
    assert [(s["member_id"], s["decision"], s["comment"]) for s in body["signatures"]] == [
        (str(club.secretary.pk), "approve", "Booked")
    ]

    response = club.clients["chair"].post(f"{club.base}/expenses/{expense.pk}/approve/")
    assert response.status_code == 200, response.json()
    body = response.json()
    assert (body["status"], body["signatures_missing"]) == ("approved", 0)
    assert body["approved_entry_id"] == str(Expense.objects.get().approved_entry_id)


def test_approving_ones_own_expense_is_403_and_writes_nothing(club):
    expense = expense_record(club)

    response = club.clients["treasurer"].post(f"{club.base}/expenses/{expense.pk}/approve/")

    assert response.status_code == 403
    assert response.json()["errors"][0]["code"] == "same_official"
    assert not Signature.objects.exists()


def test_a_third_signature_after_approval_is_409(club):
    expense_rules_adopt(club, signatures=2)
    expense = expense_record(club)
    expense_approve(expense=expense, acting=club.secretary)
    expense_approve(expense=expense, acting=club.chair)

    response = club.clients["chair"].post(f"{club.base}/expenses/{expense.pk}/approve/")

    assert response.status_code == 409
    assert response.json()["errors"][0]["code"] == "expense_not_pending"
    assert Signature.objects.count() == 2


def test_paying_an_unapproved_expense_is_409(club):
    cash_in(club, "5000.00")
    expense = expense_record(club)

    response = club.clients["treasurer"].post(
        f"{club.base}/expenses/{expense.pk}/pay/", {"account": "cash"}, format="json"
    )

    assert response.status_code == 409
    assert response.json()["errors"][0]["code"] == "expense_not_approved"


def test_paying_more_than_the_account_holds_is_409_and_writes_nothing(club):
    cash_in(club, "5000.00")
    expense = expense_record(club)
    expense_approve(expense=expense, acting=club.chair)
    entries = JournalEntry.objects.count()

    response = club.clients["treasurer"].post(
        f"{club.base}/expenses/{expense.pk}/pay/", {"account": "bank"}, format="json"
    )

    assert response.status_code == 409
    assert response.json()["errors"][0] == {
        "code": "insufficient_funds",
        "detail": "1020 Bank account holds KES 0.00: it cannot pay out KES 3,000.00.",
        "attr": None,
    }
    assert JournalEntry.objects.count() == entries
    assert Expense.objects.get().status == "approved"

    paid = club.clients["treasurer"].post(
        f"{club.base}/expenses/{expense.pk}/pay/", {"account": "cash"}, format="json"
    )
    assert paid.status_code == 200, paid.json()
    assert (paid.json()["status"], paid.json()["paid_from"]) == ("paid", "cash")
    assert paid.json()["paid_by"]["member_id"] == str(club.treasurer.pk)


def test_a_disputed_expense_shows_its_vote_and_refuses_signatures(club):
    expense_rules_adopt(club, chair_threshold="1000.00")
    expense = expense_record(club)
    with time_machine.travel(timezone.now() + timedelta(hours=49)):
        assert expense_escalation() == 1
        client = club.fresh("chair")
        detail = client.get(f"{club.base}/expenses/{expense.pk}/")
        refused = client.post(
            f"{club.base}/expenses/{expense.pk}/reject/", {"reason": "No"}, format="json"
        )

    assert detail.json()["status"] == "disputed"
    assert detail.json()["dispute_vote_id"] == str(Vote.objects.get().pk)
    assert refused.status_code == 409
    assert refused.json()["errors"][0] == {
        "code": "expense_disputed",
        "detail": "This expense is before the members in a dispute vote: its result decides it.",
        "attr": None,
    }


def test_the_list_filters_by_status_and_category(club):
    venue = expense_record(club)
    transport = expense_record(club, category="transport", payee="Matatu")
    expense_reject(expense=transport, acting=club.chair, reason="Walked")
    client = club.clients["member"]

    def ids(query):
        response = client.get(f"{club.base}/expenses/{query}")
        assert response.status_code == 200, response.json()
        return [row["id"] for row in response.json()["results"]]

    assert ids("") == [str(transport.pk), str(venue.pk)]
    assert ids("?status=pending") == [str(venue.pk)]
    assert ids("?category=transport") == [str(transport.pk)]
    assert ids("?status=paid") == []
    bad = client.get(f"{club.base}/expenses/?status=lost")
    assert bad.status_code == 400
    assert bad.json()["errors"][0]["attr"] == "status"


@pytest.mark.parametrize(
    ("description", "status", "stored"),
    [
        ("  Hall hire  ", 201, "Hall hire"),  # trimmed
        ("", 201, ""),  # an empty form field reads as left out
        ("Hall\x00hire", 400, None),
    ],
)
def test_a_form_description_is_plain_text(club, description, status, stored):
    response = club.clients["treasurer"].post(
        f"{club.base}/expenses/", form(description=description), format="multipart"
    )

    assert response.status_code == status, response.json()
    if stored is None:
        assert response.json()["errors"][0]["code"] == "null_characters_not_allowed"
        assert not Expense.objects.exists()
    else:
        assert Expense.objects.get().description == stored
