"""Meeting reminders the day before, to every active member; vote reminders within a vote's
last 24 hours, to the electorate who have not voted (who voted is what the vote records;
a secret ballot's choice is never read)."""

from datetime import datetime, timedelta

import pytest
from django.utils import timezone

from accounts.models import Notification
from governance.models import VoteChoice
from governance.services.ballots import ballot_cast
from governance.services.meetings import meeting_cancel
from governance.services.reminders import meeting_reminders, vote_reminders
from tests.governance.meetings_fixtures import make_club, schedule
from tests.governance.reminders.fixtures import at
from tests.governance.votes_fixtures import make_board, open_vote

pytestmark = pytest.mark.django_db

NAIROBI = timezone.get_fixed_timezone(180)
TODAY = datetime(2026, 6, 1, 8, 0, tzinfo=NAIROBI)


def test_tomorrows_meeting_reaches_every_active_member_once():
    with at(TODAY.date()):
        club = make_club()
        tomorrow = schedule(club, TODAY + timedelta(days=1, hours=6))  # 14:00 tomorrow
        later = schedule(club, TODAY + timedelta(days=2, hours=6))
        cancelled = schedule(club, TODAY + timedelta(days=1, hours=9))
        meeting_cancel(meeting=cancelled, acting=club.secretary)

        first = meeting_reminders()
        again = meeting_reminders()

    assert (first.notified, first.batches, again.notified) == (5, 1, 0)
    assert set(Notification.objects.values_list("key", flat=True)) == {
        f"meeting_reminder:{tomorrow.pk}"
    }
    assert Notification.objects.get(user=club.auditor.user_id).body == (
        "Reminder: Umoja Group meets on 2026-06-02 at 14:00, Mama Njeri's house, Kawangware."
    )
    with at(TODAY.date() + timedelta(days=1)):
        assert meeting_reminders().notified == 5  # the day after's, now tomorrow
    assert Notification.objects.filter(key=f"meeting_reminder:{later.pk}").count() == 5


def test_a_vote_closing_within_a_day_reminds_the_members_who_have_not_voted():
    with at(TODAY.date()):
        board = make_board()
        closing = open_vote(board, closes_at=TODAY + timedelta(hours=20))
        later = open_vote(board, title="Hire a hall", closes_at=TODAY + timedelta(days=2))
        ballot_cast(vote=closing, acting=board.member, choice=VoteChoice.YES)

        first = vote_reminders()
        again = vote_reminders()

    # The chair, treasurer and secretary have not voted; the auditor has no vote.
    assert (first.notified, again.notified) == (3, 0)
    reminded = set(Notification.objects.values_list("user_id", flat=True))
    assert reminded == {board.chair.user_id, board.treasurer.user_id, board.secretary.user_id}
    assert Notification.objects.get(user=board.chair.user_id).body == (
        "Kijiji Vote Group: the vote on Buy a tent for meetings closes on 2026-06-02 04:00. "
        "Have you voted?"
    )
    with at(TODAY.date() + timedelta(days=1), "09:00"):
        assert vote_reminders().notified == 4  # "Hire a hall" closes within the day now
    assert Notification.objects.filter(key=f"vote_closing:{later.pk}").count() == 4
