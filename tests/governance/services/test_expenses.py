"""Expenses through their services: recorded with a receipt, signed by N officials other than
the treasurer (any rejection rejects), approved into 2400 and paid from a named account; the
refusals write nothing."""

from decimal import Decimal

import pytest

from core.exceptions import ConflictError, PermissionDeniedError, ValidationFailed
from finance import chart
from finance.choices import EntryType
from finance.exceptions import FinanceError
from finance.models import JournalEntry
from governance.exceptions import DocumentError, ExpenseError
from governance.models import Document, DocumentKind, Expense
from governance.services.documents import document_upload
from governance.services.expenses import expense_approve, expense_pay, expense_reject
from groups.exceptions import GroupsError
from groups.models import Signature
from tests.finance.books import balance, legs
from tests.governance.expenses_fixtures import (
    HALL,
    cash_in,
    expense_record,
    expense_rules_adopt,
    receipt_upload,
)
from tests.governance.meetings_fixtures import EXE_BYTES, PDF_BYTES, upload

pytestmark = pytest.mark.django_db


def expense_entries(expense: Expense) -> list[JournalEntry]:
    return list(JournalEntry.objects.filter(idempotency_key__startswith=f"expense:{expense.pk}:"))


def test_recorded_with_its_receipt_uploaded_and_nothing_posted(club):
    # When the treasurer records the hall's hire with its receipt
    expense = expense_record(club)

    # Then it awaits signatures, its receipt kept as a receipt document, and nothing is posted
    stored = Expense.objects.select_related("receipt").get(pk=expense.pk)
    assert (stored.status, stored.amount, stored.payee, stored.created_by) == (
        "pending",
        Decimal("3000.00"),
        HALL,
        club.treasurer,
    )
    assert (stored.receipt.kind, stored.receipt.title, stored.receipt.content_type) == (
        "receipt",
        f"Receipt: {HALL}",
        "application/pdf",
    )
    assert expense_entries(expense) == []
    assert JournalEntry.objects.filter(chama=club.chama).count() == 0


def test_one_signature_approves_by_default_and_the_chama_owes_it(club):
    # Given an expense under the default rule (one signature)
    expense = expense_record(club)

    # When the secretary approves it
    approved = expense_approve(expense=expense, acting=club.secretary, comment="Hall was booked")

    # Then it is approved: Dr 5100 operating expenses · Cr 2400 approved expenses payable
    assert approved.status == "approved"
    entry = approved.approved_entry
    assert entry.entry_type == EntryType.EXPENSE_APPROVED
    assert legs(entry) == [("2400", "C", Decimal("3000.00")), ("5100", "D", Decimal("3000.00"))]
    assert entry.recorded_by == club.secretary.user
    assert balance(club.chama, chart.EXPENSES_PAYABLE) == Decimal("-3000.00")
    assert balance(club.chama, chart.OPERATING_EXPENSES) == Decimal("3000.00")
    signature = Signature.objects.get(target_id=expense.pk)
    assert (signature.kind, signature.membership, signature.comment) == (
        "expense",
        club.secretary,
        "Hall was booked",
    )


def test_above_the_threshold_it_needs_its_signatures_and_the_chair_among_them(club):
    # Given a constitution asking two signatures, the chair's above KES 5,000
    expense_rules_adopt(club, signatures=2, chair_threshold="5000.00")
    expense = expense_record(club, "8000.00")

    # When the secretary signs, it still waits for one: the chair's
    after_one = expense_approve(expense=expense, acting=club.secretary)
    assert after_one.status == "pending"
    assert expense_entries(expense) == []

    # When the chair signs, it is approved and posted once
    after_two = expense_approve(expense=expense, acting=club.chair)
    assert after_two.status == "approved"
    assert [legs(e) for e in expense_entries(expense)] == [
        [("2400", "C", Decimal("8000.00")), ("5100", "D", Decimal("8000.00"))]
    ]


def test_a_third_signature_after_approval_is_409_and_writes_nothing(club):
    expense_rules_adopt(club, signatures=2)
    expense = expense_record(club)
    expense_approve(expense=expense, acting=club.secretary)
    expense_approve(expense=expense, acting=club.chair)

    with pytest.raises(ConflictError) as refused:
        expense_reject(expense=expense, acting=club.chair, reason="Too dear")

    assert refused.value.code == ExpenseError.NOT_PENDING
    assert refused.value.message == (
        "Only an expense awaiting signatures can be approved or rejected; this one is approved."
    )
    assert Signature.objects.filter(target_id=expense.pk).count() == 2
    assert len(expense_entries(expense)) == 1


def test_signing_twice_is_409_already_signed(club):
    expense_rules_adopt(club, signatures=2)
    expense = expense_record(club)
    expense_approve(expense=expense, acting=club.secretary)

    with pytest.raises(ConflictError) as refused:
        expense_approve(expense=expense, acting=club.secretary)

    assert refused.value.code == GroupsError.ALREADY_SIGNED
    assert refused.value.message == (
        "You have already signed this expense: an official signs a decision once."
    )


def test_any_rejection_rejects_and_posts_nothing(club):
    expense_rules_adopt(club, signatures=2)
    expense = expense_record(club)
    expense_approve(expense=expense, acting=club.secretary)

    rejected = expense_reject(expense=expense, acting=club.chair, reason="  We met at home  ")

    assert (rejected.status, rejected.rejection_reason) == ("rejected", "We met at home")
    assert rejected.rejected_at is not None
    assert expense_entries(expense) == []
    # The receipt no longer backs a live expense: it may be used again
    again = expense_record(club, receipt=None, receipt_id=expense.receipt_id)
    assert again.receipt_id == expense.receipt_id


def test_a_rejection_says_why(club):
    expense = expense_record(club)

    with pytest.raises(ValidationFailed) as refused:
        expense_reject(expense=expense, acting=club.chair, reason="   ")

    assert (refused.value.code, refused.value.field) == (ExpenseError.REASON_REQUIRED, "reason")
    assert Expense.objects.get(pk=expense.pk).status == "pending"


def test_the_treasurer_cannot_approve_their_own_expense(club):
    expense = expense_record(club)

    with pytest.raises(PermissionDeniedError) as refused:
        expense_approve(expense=expense, acting=club.treasurer)

    assert refused.value.code == ExpenseError.SAME_OFFICIAL
    assert refused.value.message == (
        "The official who recorded an expense cannot sign it: another official must."
    )
    assert not Signature.objects.filter(target_id=expense.pk).exists()
    assert Expense.objects.get(pk=expense.pk).status == "pending"


@pytest.mark.parametrize("role", ["member", "auditor"])
def test_a_signature_from_a_non_official_is_refused(club, role):
    expense = expense_record(club)

    with pytest.raises(PermissionDeniedError) as refused:
        expense_approve(expense=expense, acting=club.members[role])

    assert refused.value.code == ExpenseError.OFFICIALS_ONLY
    assert not Signature.objects.filter(target_id=expense.pk).exists()


def test_paying_an_unapproved_expense_is_409(club):
    cash_in(club, "5000.00")
    expense = expense_record(club)

    with pytest.raises(ConflictError) as refused:
        expense_pay(expense=expense, acting=club.treasurer, account="cash")

    assert refused.value.code == ExpenseError.NOT_APPROVED
    assert refused.value.message == "Only an approved expense can be paid; this one is pending."
    assert expense_entries(expense) == []


def test_paid_from_the_cash_box(club):
    # Given KES 5,000 in the cash box and an approved expense of 3,000
    cash_in(club, "5000.00")
    expense = expense_record(club)
    expense_approve(expense=expense, acting=club.chair)

    # When the treasurer pays it in cash
    paid = expense_pay(expense=expense, acting=club.treasurer, account="cash")

    # Then Dr 2400 · Cr 1030, and nothing is owed any more
    assert (paid.status, paid.paid_from, paid.paid_by) == ("paid", "cash", club.treasurer)
    assert paid.paid_entry.entry_type == EntryType.EXPENSE_PAID
    assert legs(paid.paid_entry) == [
        ("1030", "C", Decimal("3000.00")),
        ("2400", "D", Decimal("3000.00")),
    ]
    assert balance(club.chama, chart.CASH) == Decimal("2000.00")
    assert balance(club.chama, chart.EXPENSES_PAYABLE) == Decimal("0.00")


def test_paying_more_than_the_account_holds_is_refused_and_writes_nothing(club):
    # Given KES 1,000 in the cash box and an approved expense of 3,000
    cash_in(club, "1000.00")
    expense = expense_record(club)
    expense_approve(expense=expense, acting=club.chair)

    # When the treasurer tries to pay it in cash
    with pytest.raises(ConflictError) as refused:
        expense_pay(expense=expense, acting=club.treasurer, account="cash")

    # Then the ledger refuses, and the expense is still approved and owed
    assert refused.value.code == FinanceError.INSUFFICIENT_FUNDS
    assert refused.value.message == (
        "1030 Cash at hand (treasurer) holds KES 1,000.00: it cannot pay out KES 3,000.00."
    )
    stored = Expense.objects.get(pk=expense.pk)
    assert (stored.status, stored.paid_entry, stored.paid_from) == ("approved", None, "")
    assert len(expense_entries(expense)) == 1
    assert balance(club.chama, chart.CASH) == Decimal("1000.00")


def test_only_the_treasurer_pays(club):
    cash_in(club, "5000.00")
    expense = expense_record(club)
    expense_approve(expense=expense, acting=club.chair)

    with pytest.raises(PermissionDeniedError) as refused:
        expense_pay(expense=expense, acting=club.chair, account="cash")

    assert refused.value.code == ExpenseError.TREASURER_ONLY


def test_recorded_with_a_receipt_uploaded_before(club):
    receipt = receipt_upload(club)

    expense = expense_record(club, receipt=None, receipt_id=receipt.pk)

    assert expense.receipt == receipt
    with pytest.raises(ConflictError) as in_use:
        expense_record(club, receipt=None, receipt_id=receipt.pk)
    assert in_use.value.code == ExpenseError.RECEIPT_IN_USE
    assert Expense.objects.count() == 1


@pytest.mark.parametrize(
    ("overrides", "error", "field"),
    [
        ({"amount": Decimal("0")}, ExpenseError.INVALID_AMOUNT, "amount"),
        ({"amount": Decimal("10.005")}, ExpenseError.INVALID_AMOUNT, "amount"),
        ({"payee": "  "}, ExpenseError.PAYEE_REQUIRED, "payee"),
        ({"category": "party"}, ExpenseError.INVALID_CATEGORY, "category"),
        ({"receipt": None}, ExpenseError.RECEIPT_REQUIRED, "receipt"),
        ({"receipt_id": "uploaded"}, ExpenseError.RECEIPT_REQUIRED, "receipt"),
        ({"receipt": upload("receipt.pdf", EXE_BYTES)}, DocumentError.EXECUTABLE, "file"),
    ],
)
def test_bad_input_is_400_and_writes_nothing(club, overrides, error, field):
    if overrides.get("receipt_id") == "uploaded":
        overrides = {"receipt_id": receipt_upload(club).pk}
    documents = Document.objects.count()

    with pytest.raises(ValidationFailed) as refused:
        expense_record(club, **overrides)

    assert (refused.value.code, refused.value.field) == (error, field)
    assert Expense.objects.count() == 0
    assert Document.objects.count() == documents


def test_a_document_that_is_not_a_receipt_is_400(club):
    minutes = document_upload(
        chama=club.chama,
        acting=club.secretary,
        file=upload("minutes.pdf", PDF_BYTES),
        kind=DocumentKind.MINUTES,
    )

    with pytest.raises(ValidationFailed) as refused:
        expense_record(club, receipt=None, receipt_id=minutes.pk)

    assert (refused.value.code, refused.value.field) == (ExpenseError.UNKNOWN_RECEIPT, "receipt_id")


@pytest.mark.parametrize("role", ["chair", "secretary", "auditor", "member"])
def test_only_the_treasurer_records(club, role):
    with pytest.raises(PermissionDeniedError) as refused:
        expense_record(club, acting=club.members[role])

    assert refused.value.code == ExpenseError.TREASURER_ONLY
    assert Document.objects.count() == 0
