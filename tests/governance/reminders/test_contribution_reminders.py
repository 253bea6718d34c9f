"""Contribution reminders over a simulated month: each member hears once per due and kind
however often the job runs, on the days the constitution says, in a fixed number of queries."""

import dataclasses
from datetime import timedelta

import pytest

from accounts.models import Notification
from governance.constitution_rules import ReminderRules
from governance.selectors.constitution import constitution_rules_get
from governance.services.constitution import constitution_adopt
from governance.services.reminders import contribution_reminders
from groups.choices import Plan
from tests.factories import add_member, make_chama
from tests.governance.reminders.fixtures import START, at, book, bulk_dues, pay, run_daily, tally

pytestmark = pytest.mark.django_db


def test_a_month_of_daily_runs_reminds_each_member_once_per_due_and_kind():
    b = book()
    events = {
        START - timedelta(days=4): lambda: pay(b, b.chair),  # before the reminder days
        START: lambda: pay(b, b.member),  # on the day: reminded, never overdue
    }  # the treasurer never pays

    seconds = run_daily(contribution_reminders, START - timedelta(days=5), 30, events)

    assert seconds == [0] * 30  # every second run the same day sent nothing
    assert tally([b.chair, b.treasurer, b.member]) == {
        b.chair.member_code: {},
        b.treasurer.member_code: {"contribution_due": 1, "contribution_overdue": 1},
        b.member.member_code: {"contribution_due": 1},
    }
    due, overdue = (
        Notification.objects.get(user=b.treasurer.user_id, event=event)
        for event in ("contribution_due", "contribution_overdue")
    )
    # Two days before (the default), and the first day after the due date (no grace days).
    assert due.created_at.date() == START - timedelta(days=2)
    assert overdue.created_at.date() == START + timedelta(days=1)
    assert overdue.body == (
        "Your Umoja Group contribution of KES 1,000.00 was due on 2026-03-10 and is not yet paid."
    )
    assert due.chama_id == b.chama.pk


def test_the_days_before_and_the_grace_days_are_the_constitutions():
    b = book()
    rules = constitution_rules_get(chama=b.chama)
    with at(START - timedelta(days=15)):
        constitution_adopt(
            chama=b.chama,
            acting=b.chair,
            rules=dataclasses.replace(
                rules,
                contribution=dataclasses.replace(rules.contribution, grace_days=2),
                reminders=ReminderRules(contribution_days=5, installment_days=3),
            ),
        )

    sent = {}
    for offset in (-6, -5, -1, 1, 2, 3, 4):
        with at(START + timedelta(days=offset)):
            sent[offset] = contribution_reminders().notified

    assert sent == {-6: 0, -5: 3, -1: 0, 1: 0, 2: 0, 3: 3, 4: 0}


def test_an_overdue_due_is_reported_within_a_week_of_its_first_late_day_only():
    book()

    with at(START + timedelta(days=8)):  # the job first runs eight days late: arrears
        assert contribution_reminders().notified == 0
    with at(START + timedelta(days=7)):
        assert contribution_reminders().notified == 3


def test_a_paid_or_partly_paid_due_and_an_inactive_member():
    b = book()
    pay(b, b.chair)
    pay(b, b.member, "400.00")

    with at(START - timedelta(days=1)):
        run = contribution_reminders()

    assert run.notified == 2
    assert run.batches == 2  # the treasurer owes 1,000, the member 600: two texts
    assert Notification.objects.get(user=b.member.user_id).context["amount"] == "600.00"


# On PostgreSQL, as in production: SQLite splits a bulk insert into batches of its variable limit.
@pytest.mark.postgres
@pytest.mark.parametrize("members", [10, 200])
def test_the_query_count_is_the_same_for_10_and_200_dues(members, django_assert_num_queries):
    chama = make_chama(name="Kubwa Group", plan=Plan.PREMIUM)
    everyone = [chama.memberships.get()] + [add_member(chama) for _ in range(members - 1)]
    bulk_dues(chama, everyone, START)

    with at(START - timedelta(days=1)), django_assert_num_queries(12):
        run = contribution_reminders()

    assert run.notified == members
    assert Notification.objects.filter(event="contribution_due").count() == members


@pytest.mark.parametrize("chamas", [1, 4])
def test_the_query_count_is_the_same_for_one_round_or_four(chamas, django_assert_num_queries):
    for n in range(chamas):
        chama = make_chama(name=f"Chama {n}")
        bulk_dues(chama, [chama.memberships.get(), add_member(chama), add_member(chama)], START)

    with at(START - timedelta(days=1)), django_assert_num_queries(12):
        run = contribution_reminders()

    assert (run.batches, run.notified) == (chamas, 3 * chamas)
