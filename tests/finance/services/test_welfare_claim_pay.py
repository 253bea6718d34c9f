"""Paying a welfare claim: by hand one entry, Dr 3200 welfare fund · Cr the account the money
leaves from; by M-Pesa B2C, Dr 1090 payouts in flight · Cr 1010 until M-Pesa answers. Never
more than the fund holds less the claims in flight, also when payments race."""

from decimal import Decimal

import pytest
from django.utils import timezone

from core.exceptions import ConflictError, PermissionDeniedError, ValidationFailed
from finance import chart
from finance.choices import (
    EntryType,
    PaymentMethod,
    PayoutMethod,
    WelfareClaimStatus,
)
from finance.exceptions import FinanceError
from finance.gateways import PAYOUT_GATEWAYS, ManualGateway, Transfer, TransferKind
from finance.models import Contribution, JournalEntry, Posting, WelfareClaim
from finance.selectors import trial_balance_get
from finance.services.contributions import contribution_record, contribution_reverse
from finance.services.welfare import welfare_claim_pay, welfare_claim_reject
from tests.concurrency import run_concurrently
from tests.finance.books import legs
from tests.finance.welfare import (
    approved,
    balance,
    contribute,
    fund_available,
    paid,
    submit,
    welfare_book,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def book():
    """Four seats have paid their first month in cash: the welfare fund holds 1,600."""
    book = welfare_book()
    contribute(book)
    return book


def pay(book, claim, method=PayoutMethod.CASH, by=None, **kw):
    return welfare_claim_pay(claim=claim, acting=by or book.treasurer, method=method, **kw)


def books_state(book):
    """Everything a refused payment must leave as it was."""
    return (
        JournalEntry.objects.count(),
        Posting.objects.count(),
        balance(book.chama, chart.WELFARE_FUND),
        balance(book.chama, chart.CASH),
        balance(book.chama, chart.BANK),
        list(WelfareClaim.objects.order_by("pk").values_list("pk", "status", "paid_entry")),
    )


def test_the_contributions_welfare_parts_make_up_the_fund(book):
    assert fund_available(book.chama) == Decimal("1600.00")
    assert balance(book.chama, chart.WELFARE_FUND) == Decimal("-1600.00")
    assert balance(book.chama, chart.CASH) == Decimal("4000.00")


def test_paying_an_approved_claim_posts_one_entry_from_the_fund_to_cash(book):
    # Given the member's approved hospital claim of 500
    claim = approved(book, book.member, "500.00")
    entries_before = JournalEntry.objects.count()

    # When the treasurer pays it in cash
    result = pay(book, claim)

    # Then one entry moves 500 out of the welfare fund and the cash box, for the member
    assert JournalEntry.objects.count() == entries_before + 1
    entry = result.paid_entry
    assert entry.entry_type == EntryType.WELFARE_PAYOUT
    assert entry.member == book.member
    assert entry.idempotency_key == f"welfare:{claim.pk}:paid"
    assert entry.recorded_by == book.treasurer.user
    assert entry.effective_date == timezone.localdate()
    assert entry.memo == (
        f"Welfare: hospital bill claim of {book.member.member_code} ({book.member.receive_phone})"
    )
    legs = sorted((p.account.code, p.side, p.amount) for p in entry.postings.all())
    assert legs == [("1030", "C", Decimal("500.00")), ("3200", "D", Decimal("500.00"))]
    assert balance(book.chama, chart.WELFARE_FUND) == Decimal("-1100.00")
    assert fund_available(book.chama) == Decimal("1100.00")
    assert balance(book.chama, chart.CASH) == Decimal("3500.00")
    assert trial_balance_get(chama=book.chama) == Decimal("0.00")
    # And the claim says who paid, how and where
    stored = WelfareClaim.objects.get(pk=claim.pk)
    assert stored.status == WelfareClaimStatus.PAID
    assert stored.paid_entry == entry
    assert stored.paid_by == book.treasurer.user
    assert stored.paid_at is not None
    assert stored.payout_method == PayoutMethod.CASH
    assert stored.destination == book.member.receive_phone


def test_a_bank_payment_leaves_the_bank_account_for_the_destination_given():
    # Given a fund paid in by bank transfer
    book = welfare_book()
    contribute(book, method=PaymentMethod.BANK)
    claim = approved(book, book.member, "1200.00")

    # When the secretary pays by bank to an account number
    result = pay(book, claim, method=PayoutMethod.BANK, by=book.secretary, destination=" 0123 ")

    legs = sorted((p.account.code, p.side, p.amount) for p in result.paid_entry.postings.all())
    assert legs == [("1020", "C", Decimal("1200.00")), ("3200", "D", Decimal("1200.00"))]
    assert balance(book.chama, chart.BANK) == Decimal("2800.00")
    assert fund_available(book.chama) == Decimal("400.00")
    assert (result.payout_method, result.destination) == (PayoutMethod.BANK, "0123")
    assert trial_balance_get(chama=book.chama) == Decimal("0.00")


def test_the_whole_fund_can_be_paid_out_down_to_zero(book):
    claim = approved(book, book.member, "1600.00")

    pay(book, claim)

    assert fund_available(book.chama) == Decimal("0.00")
    assert trial_balance_get(chama=book.chama) == Decimal("0.00")


def test_a_claim_larger_than_the_fund_is_refused_and_nothing_is_written(book):
    # Given 500 already paid out of the 1,600, and an approved claim of 1,100.01
    paid(book, book.secretary, "500.00")
    claim = approved(book, book.member, "1100.01")
    before = books_state(book)

    # When the treasurer tries to pay it
    with pytest.raises(ConflictError) as caught:
        pay(book, claim)

    # Then it is refused with both amounts, and the books and the claim are as they were
    assert caught.value.code == "insufficient_funds"
    assert caught.value.message == FinanceError.WELFARE_INSUFFICIENT_FUNDS.render(
        currency="KES", available="1,100.00", requested="1,100.01"
    )
    assert caught.value.message == (
        "The welfare fund has KES 1,100.00 available but this claim needs KES 1,100.01: "
        "the fund may not go negative."
    )
    assert books_state(book) == before
    assert WelfareClaim.objects.get(pk=claim.pk).status == WelfareClaimStatus.APPROVED
    # And once more money comes in, the same claim can be paid
    contribution_record(
        chama=book.chama,
        membership=book.member,
        amount=Decimal("1000.00"),
        method=PaymentMethod.CASH,
    )
    assert pay(book, claim).status == WelfareClaimStatus.PAID
    assert fund_available(book.chama) == Decimal("399.99")


def test_a_chama_without_a_welfare_part_has_nothing_to_pay_claims_with():
    book = welfare_book(welfare="0.00")
    contribute(book)
    claim = approved(book, book.member, "100.00")

    with pytest.raises(ConflictError) as caught:
        pay(book, claim)

    assert caught.value.code == "insufficient_funds"
    assert caught.value.message == FinanceError.WELFARE_INSUFFICIENT_FUNDS.render(
        currency="KES", available="0.00", requested="100.00"
    )
    assert not WelfareClaim.objects.filter(status=WelfareClaimStatus.PAID).exists()


@pytest.mark.parametrize("state", ["submitted", "rejected", "paid"])
def test_only_an_approved_claim_can_be_paid(book, state):
    claim = submit(book, book.member, "100.00")
    if state == "rejected":
        welfare_claim_reject(claim=claim, acting=book.chair, note="Not covered")
    if state == "paid":
        claim = paid(book, book.member, "100.00")
    before = books_state(book)

    with pytest.raises(ConflictError) as caught:
        pay(book, claim)

    assert caught.value.code == "claim_not_approved"
    assert caught.value.message == FinanceError.WELFARE_NOT_APPROVED.render(status=state)
    assert books_state(book) == before


@pytest.mark.parametrize("payer", ["member", "auditor"])
def test_only_an_official_pays(book, payer):
    claim = approved(book, book.member, "100.00")
    before = books_state(book)

    with pytest.raises(PermissionDeniedError) as caught:
        pay(book, claim, by=getattr(book, payer))

    assert (caught.value.code, caught.value.message) == (
        "officials_only",
        FinanceError.WELFARE_OFFICIALS_ONLY.message,
    )
    assert books_state(book) == before


def test_an_official_of_another_chama_cannot_pay(book):
    claim = approved(book, book.member, "100.00")
    other = welfare_book()

    with pytest.raises(PermissionDeniedError) as caught:
        pay(book, claim, by=other.treasurer)

    assert caught.value.code == "officials_only"
    assert WelfareClaim.objects.get(pk=claim.pk).status == WelfareClaimStatus.APPROVED


def test_mpesa_is_unavailable_until_a_gateway_is_registered(book, without_mpesa_gateway):
    claim = approved(book, book.member, "100.00")
    before = books_state(book)

    with pytest.raises(ValidationFailed) as caught:
        pay(book, claim, method=PayoutMethod.MPESA)

    assert (caught.value.code, caught.value.field) == ("method_unavailable", "method")
    assert caught.value.message == FinanceError.METHOD_UNAVAILABLE.render(method="mpesa")
    assert books_state(book) == before


@pytest.fixture
def mpesa_book():
    """Four seats have paid their first month by M-Pesa: the fund holds 1,600, the paybill
    4,000."""
    book = welfare_book()
    contribute(book, PaymentMethod.MPESA)
    return book


def test_a_b2c_payment_sends_the_claim_into_flight_and_holds_it_against_the_fund(
    mpesa_book, b2c_gateway, django_capture_on_commit_callbacks
):
    book = mpesa_book
    # Given the member's approved hospital claim of 500
    claim = approved(book, book.member, "500.00")

    # When the treasurer pays it by M-Pesa
    with django_capture_on_commit_callbacks() as callbacks:
        result = pay(book, claim, method=PayoutMethod.MPESA)
        # Then nothing is sent before the transaction commits
        assert b2c_gateway.transfers == []
    for callback in callbacks:
        callback()

    # And one entry moves 500 from the paybill into payouts in flight; the fund is not yet
    # debited, but it can pay others only what is left after this claim
    entry = result.transfer_entry
    assert entry.entry_type == EntryType.WELFARE_IN_FLIGHT
    assert legs(entry) == [("1010", "C", Decimal("500.00")), ("1090", "D", Decimal("500.00"))]
    assert entry.member == book.member
    assert entry.recorded_by == book.treasurer.user
    assert entry.idempotency_key == f"transfer:{result.transfer_reference}:sent"
    assert balance(book.chama, chart.WELFARE_FUND) == Decimal("-1600.00")
    assert fund_available(book.chama) == Decimal("1100.00")
    assert balance(book.chama, chart.PAYOUTS_IN_FLIGHT) == Decimal("500.00")
    assert balance(book.chama, chart.MPESA_PAYBILL) == Decimal("3500.00")
    assert trial_balance_get(chama=book.chama) == Decimal("0.00")
    # And the claim is in flight under a fresh reference, which the provider is given
    stored = WelfareClaim.objects.get(pk=claim.pk)
    assert stored.status == WelfareClaimStatus.IN_FLIGHT
    assert (stored.paid_entry, stored.paid_at) == (None, None)
    assert stored.paid_by == book.treasurer.user
    assert (stored.payout_method, stored.destination) == (
        PayoutMethod.MPESA,
        book.member.receive_phone,
    )
    assert b2c_gateway.transfers == [
        Transfer(
            kind=TransferKind.WELFARE,
            object_id=claim.pk,
            chama_id=book.chama.pk,
            amount=Decimal("500.00"),
            destination=book.member.receive_phone,
            reference=stored.transfer_reference,
            remarks="Welfare: hospital bill",
        )
    ]


@pytest.mark.parametrize("method", [PayoutMethod.CASH, PayoutMethod.MPESA])
def test_a_claim_in_flight_is_spoken_for_when_the_next_claim_is_paid(
    mpesa_book, b2c_gateway, method
):
    # Given a claim of 1,000 in flight out of a fund of 1,600
    book = mpesa_book
    pay(book, approved(book, book.member, "1000.00"), method=PayoutMethod.MPESA)
    claim = approved(book, book.secretary, "600.01")
    before = books_state(book)

    # When another claim of 600.01 is paid, by hand or by M-Pesa
    with pytest.raises(ConflictError) as caught:
        pay(book, claim, method=method)

    # Then it is refused: only 600 is left
    assert caught.value.code == "insufficient_funds"
    assert caught.value.message == FinanceError.WELFARE_INSUFFICIENT_FUNDS.render(
        currency="KES", available="600.00", requested="600.01"
    )
    assert books_state(book) == before
    assert WelfareClaim.objects.get(pk=claim.pk).status == WelfareClaimStatus.APPROVED


def test_a_contribution_whose_welfare_part_a_claim_in_flight_counts_on_cannot_be_reversed(
    mpesa_book, b2c_gateway
):
    # Given 1,300 of the fund's 1,600 in flight to a claimant
    book = mpesa_book
    pay(book, approved(book, book.member, "1300.00"), method=PayoutMethod.MPESA)
    contribution = Contribution.objects.get(membership=book.secretary)

    # When the secretary's contribution (400 to the fund) is reversed
    with pytest.raises(ConflictError) as caught:
        contribution_reverse(
            contribution=contribution, acting=book.treasurer, reason="Wrong member"
        )

    # Then it is refused: the fund owes that money to the claim in flight
    assert (caught.value.code, caught.value.message) == (
        "insufficient_funds",
        FinanceError.WELFARE_PART_SPENT.render(amount="400.00"),
    )
    assert Contribution.objects.get(pk=contribution.pk).status == "confirmed"


def test_a_single_phase_mpesa_gateway_pays_from_the_paybill(monkeypatch):
    monkeypatch.setitem(
        PAYOUT_GATEWAYS, PayoutMethod.MPESA, ManualGateway(PayoutMethod.MPESA, chart.MPESA_PAYBILL)
    )
    book = welfare_book()
    for i, seat in enumerate(book.seats):
        contribution_record(
            chama=book.chama,
            membership=seat,
            amount=Decimal("1000.00"),
            method=PaymentMethod.MPESA,
            mpesa_receipt=f"WF1234567{i}",
        )
    claim = approved(book, book.member, "300.00")

    result = pay(book, claim, method=PayoutMethod.MPESA)

    legs = sorted((p.account.code, p.side, p.amount) for p in result.paid_entry.postings.all())
    assert legs == [("1010", "C", Decimal("300.00")), ("3200", "D", Decimal("300.00"))]
    assert result.payout_method == PayoutMethod.MPESA
    assert trial_balance_get(chama=book.chama) == Decimal("0.00")


def test_a_destination_longer_than_64_characters_is_refused(book):
    claim = approved(book, book.member, "100.00")

    with pytest.raises(ValidationFailed) as caught:
        pay(book, claim, destination="9" * 65)

    assert (caught.value.code, caught.value.field) == ("max_length", "destination")
    assert caught.value.message == FinanceError.WELFARE_TEXT_TOO_LONG.render(limit="64")


# --- Real threads on PostgreSQL ------------------------------------------------------------


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(
    ("method", "status"),
    [
        (PayoutMethod.CASH, WelfareClaimStatus.PAID),
        (PayoutMethod.MPESA, WelfareClaimStatus.IN_FLIGHT),
    ],
)
def test_two_claims_that_fit_the_fund_alone_but_not_together_race_and_one_wins(
    b2c_gateway, method, status
):
    # Given a fund of 1,600 paid in the way it goes out, and two approved claims of 1,000 each
    book = welfare_book()
    contribute(book, method)
    claims = iter(
        [approved(book, book.member, "1000.00"), approved(book, book.secretary, "1000.00")]
    )

    # When both are paid at the same moment
    results = run_concurrently(lambda: pay(book, next(claims), method=method), 2)

    # Then exactly one is paid (by M-Pesa: in flight, and sent), the other is refused for
    # insufficient funds: the fund never went below zero nor promised more than it holds
    made = [r for r in results if isinstance(r, WelfareClaim)]
    refused = [r for r in results if isinstance(r, ConflictError)]
    assert len(made) == 1, results
    assert [e.code for e in refused] == ["insufficient_funds"], results
    assert refused[0].message == FinanceError.WELFARE_INSUFFICIENT_FUNDS.render(
        currency="KES", available="600.00", requested="1,000.00"
    )
    assert fund_available(book.chama) == Decimal("600.00")
    assert WelfareClaim.objects.filter(status=status).count() == 1
    by_mpesa = method == PayoutMethod.MPESA
    assert [t.object_id for t in b2c_gateway.transfers] == ([made[0].pk] if by_mpesa else [])
    in_flight = Decimal("1000.00") if by_mpesa else Decimal("0.00")
    assert balance(book.chama, chart.PAYOUTS_IN_FLIGHT) == in_flight
    assert trial_balance_get(chama=book.chama) == Decimal("0.00")


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_payments_racing_with_contributions_never_deadlock_or_overdraw_the_fund():
    # Given a fund of 1,600, six approved claims of 400 and six contributions coming in, all
    # touching the cash box and the welfare fund at once
    book = welfare_book()
    contribute(book)
    claims = [approved(book, book.member, "400.00") for _ in range(6)]
    payers = (book.seats * 2)[:6]
    work = iter([job for pair in zip(claims, payers, strict=True) for job in pair])

    def step():
        job = next(work)
        if isinstance(job, WelfareClaim):
            return pay(book, job)
        return contribution_record(
            chama=book.chama, membership=job, amount=Decimal("1000.00"), method=PaymentMethod.CASH
        )

    results = run_concurrently(step, 12)

    # Then nothing failed but for insufficient funds, and the books add up
    errors = [r for r in results if isinstance(r, Exception)]
    assert {getattr(e, "code", repr(e)) for e in errors} <= {"insufficient_funds"}, errors
    paid_count = WelfareClaim.objects.filter(status=WelfareClaimStatus.PAID).count()
    assert paid_count == 6 - len(errors)
    assert fund_available(book.chama) == Decimal("400.00") * (4 + 6 - paid_count)
    assert fund_available(book.chama) >= 0
    assert trial_balance_get(chama=book.chama) == Decimal("0.00")
