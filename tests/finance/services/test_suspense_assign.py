"""An official assigns an unidentified receipt to the member it came from: it becomes their
contribution or a repayment of their loan, exactly as if recorded so, but moving the money out
of 2600 suspense instead of into the paybill (which already holds it)."""

from datetime import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from core.exceptions import ConflictError, ValidationFailed
from finance import chart
from finance.choices import (
    ContributionStatus,
    EntryType,
    PaymentMethod,
    SuspensePurpose,
    SuspenseStatus,
)
from finance.exceptions import FinanceError
from finance.models import Contribution, Due, JournalEntry, LoanRepayment, SuspenseReceipt
from finance.selectors import trial_balance_get
from finance.services.contributions import contribution_record
from finance.services.loans import loan_disbursement_settle
from finance.services.suspense import suspense_assign, suspense_receive
from groups.choices import MembershipStatus, Role
from groups.models import Membership
from tests.concurrency import run_concurrently
from tests.finance.books import balance, legs
from tests.finance.loans import approved_loan, loan_book, sent_by_mpesa
from tests.finance.welfare import welfare_book

pytestmark = pytest.mark.django_db

PAID_AT = datetime(2026, 1, 20, 9, 15, tzinfo=ZoneInfo("Africa/Nairobi"))


def receive(chama, amount, receipt="SA12345678"):
    return suspense_receive(
        chama=chama,
        amount=Decimal(amount),
        receipt=receipt,
        paid_at=PAID_AT,
        account_reference=f"{chama.code}M9",
        payer="2547 ***** 678",
    )


def assign(receipt, member, purpose=SuspensePurpose.CONTRIBUTION, by=None):
    by = by or Membership.objects.get(chama_id=receipt.chama_id, role=Role.TREASURER)
    return suspense_assign(receipt=receipt, acting=by, membership=member, purpose=purpose)


def dues_of(member):
    return [
        (d.status, d.paid_rotation, d.paid_welfare, d.paid_savings)
        for d in Due.objects.filter(membership=member).order_by("due_date")
    ]


def books_state():
    return (
        JournalEntry.objects.count(),
        Contribution.objects.count(),
        LoanRepayment.objects.count(),
        list(SuspenseReceipt.objects.values_list("status", "membership", "contribution")),
    )


@pytest.fixture
def book():
    """A merry-go-round of 1,000 a month (600 to the pot, 400 to welfare), nobody paid yet."""
    return welfare_book()


def test_assigned_as_a_contribution_it_settles_dues_as_a_recorded_one_would(book):
    # Given the member paid 1,500 recorded by hand, and the secretary's 1,500 reached suspense
    recorded = contribution_record(
        chama=book.chama,
        membership=book.member,
        amount=Decimal("1500.00"),
        method=PaymentMethod.MPESA,
        mpesa_receipt="SA12345670",
        paid_at=PAID_AT,
    )
    receipt = receive(book.chama, "1500.00")

    # When the treasurer assigns the receipt to the secretary as a contribution
    result = assign(receipt, book.secretary, by=book.treasurer)

    # Then it is the secretary's confirmed M-Pesa contribution with the receipt on it
    contribution = result.contribution
    assert (contribution.membership, contribution.amount, contribution.status) == (
        book.secretary,
        Decimal("1500.00"),
        ContributionStatus.CONFIRMED,
    )
    assert (contribution.method, contribution.mpesa_receipt, contribution.paid_at) == (
        PaymentMethod.MPESA,
        "SA12345678",
        PAID_AT,
    )
    assert contribution.recorded_by == contribution.confirmed_by == book.treasurer.user
    # And its entry credits what the recorded one credits — round 1's pot 600 and welfare
    # 400, round 2's pot 500 — but debits suspense, and books no receipt a second time
    entry = contribution.entry
    assert entry.entry_type == EntryType.CONTRIBUTION
    assert legs(entry) == [
        ("2200", "C", Decimal("500.00")),
        ("2200", "C", Decimal("600.00")),
        ("2600", "D", Decimal("1500.00")),
        ("3200", "C", Decimal("400.00")),
    ]
    assert [leg for leg in legs(recorded.entry) if leg[0] != "1010"] == [
        leg for leg in legs(entry) if leg[0] != "2600"
    ]
    assert (entry.external_source, entry.external_ref) == ("", None)
    assert (entry.member, entry.effective_date) == (book.secretary, PAID_AT.date())
    assert dues_of(book.secretary) == dues_of(book.member)
    assert dues_of(book.secretary)[:2] == [
        ("paid", Decimal("600.00"), Decimal("400.00"), Decimal("0.00")),
        ("partial", Decimal("500.00"), Decimal("0.00"), Decimal("0.00")),
    ]
    # And the money has left suspense for good; the paybill holds both payments
    assert balance(book.chama, chart.SUSPENSE) == Decimal("0.00")
    assert balance(book.chama, chart.MPESA_PAYBILL) == Decimal("3000.00")
    assert trial_balance_get(chama=book.chama) == Decimal("0.00")
    stored = SuspenseReceipt.objects.get(pk=receipt.pk)
    assert (stored.status, stored.membership, stored.assigned_by) == (
        SuspenseStatus.ASSIGNED,
        book.secretary,
        book.treasurer.user,
    )
    assert (stored.contribution, stored.loan_repayment) == (contribution, None)
    assert stored.assigned_at is not None


def test_assigned_as_a_loan_repayment_it_is_allocated_as_a_repayment_would_be(b2c_gateway):
    # Given the borrower's active loan of 15,000 flat over 3 months (6,500 a month)
    book = loan_book()
    loan = loan_disbursement_settle(
        loan=sent_by_mpesa(book, approved_loan(book)), receipt="SL12345670"
    )
    # And 7,000 from them in suspense
    receipt = receive(book.chama, "7000.00")

    # When the treasurer assigns it to the borrower as a loan repayment
    result = assign(receipt, book.borrower, SuspensePurpose.LOAN_REPAYMENT, by=book.treasurer)

    # Then the oldest installment is paid, interest first, and 500 goes to the next one
    repayment = result.loan_repayment
    assert (repayment.loan, repayment.amount, repayment.excess) == (
        loan,
        Decimal("7000.00"),
        Decimal("0.00"),
    )
    assert (repayment.method, repayment.mpesa_receipt, repayment.paid_at) == (
        PaymentMethod.MPESA,
        "SA12345678",
        PAID_AT,
    )
    parts = [
        (a.installment.number, a.interest, a.principal)
        for a in repayment.allocations.select_related("installment").order_by("id")
    ]
    assert parts == [
        (1, Decimal("1500.00"), Decimal("5000.00")),
        (2, Decimal("500.00"), Decimal("0.00")),
    ]
    assert legs(repayment.entry) == [
        ("1100", "C", Decimal("5000.00")),
        ("2600", "D", Decimal("7000.00")),
        ("4100", "C", Decimal("2000.00")),
    ]
    assert (repayment.entry.external_source, repayment.entry.external_ref) == ("", None)
    assert balance(book.chama, chart.SUSPENSE) == Decimal("0.00")
    assert balance(book.chama, chart.LOANS_RECEIVABLE, member=book.borrower) == Decimal("10000.00")
    assert trial_balance_get(chama=book.chama) == Decimal("0.00")
    assert (result.status, result.membership, result.contribution) == (
        SuspenseStatus.ASSIGNED,
        book.borrower,
        None,
    )


def test_a_receipt_is_assigned_once(book):
    receipt = receive(book.chama, "1000.00")
    assign(receipt, book.member, by=book.treasurer)
    before = books_state()

    with pytest.raises(ConflictError) as caught:
        assign(receipt, book.secretary, by=book.treasurer)

    assert (caught.value.code, caught.value.message) == (
        "already_assigned",
        FinanceError.SUSPENSE_ALREADY_ASSIGNED.render(receipt="SA12345678"),
    )
    assert books_state() == before


def test_a_member_without_a_loan_being_repaid_cannot_be_assigned_a_repayment(book):
    receipt = receive(book.chama, "1000.00")
    before = books_state()

    with pytest.raises(ConflictError) as caught:
        assign(receipt, book.member, SuspensePurpose.LOAN_REPAYMENT, by=book.treasurer)

    assert (caught.value.code, caught.value.message) == (
        "no_loan_to_repay",
        FinanceError.NO_LOAN_TO_REPAY.message,
    )
    assert books_state() == before
    assert SuspenseReceipt.objects.get().status == SuspenseStatus.OPEN


def test_the_member_must_be_an_active_member_of_the_receipts_chama(book):
    receipt = receive(book.chama, "1000.00")
    other = welfare_book()
    book.member.status = MembershipStatus.EXITED
    book.member.save(update_fields=["status"])
    before = books_state()

    with pytest.raises(ValidationFailed) as outsider:
        assign(receipt, other.member, by=book.treasurer)
    with pytest.raises(ValidationFailed) as exited:
        assign(receipt, book.member, by=book.treasurer)
    with pytest.raises(ValidationFailed) as purpose:
        assign(receipt, book.secretary, purpose="fine", by=book.treasurer)

    assert (outsider.value.code, outsider.value.field) == ("unknown_member", "member_id")
    assert (exited.value.code, exited.value.message) == (
        "member_not_active",
        FinanceError.MEMBER_NOT_ACTIVE.message,
    )
    assert (purpose.value.code, purpose.value.field, purpose.value.message) == (
        "invalid_purpose",
        "purpose",
        FinanceError.SUSPENSE_INVALID_PURPOSE.message,
    )
    assert books_state() == before


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_officials_assigning_one_receipt_at_once_make_one_contribution():
    # Given 1,000 in suspense
    book = welfare_book()
    receipt = receive(book.chama, "1000.00")
    members = iter([book.member, book.secretary])

    # When the chair and the treasurer assign it, to different members, at the same moment
    results = run_concurrently(lambda: assign(receipt, next(members), by=book.treasurer), 2)

    # Then one wins and the other is told it is already assigned
    won = [r for r in results if isinstance(r, SuspenseReceipt)]
    lost = [r for r in results if isinstance(r, ConflictError)]
    assert len(won) == 1, results
    assert [e.code for e in lost] == ["already_assigned"], results
    assert Contribution.objects.count() == 1
    assert Contribution.objects.get().membership == won[0].membership
    assert balance(book.chama, chart.SUSPENSE) == Decimal("0.00")
    assert trial_balance_get(chama=book.chama) == Decimal("0.00")
