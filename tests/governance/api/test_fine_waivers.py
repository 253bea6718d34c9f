"""POST fines/{id}/waive/ against the constitution's waiver threshold: up to it an official
waives at once; over it the members vote (202, one open vote per fine), and the vote's result
waives the fine (the ledger legs asserted) or leaves it owed."""

from dataclasses import replace
from datetime import timedelta
from decimal import Decimal as D

import pytest
import time_machine
from rest_framework.test import APIClient

from finance import chart
from finance.choices import EntryType, FineStatus
from finance.models import Fine, JournalEntry
from governance.constitution_rules import FineRules
from governance.models import Vote, VoteResult
from governance.selectors.constitution import constitution_rules_get
from governance.services.ballots import ballot_cast
from governance.services.constitution import constitution_adopt
from governance.services.fine_waivers import FINE_WAIVER_SUBJECT
from governance.services.votes import vote_close, votes_close_due
from tests.factories import UserFactory
from tests.finance.books import balance, legs
from tests.finance.fines import fine_book, fined

pytestmark = pytest.mark.django_db


@pytest.fixture
def book():
    """Fines over KES 300 are waived only by the members' vote."""
    book = fine_book()
    rules = constitution_rules_get(chama=book.chama)
    rules = replace(rules, fines=FineRules(waiver_vote_threshold=D("300.00")))
    constitution_adopt(chama=book.chama, acting=book.chair, rules=rules)
    return book


@pytest.fixture
def as_role(book, client_for):
    return lambda role: client_for(getattr(book, role).user)


def waive(book, as_role, fine, role="chair", reason="Her child was in hospital"):
    return as_role(role).post(
        f"/api/v1/chamas/{book.chama.pk}/fines/{fine.pk}/waive/", {"reason": reason}, format="json"
    )


def test_a_fine_up_to_the_threshold_is_waived_at_once(book, as_role):
    fine = fined(book, "300.00")

    response = waive(book, as_role, fine)

    assert response.status_code == 200, response.json()
    assert (response.json()["status"], response.json()["waived_amount"]) == ("waived", "300.00")
    fine.refresh_from_db()
    assert legs(fine.waive_entry) == [
        (chart.FINES_RECEIVABLE, "C", D("300.00")),
        (chart.FINES_INCOME, "D", D("300.00")),
    ]
    assert not Vote.objects.exists()


def test_a_fine_over_the_threshold_opens_one_vote_instead(book, as_role):
    fine = fined(book, "500.00")

    response = waive(book, as_role, fine)
    again = waive(book, as_role, fine, role="secretary")

    assert response.status_code == 202, response.json()
    vote = Vote.objects.get()
    assert response.json() == {
        "fine_id": str(fine.pk),
        "vote_id": str(vote.pk),
        "title": f"Waive KES 500.00 of the fine on {book.member.member_code} (Late to the meeting)",
        "quorum": "0.500",
        "closes_at": response.json()["closes_at"],
    }
    assert (vote.subject_type, vote.subject_id, vote.kind, vote.anonymous) == (
        FINE_WAIVER_SUBJECT,
        fine.pk,
        "simple",
        False,
    )
    assert (vote.description, vote.closes_at - vote.opens_at) == (
        "Her child was in hospital",
        timedelta(days=7),
    )
    assert again.status_code == 409
    assert again.json()["errors"][0]["code"] == "subject_vote_open"
    fine.refresh_from_db()
    assert (fine.status, fine.waive_entry) == (FineStatus.ISSUED, None)
    assert Vote.objects.count() == 1


def test_the_members_passing_the_vote_waive_the_fine(book, as_role):
    fine = fined(book, "500.00")
    waive(book, as_role, fine)
    vote = Vote.objects.get()
    for voter in (book.chair, book.secretary, book.member):
        ballot_cast(vote=vote, acting=voter, choice="yes")

    closed = vote_close(vote=vote, acting=book.chair)

    assert closed.result == VoteResult.PASSED
    fine.refresh_from_db()
    assert (fine.status, fine.waived_amount, fine.waived_by) == (
        FineStatus.WAIVED,
        D("500.00"),
        None,
    )
    assert fine.waive_reason == "Waived by the members' vote: Her child was in hospital"
    assert legs(fine.waive_entry) == [
        (chart.FINES_RECEIVABLE, "C", D("500.00")),
        (chart.FINES_INCOME, "D", D("500.00")),
    ]
    assert balance(book.chama, chart.FINES_RECEIVABLE, member=book.member) == D("0.00")


def test_a_failed_vote_leaves_the_fine_owed(book, as_role):
    fine = fined(book, "500.00")
    waive(book, as_role, fine)
    vote = Vote.objects.get()
    ballot_cast(vote=vote, acting=book.chair, choice="yes")
    ballot_cast(vote=vote, acting=book.secretary, choice="no")
    ballot_cast(vote=vote, acting=book.treasurer, choice="no")

    with time_machine.travel(vote.closes_at + timedelta(minutes=5), tick=False):
        assert votes_close_due() == 1

    vote.refresh_from_db()
    fine.refresh_from_db()
    assert vote.result == VoteResult.FAILED
    assert (fine.status, fine.waive_entry) == (FineStatus.ISSUED, None)
    assert not JournalEntry.objects.filter(entry_type=EntryType.FINE_WAIVER).exists()
    assert balance(book.chama, chart.FINES_RECEIVABLE, member=book.member) == D("500.00")


def test_a_fine_paid_in_full_before_the_vote_passes_stays_paid(book, as_role):
    fine = fined(book, "500.00")
    waive(book, as_role, fine)
    vote = Vote.objects.get()
    as_role("treasurer").post(
        f"/api/v1/chamas/{book.chama.pk}/fines/{fine.pk}/pay/",
        {"amount": "500.00", "method": "cash"},
        format="json",
    )
    for voter in (book.chair, book.secretary, book.member):
        ballot_cast(vote=vote, acting=voter, choice="yes")

    assert vote_close(vote=vote, acting=book.chair).result == VoteResult.PASSED

    fine.refresh_from_db()
    assert (fine.status, fine.waived_amount) == (FineStatus.PAID, D("0.00"))
    assert not JournalEntry.objects.filter(entry_type=EntryType.FINE_WAIVER).exists()


def test_the_threshold_compares_what_is_left_to_pay(book, as_role):
    fine = fined(book, "500.00")
    as_role("treasurer").post(
        f"/api/v1/chamas/{book.chama.pk}/fines/{fine.pk}/pay/",
        {"amount": "250.00", "method": "cash"},
        format="json",
    )

    response = waive(book, as_role, fine)

    assert (response.status_code, response.json()["waived_amount"]) == (200, "250.00")
    assert Fine.objects.get().status == FineStatus.WAIVED


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("chair", 202),
        ("secretary", 202),
        ("treasurer", 403),  # issued it
        ("member", 403),  # the fined member
        ("auditor", 403),
        ("outsider", 404),
        ("anonymous", 401),
    ],
)
def test_who_may_put_a_waiver_to_the_vote(book, client_for, who, status):
    fine = fined(book, "500.00")
    clients = {
        "outsider": lambda: client_for(UserFactory()),
        "anonymous": APIClient,
    }
    client = clients.get(who, lambda: client_for(getattr(book, who).user))()

    response = client.post(
        f"/api/v1/chamas/{book.chama.pk}/fines/{fine.pk}/waive/", {"reason": "x"}, format="json"
    )

    assert response.status_code == status, response.json()
    assert Vote.objects.count() == (1 if status == 202 else 0)
