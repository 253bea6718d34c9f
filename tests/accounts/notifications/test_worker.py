"""The delivery task on a real Celery worker through Redis: notify commits, the worker sends,
and the delivery's status is visible in the database."""

import pytest
from celery.result import EagerResult

from accounts.models import NotificationDelivery
from accounts.notifications import notify
from accounts.notifications.backends import sms
from accounts.tasks import notifications_deliver_task
from tests.celery_worker import WAIT
from tests.factories import UserFactory


@pytest.mark.postgres
@pytest.mark.celery_worker
def test_the_worker_sends_a_committed_notification_and_records_it(celery_worker, receipt):
    user = UserFactory(phone="254711222333", email=None)
    # Committed at once (no transaction around it): the delivery task goes to the worker now.
    notify(event="contribution_received", users=[user], context=receipt, urgent=True)

    # The worker takes tasks in order: when this one answers, notify's has run, and sent.
    again = notifications_deliver_task.delay()

    assert again.get(timeout=WAIT) == "0 sent, 0 deferred, 0 failed, 0 skipped"
    assert not isinstance(again, EagerResult)
    delivery = NotificationDelivery.objects.get(notification__user=user, channel="sms")
    assert (delivery.status, delivery.attempts) == ("sent", 1)
    assert [m.to for m in sms.outbox] == ["+254711222333"]  # the worker runs in this process
