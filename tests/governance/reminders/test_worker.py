"""The reminder job on a real Celery worker: enqueued through Redis, run on the committed
books, and the notifications are there when it answers."""

from datetime import timedelta

import pytest
from django.utils import timezone

from accounts.models import Notification, NotificationDelivery
from governance.tasks import contribution_reminders_task
from tests.celery_worker import WAIT
from tests.governance.reminders.fixtures import book


@pytest.mark.postgres
@pytest.mark.celery_worker
def test_the_worker_sends_the_contribution_reminders_once(celery_worker):
    b = book(start=timezone.localdate() + timedelta(days=1))  # due tomorrow

    first = contribution_reminders_task.delay().get(timeout=WAIT)
    again = contribution_reminders_task.delay().get(timeout=WAIT)

    assert first == "3 reminder(s) sent in 1 batch(es)"
    assert again == "0 reminder(s) sent in 1 batch(es)"
    reminded = Notification.objects.filter(event="contribution_due", chama_id=b.chama.pk)
    assert set(reminded.values_list("user_id", flat=True)) == {
        b.chair.user_id,
        b.treasurer.user_id,
        b.member.user_id,
    }
    # One delivery per channel of the event for each of the three.
    assert NotificationDelivery.objects.filter(notification__in=reminded).count() == 9
