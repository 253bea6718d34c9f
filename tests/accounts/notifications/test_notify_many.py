"""notify_many: many events, keys and texts in one go, in the queries of one notify."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

from accounts.models import Notification, NotificationDelivery
from accounts.notifications.many import NotifyBatch, notify_many
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

NAIROBI = ZoneInfo("Africa/Nairobi")


def due(chama: str, amount: str) -> dict[str, str]:
    return {"chama": chama, "currency": "KES", "amount": amount, "due_date": "2026-03-10"}


def batches(users, chamas: int) -> list[NotifyBatch]:
    return [
        NotifyBatch(
            event="contribution_due",
            users=[u.pk for u in users],
            context=due(f"Chama {n}", "1,000.00"),
            key=f"contribution_due:round-{n}",
        )
        for n in range(chamas)
    ]


@time_machine.travel(datetime(2026, 3, 8, 22, 0, tzinfo=NAIROBI), tick=False)
def test_each_batch_is_told_in_its_own_words_once_per_key():
    wanjiku, otieno = UserFactory(), UserFactory(language="sw")
    sent = [
        NotifyBatch(
            event="contribution_due",
            users=[wanjiku.pk, otieno.pk],
            context=due("Umoja Group", "1,000.00"),
            key="contribution_due:r1",
        ),
        NotifyBatch(
            event="contribution_overdue",
            users=[wanjiku],
            context=due("Jirani", "600.00"),
            key="contribution_overdue:r0",
        ),
        NotifyBatch(event="contribution_due", users=[], context={}, key="nobody"),
    ]

    first, again = notify_many(sent), notify_many(sent)

    assert (first, again) == (3, 0)
    mine = Notification.objects.filter(user=wanjiku).order_by("event")
    assert [(n.event, n.body) for n in mine] == [
        (
            "contribution_due",
            "Reminder: your Umoja Group contribution of KES 1,000.00 is due on 2026-03-10.",
        ),
        (
            "contribution_overdue",
            "Your Jirani contribution of KES 600.00 was due on 2026-03-10 and is not yet paid.",
        ),
    ]
    # 22:00: quiet hours hold the SMS; the others go now.
    assert sorted(
        NotificationDelivery.objects.filter(notification__user=wanjiku).values_list(
            "channel", "status"
        )
    ) == sorted([("email", "queued"), ("sms", "deferred"), ("whatsapp", "skipped")] * 2)


@pytest.mark.parametrize("chamas", [1, 12])
def test_the_queries_are_the_same_for_one_batch_or_twelve(chamas, django_assert_num_queries):
    # Few rows: SQLite splits a larger bulk insert into batches of its variable limit.
    users = [UserFactory()]

    with django_assert_num_queries(6):
        assert notify_many(batches(users, chamas)) == chamas
