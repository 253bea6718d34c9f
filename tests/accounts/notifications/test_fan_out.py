"""One event to a 500-member chama: a constant handful of queries, then one delivery task."""

import pytest
from django.db import connection

from accounts.models import Notification, NotificationDelivery, User
from accounts.notifications import notify
from accounts.notifications.backends import sms
from accounts.notifications.delivery import deliveries_send

MEMBERS = 500


@pytest.fixture
def members(db: None) -> list[User]:
    users = [
        User(phone=f"2547{30000000 + n:08d}", full_name=f"Member {n}", email=f"m{n}@example.com")
        for n in range(MEMBERS)
    ]
    return User.objects.bulk_create(users)


def inserts(count: int, fields: int) -> int:
    """INSERT statements for ``count`` rows: SQLite binds at most 999 parameters a statement."""
    if connection.vendor != "sqlite":
        return 1
    per_statement = 999 // fields
    return -(-count // per_statement)


def test_an_event_to_500_members_is_a_handful_of_queries(
    members, django_assert_num_queries, django_capture_on_commit_callbacks
):
    context = {"chama": "Umoja Group", "question": "Buy a plot in Juja?", "closes": "2026-03-09"}
    # savepoint, users + preferences, notifications, read-back of the keyed rows, deliveries,
    # release: on PostgreSQL 6 queries; SQLite splits each bulk insert by its parameter limit.
    expected = 4 + inserts(MEMBERS, 12) + inserts(MEMBERS * 3, 11)
    with django_capture_on_commit_callbacks() as callbacks:
        with django_assert_num_queries(expected):
            made = notify(event="vote_opened", users=members, context=context, key="vote:1")

    assert made == MEMBERS
    assert len(callbacks) == 1
    assert Notification.objects.count() == MEMBERS
    assert NotificationDelivery.objects.filter(status="queued").count() == MEMBERS * 2


def test_the_delivery_task_sends_500_smses_in_batches_with_constant_queries_per_batch(
    members, django_assert_num_queries
):
    context = {"chama": "Umoja Group", "question": "Buy a plot in Juja?", "closes": "2026-03-09"}
    notify(event="vote_opened", users=members, context=context, key="vote:1", urgent=True)

    # Per batch of 200 deliveries: savepoint, claim, mark sending, load, release, bulk update;
    # then the claim that finds nothing (savepoint, select, release). 1,000 deliveries (SMS and
    # email): five batches.
    batches = 5
    per_batch = 5 + (1 if connection.vendor != "sqlite" else -(-200 // (999 // 8)))
    with django_assert_num_queries(batches * per_batch + 3):
        run = deliveries_send(batch_size=200)

    assert (run.sent, run.deferred, run.failed) == (1000, 0, 0)
    assert len(sms.outbox) == MEMBERS
