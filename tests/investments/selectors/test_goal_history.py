"""The history a simulation draws from: confirmed contributions summed per month, in one
query, the months with none as zero; no full month yet: the constitution's amount."""

from datetime import date, datetime, time
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from finance.choices import ContributionStatus
from finance.services.contributions import contribution_record
from investments.selectors.goals import contribution_history_monthly

pytestmark = pytest.mark.django_db
TODAY = date(2026, 12, 8)


def pay(club, member, amount, day, status=ContributionStatus.CONFIRMED):
    contribution_record(
        chama=club.chama,
        membership=member,
        amount=Decimal(amount),
        method="cash",
        status=status,
        paid_at=timezone.make_aware(datetime.combine(day, time(10))),
    )


def test_a_members_months_with_the_gaps_as_zero(club):
    # Given the member paid in August twice, nothing in September, in October and in
    # November, and this month (not yet a full month); another member paid too
    pay(club, club.member, "1000.00", date(2026, 8, 3))
    pay(club, club.member, "500.00", date(2026, 8, 28))
    pay(club, club.member, "1200.00", date(2026, 10, 5))
    pay(club, club.member, "800.00", date(2026, 11, 30))
    pay(club, club.member, "999.00", date(2026, 12, 2))
    pay(club, club.treasurer, "7000.00", date(2026, 9, 9))
    pay(club, club.member, "3000.00", date(2026, 9, 9), status=ContributionStatus.PENDING)

    # When the history is read, in one query
    with CaptureQueriesContext(connection) as queries:
        history = contribution_history_monthly(
            chama=club.chama, membership=club.member, today=TODAY
        )

    # Then August to November, pending money and other members' left out
    assert history.source == "history"
    assert history.monthly == [
        Decimal("1500.00"),
        Decimal("0.00"),
        Decimal("1200.00"),
        Decimal("800.00"),
    ]
    assert len(queries.captured_queries) == 1


def test_a_chama_goal_reads_every_members_money(club):
    pay(club, club.member, "1000.00", date(2026, 10, 3))
    pay(club, club.treasurer, "2500.00", date(2026, 10, 9))
    pay(club, club.chair, "700.00", date(2026, 11, 1))

    history = contribution_history_monthly(chama=club.chama, membership=None, today=TODAY)

    assert history.monthly == [Decimal("3500.00"), Decimal("700.00")]


def test_no_full_month_yet_falls_back_to_the_constitution(club):
    # The chama's 1,000.00 a month; five active members for a chama goal
    pay(club, club.member, "999.00", date(2026, 12, 2))

    mine = contribution_history_monthly(chama=club.chama, membership=club.member, today=TODAY)
    chama = contribution_history_monthly(chama=club.chama, membership=None, today=TODAY)

    assert (mine.source, mine.monthly) == ("constitution", [Decimal("1000.00")])
    assert chama.monthly == [Decimal("5000.00")]
