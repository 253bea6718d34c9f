"""Loans, welfare claims and transfers under a rule of two signatures: the first approval
leaves them pending and writes nothing else, the second decides as one signature did before;
any rejection rejects."""

from decimal import Decimal

import pytest

from core.exceptions import ConflictError, PermissionDeniedError
from finance.choices import (
    EntryType,
    LedgerTransferStatus,
    LoanStatus,
    WelfareClaimStatus,
)
from finance.models import Installment, JournalEntry
from finance.services.ledger_transfers import ledger_transfer_approve, ledger_transfer_reject
from finance.services.loans import loan_apply, loan_approve, loan_reject
from finance.services.welfare import welfare_claim_approve, welfare_claim_reject
from groups.approvals import approval_rules_clean
from groups.models import Chama, Signature
from tests.finance.books import legs
from tests.finance.ledger_transfers import BANK, CASH, requested, transfer_book
from tests.finance.loans import loan_book
from tests.finance.welfare import contribute, submit, welfare_book

pytestmark = pytest.mark.django_db


def two_signatures(chama: Chama, kind: str, threshold: str | None = None) -> None:
    chama.approval_rules = approval_rules_clean(
        {kind: {"signatures": 2, "chair_threshold": threshold}}
    )
    chama.save(update_fields=["approval_rules"])


def decisions(target) -> list[tuple[str, str]]:
    return list(
        Signature.objects.filter(target_id=target.pk).values_list(
            "membership__member_code", "decision"
        )
    )


# --- transfers ------------------------------------------------------------------------------


def test_a_transfer_moves_the_money_at_the_second_signature():
    book = transfer_book(cash=2)
    two_signatures(book.chama, "transfer")
    transfer = requested(book, "1500.00", CASH, BANK)

    first = ledger_transfer_approve(transfer=transfer, acting=book.chair, comment="Agreed")
    assert (first.status, first.entry_id, first.decided_by_id) == ("requested", None, None)
    assert not JournalEntry.objects.filter(entry_type=EntryType.TRANSFER).exists()

    second = ledger_transfer_approve(transfer=transfer, acting=book.secretary)
    assert (second.status, second.decided_by_id) == (
        LedgerTransferStatus.COMPLETED,
        book.secretary.user_id,
    )
    [entry] = JournalEntry.objects.filter(entry_type=EntryType.TRANSFER)
    assert legs(entry) == [("1020", "D", Decimal("1500.00")), ("1030", "C", Decimal("1500.00"))]
    assert decisions(transfer) == [
        (book.chair.member_code, "approve"),
        (book.secretary.member_code, "approve"),
    ]


def test_a_transfer_the_chair_must_sign_waits_for_the_chair():
    book = transfer_book(cash=2)
    two_signatures(book.chama, "transfer", threshold="1000.00")
    transfer = requested(book, "1500.00", CASH, BANK, by=book.chair)

    # The requester (the chair) cannot sign it: two other officials sign, and it waits
    ledger_transfer_approve(transfer=transfer, acting=book.secretary)
    waiting = ledger_transfer_approve(transfer=transfer, acting=book.treasurer)

    assert waiting.status == LedgerTransferStatus.REQUESTED
    with pytest.raises(PermissionDeniedError) as refused:
        ledger_transfer_approve(transfer=transfer, acting=book.chair)
    assert refused.value.code == "same_official"


def test_a_transfer_rejected_after_an_approval_is_rejected():
    book = transfer_book(cash=2)
    two_signatures(book.chama, "transfer")
    transfer = requested(book, "1500.00", CASH, BANK)
    ledger_transfer_approve(transfer=transfer, acting=book.chair)

    rejected = ledger_transfer_reject(transfer=transfer, acting=book.secretary, reason="Not now")

    assert (rejected.status, rejected.rejection_reason) == ("rejected", "Not now")
    assert not JournalEntry.objects.filter(entry_type=EntryType.TRANSFER).exists()
    assert decisions(transfer) == [
        (book.chair.member_code, "approve"),
        (book.secretary.member_code, "reject"),
    ]


# --- welfare claims -------------------------------------------------------------------------


def test_a_claim_is_approved_at_the_second_signature():
    book = welfare_book()
    contribute(book)
    two_signatures(book.chama, "welfare")
    claim = submit(book, book.member, "500.00")

    first = welfare_claim_approve(claim=claim, acting=book.chair, note="Seen the bill")
    assert (first.status, first.decided_by_id, first.decision_note) == ("submitted", None, "")

    with pytest.raises(ConflictError) as refused:
        welfare_claim_approve(claim=claim, acting=book.chair)
    assert refused.value.message == (
        "You have already signed this welfare claim: an official signs a decision once."
    )

    second = welfare_claim_approve(claim=claim, acting=book.treasurer, note="Pay on Friday")
    assert (second.status, second.decided_by_id, second.decision_note) == (
        WelfareClaimStatus.APPROVED,
        book.treasurer.user_id,
        "Pay on Friday",
    )
    assert not JournalEntry.objects.filter(entry_type=EntryType.WELFARE_PAYOUT).exists()


def test_a_claim_rejected_after_an_approval_is_rejected():
    book = welfare_book()
    two_signatures(book.chama, "welfare")
    claim = submit(book, book.member, "500.00")
    welfare_claim_approve(claim=claim, acting=book.chair)

    rejected = welfare_claim_reject(claim=claim, acting=book.secretary, note="Covered by NHIF")

    assert (rejected.status, rejected.decision_note) == ("rejected", "Covered by NHIF")


def test_the_claimant_never_signs_their_own_claim():
    book = welfare_book()
    two_signatures(book.chama, "welfare")
    claim = submit(book, book.treasurer, "500.00")

    with pytest.raises(PermissionDeniedError) as refused:
        welfare_claim_approve(claim=claim, acting=book.treasurer)

    assert refused.value.code == "same_official"
    assert decisions(claim) == []


# --- loans ----------------------------------------------------------------------------------


def applied(book):
    return loan_apply(
        chama=book.chama,
        membership=book.borrower,
        acting=book.borrower,
        principal=Decimal("15000.00"),
        term_months=3,
    )


def test_a_loan_is_approved_at_the_second_signature_with_its_schedule():
    book = loan_book()
    two_signatures(book.chama, "loan")
    loan = applied(book)
    schedule = list(Installment.objects.filter(loan=loan).values_list("number", "due_date"))
    entries = JournalEntry.objects.count()

    first = loan_approve(loan=loan, acting=book.chair)
    assert (first.status, first.decided_by_id) == (LoanStatus.APPLIED, None)

    second = loan_approve(loan=loan, acting=book.treasurer)
    assert (second.status, second.decided_by_id) == (LoanStatus.APPROVED, book.treasurer.user_id)
    assert list(Installment.objects.filter(loan=loan).values_list("number", "due_date")) == (
        schedule
    )
    assert JournalEntry.objects.count() == entries  # approval posts nothing; disbursement does


def test_a_loan_above_the_threshold_needs_the_chair():
    book = loan_book()
    two_signatures(book.chama, "loan", threshold="10000.00")
    loan = applied(book)
    loan_approve(loan=loan, acting=book.treasurer)

    assert loan_approve(loan=loan, acting=book.chair).status == LoanStatus.APPROVED


def test_the_borrower_never_signs_and_a_rejection_rejects():
    book = loan_book()
    two_signatures(book.chama, "loan")
    loan = applied(book)
    loan_approve(loan=loan, acting=book.chair)

    with pytest.raises(PermissionDeniedError):
        loan_approve(loan=loan, acting=book.borrower)
    rejected = loan_reject(loan=loan, acting=book.treasurer, reason="Savings too recent")

    assert (rejected.status, rejected.rejection_reason) == ("rejected", "Savings too recent")
    assert decisions(loan) == [
        (book.chair.member_code, "approve"),
        (book.treasurer.member_code, "reject"),
    ]
