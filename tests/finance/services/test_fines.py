"""Fines: issued (Dr 1120-M · Cr 4200), paid in part and in full (Dr cash · Cr 1120-M), from
savings (Dr 2100-M · Cr 1120-M) and waived (Dr 4200 · Cr 1120-M for what was unpaid)."""

from datetime import date
from decimal import Decimal as D

import pytest

from core.exceptions import ConflictError, PermissionDeniedError, ValidationFailed
from finance import chart
from finance.choices import EntryType, FineKind, FineStatus, PaymentMethod
from finance.exceptions import FineError
from finance.models import Fine, FinePayment, JournalEntry
from finance.selectors import trial_balance_get
from finance.services.fines import (
    FineToIssue,
    fine_issue,
    fine_pay,
    fine_pay_from_savings,
    fine_waive,
    fines_issue_bulk,
    fines_pay_member,
)
from groups.choices import MembershipStatus
from groups.exceptions import GroupsError
from tests.factories import add_member, make_chama
from tests.finance.books import balance, legs
from tests.finance.fines import fine_book, fined, save

pytestmark = pytest.mark.django_db


@pytest.fixture
def book():
    return fine_book()


def stored(fine):
    return Fine.objects.get(pk=fine.pk)


def test_an_official_fines_a_member_who_then_owes_it(book):
    # When the treasurer fines the member 500 for lateness
    fine = fined(book, "500.00", "  Late to the meeting ")

    # Then one entry: Dr 1120-M · Cr 4200, for the member, recorded by the treasurer
    entry = fine.issued_entry
    assert entry.entry_type == EntryType.FINE
    assert legs(entry) == [("1120", "D", D("500.00")), ("4200", "C", D("500.00"))]
    assert (entry.member, entry.recorded_by) == (book.member, book.treasurer.user)
    assert entry.memo == f"Fine on {book.member.member_code}: Late to the meeting"
    assert balance(book.chama, chart.FINES_RECEIVABLE, member=book.member) == D("500.00")
    assert balance(book.chama, chart.FINES_INCOME) == D("-500.00")
    # And the fine is issued, unpaid, manual and names no period
    fine = stored(fine)
    assert (fine.status, fine.kind, fine.period, fine.unpaid) == ("issued", "manual", "", D("500"))
    assert (fine.reason, fine.issued_by) == ("Late to the meeting", book.treasurer.user)


def test_a_fine_paid_in_part_then_in_full(book):
    fine = fined(book, "500.00")

    # When the treasurer records 200 in cash, then 300 by M-Pesa
    fine_pay(fine=fine, acting=book.treasurer, amount=D("200.00"), method=PaymentMethod.CASH)
    part = stored(fine)
    fine_pay(
        fine=fine,
        acting=book.treasurer,
        amount=D("300.00"),
        method=PaymentMethod.MPESA,
        mpesa_receipt="qkf1234567",
    )

    # Then the first left it partial with 300 unpaid
    assert (part.status, part.paid_amount, part.unpaid) == ("partial", D("200.00"), D("300.00"))
    # And each payment is Dr its cash account · Cr 1120-M
    cash, mpesa = FinePayment.objects.filter(membership=book.member).order_by("created_at")
    assert legs(cash.entry) == [("1030", "D", D("200.00")), ("1120", "C", D("200.00"))]
    assert legs(mpesa.entry) == [("1010", "D", D("300.00")), ("1120", "C", D("300.00"))]
    assert (mpesa.entry.external_source, mpesa.entry.external_ref) == ("mpesa", "QKF1234567")
    assert mpesa.entry.entry_type == EntryType.FINE_PAYMENT
    # And the fine is paid; the member owes nothing
    assert (stored(fine).status, stored(fine).paid_amount) == ("paid", D("500.00"))
    assert balance(book.chama, chart.FINES_RECEIVABLE, member=book.member) == D("0.00")
    assert trial_balance_get(chama=book.chama) == D("0.00")


def test_waiving_a_part_paid_fine_writes_back_only_what_was_unpaid(book):
    fine = fined(book, "500.00")
    fine_pay(fine=fine, acting=book.treasurer, amount=D("200.00"), method=PaymentMethod.CASH)

    # When the chair (not the issuer) waives the rest
    result = fine_waive(fine=fine, acting=book.chair, reason=" Bereavement in the family ")

    # Then Dr 4200 · Cr 1120-M for the 300 unpaid; the 200 paid stays income
    fine = stored(result)
    assert legs(fine.waive_entry) == [("1120", "C", D("300.00")), ("4200", "D", D("300.00"))]
    assert fine.waive_entry.entry_type == EntryType.FINE_WAIVER
    assert (fine.status, fine.paid_amount, fine.waived_amount) == (
        "waived",
        D("200.00"),
        D("300.00"),
    )
    assert (fine.waived_by, fine.waive_reason) == (book.chair.user, "Bereavement in the family")
    assert balance(book.chama, chart.FINES_RECEIVABLE, member=book.member) == D("0.00")
    assert balance(book.chama, chart.FINES_INCOME) == D("-200.00")


def test_a_vote_waives_with_no_official_acting(book):
    fine = fined(book, "500.00")

    fine = fine_waive(fine=fine, acting=None, reason="Vote 12 passed")

    assert (stored(fine).status, stored(fine).waived_by) == ("waived", None)
    assert fine.waive_entry.recorded_by is None


def test_the_member_pays_a_fine_from_their_savings(book):
    save(book, book.member, "1000.00")
    fine = fined(book, "500.00")

    fine_pay_from_savings(fine=fine, acting=book.member)

    [payment] = FinePayment.objects.filter(membership=book.member)
    assert legs(payment.entry) == [("1120", "C", D("500.00")), ("2100", "D", D("500.00"))]
    assert (payment.method, payment.recorded_by) == ("savings", book.member.user)
    assert stored(fine).status == FineStatus.PAID
    assert balance(book.chama, chart.MEMBER_SAVINGS, member=book.member) == D("-500.00")


def test_savings_that_hold_less_than_the_fine_are_refused(book):
    save(book, book.member, "300.00")
    fine = fined(book, "500.00")
    entries = JournalEntry.objects.count()

    with pytest.raises(ConflictError) as caught:
        fine_pay_from_savings(fine=fine, acting=book.member)

    assert (caught.value.code, caught.value.message) == (
        "insufficient_funds",
        "Savings hold KES 300.00: they cannot pay the KES 500.00 fine.",
    )
    assert JournalEntry.objects.count() == entries
    assert stored(fine).status == FineStatus.ISSUED


def test_only_the_fined_member_pays_from_their_savings(book):
    save(book, book.member, "1000.00")
    fine = fined(book, "500.00")

    with pytest.raises(PermissionDeniedError) as caught:
        fine_pay_from_savings(fine=fine, acting=book.treasurer)

    assert caught.value.message == FineError.OWN_SAVINGS_ONLY.message
    assert not FinePayment.objects.exists()


def test_a_members_payment_settles_their_oldest_fines_first_and_the_rest_is_credit(book):
    first, second = fined(book, "300.00", "Late"), fined(book, "500.00", "Absent")

    payment = fines_pay_member(
        membership=book.member,
        amount=D("1000"),
        method=PaymentMethod.MPESA,
        mpesa_receipt="QKF0000001",
    )

    assert legs(payment.entry) == [
        ("1010", "D", D("1000.00")),
        ("1120", "C", D("800.00")),
        ("2500", "C", D("200.00")),
    ]
    assert [(a.fine_id, a.amount) for a in payment.allocations.all()] == [
        (first.pk, D("300.00")),
        (second.pk, D("500.00")),
    ]
    assert (stored(first).status, stored(second).status) == ("paid", "paid")
    assert payment.excess == D("200.00")
    assert balance(book.chama, chart.MEMBER_CREDIT, member=book.member) == D("-200.00")


def test_a_members_short_payment_leaves_the_newer_fine_partial(book):
    first, second = fined(book, "300.00", "Late"), fined(book, "500.00", "Absent")

    fines_pay_member(membership=book.member, amount=D("400"), method=PaymentMethod.CASH)

    assert (stored(first).status, stored(second).status) == ("paid", "partial")
    assert stored(second).unpaid == D("400.00")


def test_a_members_payment_with_no_fine_owed_is_refused(book):
    with pytest.raises(ConflictError) as caught:
        fines_pay_member(membership=book.member, amount=D("400"), method=PaymentMethod.CASH)

    assert caught.value.message == f"{book.member.member_code} owes no fines."
    assert not JournalEntry.objects.filter(entry_type=EntryType.FINE_PAYMENT).exists()


def test_a_receipt_already_in_the_books_is_a_conflict(book):
    fine = fined(book, "500.00")
    fine_pay(
        fine=fine,
        acting=book.treasurer,
        amount=D("100.00"),
        method=PaymentMethod.MPESA,
        mpesa_receipt="QKF1234567",
    )
    entries = JournalEntry.objects.count()

    with pytest.raises(ConflictError) as caught:
        fine_pay(
            fine=fine,
            acting=book.treasurer,
            amount=D("100.00"),
            method=PaymentMethod.MPESA,
            mpesa_receipt="QKF1234567",
        )

    assert (caught.value.code, caught.value.message) == (
        "duplicate_receipt",
        "M-Pesa receipt QKF1234567 has already been recorded.",
    )
    assert JournalEntry.objects.count() == entries
    assert stored(fine).paid_amount == D("100.00")


@pytest.mark.parametrize("amount", ["0", "-5", "0.001", "100000000.01", "NaN"])
def test_a_fine_of_a_bad_amount_is_refused_and_writes_nothing(book, amount):
    with pytest.raises(ValidationFailed) as caught:
        fined(book, amount)

    assert (caught.value.code, caught.value.field) == ("invalid_amount", "amount")
    assert not Fine.objects.exists()
    assert not JournalEntry.objects.filter(entry_type=EntryType.FINE).exists()


def test_a_fine_needs_a_reason(book):
    with pytest.raises(ValidationFailed) as caught:
        fined(book, "100.00", "   ")

    assert (caught.value.message, caught.value.field) == ("Say why the member is fined.", "reason")
    assert not Fine.objects.exists()


def test_a_member_of_another_chama_cannot_be_fined_here(book):
    stranger = add_member(make_chama(name="Other"))

    with pytest.raises(ValidationFailed) as caught:
        fine_issue(
            chama=book.chama,
            acting=book.treasurer,
            membership=stranger,
            amount=D("100.00"),
            reason="Late",
        )

    assert caught.value.code == GroupsError.UNKNOWN_MEMBER
    assert not Fine.objects.exists()


def test_a_member_who_left_cannot_be_fined(book):
    book.member.status = MembershipStatus.EXITED
    book.member.save(update_fields=["status"])

    with pytest.raises(ValidationFailed) as caught:
        fined(book)

    assert caught.value.message == FineError.MEMBER_NOT_ACTIVE.message


@pytest.mark.parametrize("role", ["member", "auditor"])
def test_only_officials_issue_fines(book, role):
    with pytest.raises(PermissionDeniedError) as caught:
        fine_issue(
            chama=book.chama,
            acting=getattr(book, role),
            membership=book.chair,
            amount=D("100.00"),
            reason="Late",
        )

    assert caught.value.message == "Only officials issue fines."
    assert not Fine.objects.exists()


def test_a_fine_is_waived_once(book):
    fine = fine_waive(fine=fined(book), acting=book.chair, reason="Forgiven")
    entries = JournalEntry.objects.count()

    with pytest.raises(ConflictError) as caught:
        fine_waive(fine=fine, acting=book.chair, reason="Again")

    assert (caught.value.code, caught.value.message) == (
        "fine_settled",
        "This fine is waived (what was unpaid): nothing is left to pay or waive.",
    )
    assert JournalEntry.objects.count() == entries


def test_a_waived_fine_takes_no_payment(book):
    fine = fine_waive(fine=fined(book), acting=book.chair, reason="Forgiven")

    with pytest.raises(ConflictError) as caught:
        fine_pay(fine=fine, acting=book.treasurer, amount=D("10.00"), method=PaymentMethod.CASH)

    assert caught.value.code == "fine_settled"
    assert not FinePayment.objects.exists()


def test_paying_more_than_is_left_of_a_fine_is_refused(book):
    fine = fined(book, "500.00")

    with pytest.raises(ConflictError) as caught:
        fine_pay(fine=fine, acting=book.treasurer, amount=D("600.00"), method=PaymentMethod.CASH)

    assert caught.value.message == (
        "This fine has KES 500.00 left to pay: KES 600.00 is more than that."
    )
    assert not FinePayment.objects.exists()


@pytest.mark.parametrize("who", ["treasurer", "member"])
def test_neither_the_issuer_nor_the_fined_member_waives(book, who):
    fine = fined(book)

    with pytest.raises(PermissionDeniedError) as caught:
        fine_waive(fine=fine, acting=getattr(book, who), reason="Mine")

    expected = FineError.OWN_FINE_WAIVER if who == "treasurer" else FineError.OFFICIALS_WAIVE
    assert caught.value.message == expected.message
    assert stored(fine).status == FineStatus.ISSUED


def test_a_waiver_needs_a_reason(book):
    fine = fined(book)

    with pytest.raises(ValidationFailed) as caught:
        fine_waive(fine=fine, acting=book.chair, reason=" ")

    assert caught.value.message == "Say why the fine is waived."
    assert stored(fine).status == FineStatus.ISSUED


def late(book, period="2026-02", amount="100.00"):
    return FineToIssue(
        membership=book.member,
        kind=FineKind.LATE_CONTRIBUTION,
        period=period,
        amount=D(amount),
        reason="Contribution late",
        effective_date=date(2026, 2, 10),
    )


def test_rule_fines_are_issued_once_per_member_rule_and_period(book):
    # When the job runs twice over the same late member and period (and once more with a
    # new period)
    first = fines_issue_bulk(fines=[late(book), late(book)])
    again = fines_issue_bulk(fines=[late(book), late(book, "2026-03")])

    # Then one fine per period, each with its one entry
    assert [f.period for f in first] == ["2026-02"]
    assert [f.period for f in again] == ["2026-03"]
    fines = Fine.objects.filter(membership=book.member).order_by("period")
    assert [(f.kind, f.period, f.amount, f.issued_by) for f in fines] == [
        ("late_contribution", "2026-02", D("100.00"), None),
        ("late_contribution", "2026-03", D("100.00"), None),
    ]
    entries = JournalEntry.objects.filter(entry_type=EntryType.FINE)
    assert entries.count() == 2
    entry = fines[0].issued_entry
    assert legs(entry) == [("1120", "D", D("100.00")), ("4200", "C", D("100.00"))]
    assert entry.effective_date == date(2026, 2, 10)
    key = f"fine:{book.member.pk}:late_contribution:2026-02"
    assert entry.idempotency_key == key
    assert balance(book.chama, chart.FINES_RECEIVABLE, member=book.member) == D("200.00")
    assert trial_balance_get(chama=book.chama) == D("0.00")


def test_bulk_issuing_costs_the_same_queries_for_one_fine_or_many(
    book, django_assert_max_num_queries
):
    others = [book.chair, book.treasurer, book.secretary]
    fines_issue_bulk(fines=[late(book, "warm-up")])  # the first 1120-M and 4200 reads

    def batch(period, members):
        return [
            FineToIssue(
                membership=m,
                kind=FineKind.MISSED_MEETING,
                period=period,
                amount=D("50"),
                reason="Absent",
            )
            for m in members
        ]

    with django_assert_max_num_queries(14):
        fines_issue_bulk(fines=batch("m1", [book.member]))
    with django_assert_max_num_queries(14):
        fines_issue_bulk(fines=batch("m2", [book.member, *others]))
    assert Fine.objects.filter(kind=FineKind.MISSED_MEETING).count() == 5
