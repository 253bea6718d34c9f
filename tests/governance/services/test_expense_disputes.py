"""The 48-hour dispute, end to end on the clock: an expense above the chair threshold left
unapproved for 48 hours goes once to an anonymous vote of the members, whose result, when the
votes' close job counts it, approves (and posts) or rejects it."""

from datetime import datetime, time, timedelta
from decimal import Decimal
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.management import call_command
from django.utils import timezone

from core.exceptions import ConflictError
from finance import chart
from finance.models import JournalEntry
from governance.exceptions import ExpenseError
from governance.models import Expense, Vote
from governance.services.ballots import ballot_cast
from governance.services.expense_disputes import (
    REJECTED_BY_VOTE,
    REJECTED_NO_QUORUM,
    expense_escalation,
)
from governance.services.expenses import expense_approve, expense_pay, expense_reject
from tests.finance.books import balance, legs
from tests.governance.expenses_fixtures import cash_in, expense_record, expense_rules_adopt

pytestmark = pytest.mark.django_db

# Tomorrow at 09:00 in Nairobi: after the members joined (a vote's electorate is who was a
# member when it opened), so the whole path runs forward from there.
MONDAY = datetime.combine(
    timezone.localdate() + timedelta(days=1), time(9, 0), tzinfo=ZoneInfo("Africa/Nairobi")
)


def run(name: str) -> str:
    out = StringIO()
    call_command("run_job", name, stdout=out)
    return out.getvalue().strip()


@pytest.fixture
def disputed_rules(club):
    """Two signatures; the chair's above KES 5,000; a 70% dispute quorum."""
    expense_rules_adopt(club, signatures=2, chair_threshold="5000.00", dispute_quorum="0.70")
    return club


def record_on_monday(club, amount="8000.00"):
    with time_machine.travel(MONDAY, tick=False):
        return expense_record(club, amount)


def votes_cast(vote, club, *choices):
    voters = [club.chair, club.secretary, club.member, club.treasurer]
    for voter, choice in zip(voters, choices, strict=False):
        ballot_cast(vote=vote, acting=voter, choice=choice)


def test_the_expense_path_from_record_to_ledger(disputed_rules):
    club = disputed_rules
    cash_in(club, "10000.00")
    # Given the treasurer records KES 8,000 for the hall at 09:00
    expense = record_on_monday(club)

    # When the job runs 47 hours later, nothing is due yet
    with time_machine.travel(MONDAY + timedelta(hours=47), tick=False):
        assert run("expense_escalation") == "expense_escalation: 0 dispute vote(s) opened"

    # When it runs after 48 hours without approval, twice, one dispute vote opens, once
    with time_machine.travel(MONDAY + timedelta(hours=48, minutes=15), tick=False):
        assert run("expense_escalation") == "expense_escalation: 1 dispute vote(s) opened"
        assert run("expense_escalation") == "expense_escalation: 0 dispute vote(s) opened"
        # And while the members decide, the officials' signatures are refused
        with pytest.raises(ConflictError) as refused:
            expense_approve(expense=expense, acting=club.chair)
        assert refused.value.code == ExpenseError.DISPUTED

    vote = Vote.objects.get(subject_type="expense", subject_id=expense.pk)
    disputed = Expense.objects.get(pk=expense.pk)
    assert (disputed.status, disputed.dispute_vote) == ("disputed", vote)
    assert (vote.kind, vote.anonymous, vote.quorum, vote.electorate, vote.opened_by) == (
        "simple",
        True,
        Decimal("0.700"),
        4,  # chair, treasurer, secretary, member (the auditor observes)
        None,
    )
    assert vote.closes_at == MONDAY + timedelta(hours=48, minutes=15, days=7)
    assert vote.title == "Dispute: venue expense of KES 8,000.00 to Kawangware Social Hall"

    # When three of the four members vote (75%, over the quorum), two for and one against
    with time_machine.travel(MONDAY + timedelta(days=3), tick=False):
        votes_cast(vote, club, "yes", "yes", "no")
    # And the votes' close job runs after the deadline
    with time_machine.travel(vote.closes_at + timedelta(minutes=5), tick=False):
        assert run("votes_close") == "votes_close: 1 vote(s) closed"

    # Then the vote passed and the expense is approved: Dr 5100 · Cr 2400, once
    vote.refresh_from_db()
    assert (vote.status, vote.result, vote.yes_count, vote.no_count) == ("closed", "passed", 2, 1)
    approved = Expense.objects.get(pk=expense.pk)
    assert approved.status == "approved"
    assert approved.approved_entry.recorded_by is None  # the members decided, not an official
    assert legs(approved.approved_entry) == [
        ("2400", "C", Decimal("8000.00")),
        ("5100", "D", Decimal("8000.00")),
    ]
    assert balance(club.chama, chart.EXPENSES_PAYABLE) == Decimal("-8000.00")

    # And the treasurer pays it from the cash box: Dr 2400 · Cr 1030
    paid = expense_pay(expense=approved, acting=club.treasurer, account="cash")
    assert legs(paid.paid_entry) == [
        ("1030", "C", Decimal("8000.00")),
        ("2400", "D", Decimal("8000.00")),
    ]
    assert balance(club.chama, chart.CASH) == Decimal("2000.00")
    assert balance(club.chama, chart.EXPENSES_PAYABLE) == Decimal("0.00")


@pytest.mark.parametrize(
    ("choices", "result", "reason"),
    [
        (("no", "no", "yes"), "failed", REJECTED_BY_VOTE),
        (("yes", "yes"), "no_quorum", REJECTED_NO_QUORUM),  # 2 of 4 is under 70%
    ],
)
def test_a_failed_or_inquorate_dispute_rejects_and_writes_no_ledger(
    disputed_rules, choices, result, reason
):
    club = disputed_rules
    expense = record_on_monday(club)
    with time_machine.travel(MONDAY + timedelta(hours=49), tick=False):
        assert expense_escalation() == 1
        vote = Vote.objects.get(subject_id=expense.pk)
        votes_cast(vote, club, *choices)

    with time_machine.travel(vote.closes_at + timedelta(minutes=1), tick=False):
        assert run("votes_close") == "votes_close: 1 vote(s) closed"

    assert Vote.objects.get(pk=vote.pk).result == result
    rejected = Expense.objects.get(pk=expense.pk)
    assert (rejected.status, rejected.rejection_reason, rejected.approved_entry) == (
        "rejected",
        reason,
        None,
    )
    assert JournalEntry.objects.filter(chama=club.chama).count() == 0
    # And a rejected expense never goes to a vote again
    with time_machine.travel(vote.closes_at + timedelta(days=3), tick=False):
        assert expense_escalation() == 0


def test_what_does_not_go_to_a_vote(disputed_rules):
    club = disputed_rules
    small = record_on_monday(club, "5000.00")  # at the threshold, not above it
    signed = record_on_monday(club, "9000.00")
    refused = record_on_monday(club, "7000.00")
    with time_machine.travel(MONDAY + timedelta(hours=40), tick=False):
        expense_approve(expense=signed, acting=club.secretary)
        expense_approve(expense=signed, acting=club.chair)
        expense_reject(expense=refused, acting=club.secretary, reason="Not ours")

    with time_machine.travel(MONDAY + timedelta(hours=60), tick=False):
        assert expense_escalation() == 0

    assert [Expense.objects.get(pk=e.pk).status for e in (small, signed, refused)] == [
        "pending",
        "approved",
        "rejected",
    ]
    assert not Vote.objects.exists()


def test_a_pending_expense_with_one_signature_of_two_still_goes_to_the_vote(disputed_rules):
    club = disputed_rules
    expense = record_on_monday(club)
    expense_approve(expense=expense, acting=club.secretary)

    with time_machine.travel(MONDAY + timedelta(hours=48), tick=False):
        assert expense_escalation() == 1

    assert Expense.objects.get(pk=expense.pk).status == "disputed"


def test_a_chama_without_a_chair_threshold_sends_nothing_to_a_vote(club):
    expense_rules_adopt(club, signatures=2)
    record_on_monday(club, "900000.00")

    with time_machine.travel(MONDAY + timedelta(days=10), tick=False):
        assert expense_escalation() == 0


def test_the_dispute_quorum_is_the_constitutions(club):
    expense_rules_adopt(club, chair_threshold="1000.00", dispute_quorum="0.60")
    expense = record_on_monday(club, "2500.00")

    with time_machine.travel(MONDAY + timedelta(hours=48), tick=False):
        assert expense_escalation() == 1

    assert Vote.objects.get(subject_id=expense.pk).quorum == Decimal("0.600")


def test_the_escalation_is_scheduled_hourly(settings):
    entry = settings.CELERY_BEAT_SCHEDULE["expense-escalation"]

    assert entry["task"] == "governance.tasks.expense_escalation_task"
    assert (entry["schedule"].minute, len(entry["schedule"].hour)) == ({15}, 24)
