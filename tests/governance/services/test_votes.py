"""Opening, voting in and closing a vote through the services."""

from datetime import timedelta
from decimal import Decimal
from io import StringIO

import pytest
import time_machine
from auditlog.models import LogEntry
from django.core.management import call_command
from django.utils import timezone

from core.exceptions import ConflictError, PermissionDeniedError, ValidationFailed
from governance.models import Ballot, Vote, VoteParticipation, VoteProxy
from governance.services import votes as votes_service
from governance.services.ballots import ballot_cast, vote_proxy_grant
from governance.services.votes import vote_close, votes_close_due
from tests.factories import add_member, make_chama
from tests.governance.votes_fixtures import open_vote

pytestmark = pytest.mark.django_db


def written():
    return (VoteParticipation.objects.count(), Ballot.objects.count(), VoteProxy.objects.count())


def test_an_official_opens_a_vote_counting_the_members_who_can_vote(board):
    vote = open_vote(board, kind="two_thirds", quorum=Decimal("0.75"))

    assert (vote.status, vote.result, vote.kind, vote.quorum) == (
        "open",
        "",
        "two_thirds",
        Decimal("0.75"),
    )
    assert vote.electorate == 4  # chair, treasurer, secretary, member: not the auditor
    assert vote.opened_by == board.chair
    assert vote.yes_count is None


@pytest.mark.parametrize(
    ("overrides", "code", "message"),
    [
        (
            {"quorum": Decimal("1.5")},
            "invalid_quorum",
            "The quorum is a share of the members: more than 0 and at most 1 (e.g. 0.5).",
        ),
        ({"quorum": Decimal("0")}, "invalid_quorum", None),
        ({"quorum": Decimal("0.3333")}, "invalid_quorum", None),
        ({"kind": "most"}, "invalid_kind", "A vote is simple, two_thirds or unanimous."),
        ({"title": "  "}, "title_required", "Give the motion a title."),
        ({"closes_at": timezone.now() - timedelta(minutes=1)}, "invalid_window", None),
        ({"subject_type": "spaceship", "subject_id": "some-subject"}, "unknown_subject", None),
    ],
)
def test_a_bad_motion_is_refused_and_nothing_is_written(board, overrides, code, message):
    if overrides.get("subject_id") == "some-subject":
        overrides["subject_id"] = board.chama.pk
    with pytest.raises(ValidationFailed) as refused:
        open_vote(board, **overrides)

    assert refused.value.code == code
    if message:
        assert refused.value.message == message
    assert Vote.objects.count() == 0


@pytest.mark.parametrize("role", ["member", "auditor"])
def test_only_officials_open_votes(board, role):
    with pytest.raises(PermissionDeniedError) as refused:
        open_vote(board, acting=getattr(board, role))

    assert refused.value.message == "Only an official can open a vote."
    assert Vote.objects.count() == 0


def test_a_subject_has_one_open_vote(board, monkeypatch):
    monkeypatch.setitem(votes_service.VOTE_OUTCOMES, "expense", lambda vote: None)
    subject = board.chama.pk
    open_vote(board, acting=None, subject_type="expense", subject_id=subject)

    with pytest.raises(ConflictError) as refused:
        open_vote(board, acting=None, subject_type="expense", subject_id=subject)

    assert refused.value.message == "A vote on this expense is already open."
    assert Vote.objects.count() == 1


def test_an_anonymous_ballot_stores_who_voted_apart_from_what_they_chose(board):
    vote = open_vote(board)

    ballot_cast(vote=vote, acting=board.member, choice="yes")

    participation = VoteParticipation.objects.get()
    assert (participation.membership, participation.cast_by, participation.choice) == (
        board.member,
        None,
        "",
    )
    assert list(Ballot.objects.values_list("vote", "choice")) == [(vote.pk, "yes")]
    assert {f.name for f in Ballot._meta.get_fields()} == {"id", "vote", "choice"}


def test_an_open_ballot_records_the_choice_with_the_member(board):
    vote = open_vote(board, anonymous=False)

    ballot_cast(vote=vote, acting=board.member, choice="no")

    assert list(VoteParticipation.objects.values_list("membership", "choice")) == [
        (board.member.pk, "no")
    ]
    assert list(Ballot.objects.values_list("choice", flat=True)) == ["no"]


def test_voting_twice_is_refused_and_nothing_is_written(board):
    vote = open_vote(board)
    ballot_cast(vote=vote, acting=board.member, choice="yes")

    with pytest.raises(ConflictError) as refused:
        ballot_cast(vote=vote, acting=board.member, choice="no")

    assert (refused.value.code, refused.value.message) == (
        "already_voted",
        "This member has already voted in this vote.",
    )
    assert written() == (1, 1, 0)


def test_voting_before_opening_or_after_the_deadline_or_close_is_refused(board):
    later = timezone.now() + timedelta(days=1)
    vote = open_vote(board, opens_at=later, closes_at=later + timedelta(days=1))

    with pytest.raises(ConflictError) as early:
        ballot_cast(vote=vote, acting=board.member, choice="yes")
    with time_machine.travel(later + timedelta(days=2)), pytest.raises(ConflictError) as late:
        ballot_cast(vote=vote, acting=board.member, choice="yes")
    other = open_vote(board)
    vote_close(vote=other, acting=board.chair)
    with pytest.raises(ConflictError) as closed:
        ballot_cast(vote=other, acting=board.member, choice="yes")

    assert early.value.message == f"Voting opens at {vote.opens_at.isoformat()}."
    assert late.value.message == f"Voting closed at {vote.closes_at.isoformat()}."
    assert (closed.value.code, closed.value.message) == ("vote_closed", "This vote is closed.")
    assert written() == (0, 0, 0)


def test_the_auditor_a_member_of_another_chama_and_a_late_joiner_cannot_vote(board):
    vote = open_vote(board)
    stranger = make_chama(name="Other Group").memberships.get()
    late_joiner = add_member(board.chama)

    for voter in (board.auditor, stranger, late_joiner):
        with pytest.raises(PermissionDeniedError) as refused:
            ballot_cast(vote=vote, acting=voter, choice="yes")
        assert refused.value.message == (
            "Only members who could vote when it opened may vote (the auditor observes)."
        )
    with pytest.raises(ValidationFailed):
        ballot_cast(vote=vote, acting=board.member, choice="maybe")
    assert written() == (0, 0, 0)


def test_a_proxy_holder_casts_for_the_member_who_authorised_it(board):
    vote = open_vote(board)
    vote_proxy_grant(vote=vote, acting=board.member, holder=board.treasurer)

    ballot_cast(vote=vote, acting=board.treasurer, choice="no", membership=board.member)
    ballot_cast(vote=vote, acting=board.treasurer, choice="yes")

    assert set(VoteParticipation.objects.values_list("membership", "cast_by", "choice")) == {
        (board.member.pk, board.treasurer.pk, ""),
        (board.treasurer.pk, None, ""),
    }
    with pytest.raises(ConflictError):  # the member's ballot is cast: not again in person
        ballot_cast(vote=vote, acting=board.member, choice="yes")


def test_casting_for_a_member_without_their_proxy_is_refused(board):
    vote = open_vote(board)

    with pytest.raises(PermissionDeniedError) as refused:
        ballot_cast(vote=vote, acting=board.chair, choice="yes", membership=board.member)

    assert refused.value.message == "You hold no proxy from this member for this vote."
    assert written() == (0, 0, 0)


def test_a_proxy_is_given_once_to_another_voter_before_voting(board):
    vote = open_vote(board)

    with pytest.raises(ValidationFailed) as to_self:
        vote_proxy_grant(vote=vote, acting=board.member, holder=board.member)
    with pytest.raises(ValidationFailed) as to_auditor:
        vote_proxy_grant(vote=vote, acting=board.member, holder=board.auditor)
    vote_proxy_grant(vote=vote, acting=board.member, holder=board.chair)
    with pytest.raises(ConflictError) as twice:
        vote_proxy_grant(vote=vote, acting=board.member, holder=board.secretary)
    ballot_cast(vote=vote, acting=board.treasurer, choice="yes")
    with pytest.raises(ConflictError) as after_voting:
        vote_proxy_grant(vote=vote, acting=board.treasurer, holder=board.chair)

    assert to_self.value.code == "proxy_self"
    assert to_auditor.value.code == "holder_not_a_voter"
    assert twice.value.code == "proxy_exists"
    assert after_voting.value.code == "already_voted"
    assert written() == (1, 1, 1)


def cast_all(vote, board, *choices):
    for voter, choice in zip(board.voters, choices, strict=False):
        ballot_cast(vote=vote, acting=voter, choice=choice)


def test_the_chair_closes_the_vote_and_the_result_is_final(board):
    vote = open_vote(board, kind="two_thirds")
    cast_all(vote, board, "yes", "yes", "no")

    closed = vote_close(vote=vote, acting=board.chair)

    assert (closed.status, closed.result, closed.closed_by) == ("closed", "passed", board.chair)
    assert (closed.yes_count, closed.no_count, closed.abstain_count) == (2, 1, 0)
    again = vote_close(vote=vote, acting=board.chair)
    assert (again.closed_at, again.result) == (closed.closed_at, "passed")
    entries = LogEntry.objects.get_for_object(closed).order_by("timestamp")
    assert [e.action for e in entries] == [LogEntry.Action.CREATE, LogEntry.Action.UPDATE]
    assert entries.last().changes_dict["result"] == ["", "passed"]


@pytest.mark.parametrize("role", ["treasurer", "secretary", "member", "auditor"])
def test_only_the_chair_closes(board, role):
    vote = open_vote(board)

    with pytest.raises(PermissionDeniedError) as refused:
        vote_close(vote=vote, acting=getattr(board, role))

    assert refused.value.message == "Only the chair can close a vote."
    assert Vote.objects.get().status == "open"


def test_a_vote_short_of_its_quorum_decides_nothing(board):
    vote = open_vote(board, quorum=Decimal("0.75"))
    cast_all(vote, board, "yes", "yes")

    assert vote_close(vote=vote, acting=board.chair).result == "no_quorum"


def test_the_outcome_of_a_subject_vote_runs_once_with_the_decided_vote(board, monkeypatch):
    seen = []
    monkeypatch.setitem(
        votes_service.VOTE_OUTCOMES, "fine_waiver", lambda vote: seen.append(vote.result)
    )
    vote = open_vote(board, acting=None, subject_type="fine_waiver", subject_id=board.member.pk)
    cast_all(vote, board, "yes", "yes", "yes")

    vote_close(vote=vote, acting=board.chair)
    vote_close(vote=vote, acting=board.chair)

    assert seen == ["passed"]


def run_job():
    out = StringIO()
    call_command("run_job", "votes_close", stdout=out)
    return out.getvalue().strip()


def test_the_job_closes_due_votes_once_and_leaves_the_others_open(board):
    due = open_vote(board, closes_at=timezone.now() + timedelta(hours=1))
    not_due = open_vote(board, closes_at=timezone.now() + timedelta(days=3))
    cast_all(due, board, "yes", "no", "no")

    with time_machine.travel(timezone.now() + timedelta(hours=2)):
        assert votes_close_due() == 1
        assert run_job() == "votes_close: 0 vote(s) closed"

    due.refresh_from_db()
    assert (due.status, due.result, due.closed_by, due.no_count) == ("closed", "failed", None, 2)
    assert Vote.objects.get(pk=not_due.pk).status == "open"


def test_the_job_closes_through_run_job(board):
    open_vote(board, closes_at=timezone.now() + timedelta(hours=1))

    with time_machine.travel(timezone.now() + timedelta(hours=2)):
        assert run_job() == "votes_close: 1 vote(s) closed"
        assert run_job() == "votes_close: 0 vote(s) closed"
    assert Vote.objects.get().result == "no_quorum"


def test_the_system_does_not_close_a_vote_before_its_deadline(board):
    vote = open_vote(board)

    assert vote_close(vote=vote, acting=None).status == "open"
    assert votes_close_due() == 0


def test_the_close_job_is_scheduled_every_five_minutes(settings):
    entry = settings.CELERY_BEAT_SCHEDULE["votes-close"]

    assert entry["task"] == "governance.tasks.votes_close_due_task"
    assert entry["schedule"].minute == set(range(0, 60, 5))
