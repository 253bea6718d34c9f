"""Quiet hours: no SMS from 21:00 to 07:00 in Nairobi unless urgent; the SMS waits for 07:00
and the 15-minute job sends it then."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

from accounts.models import NotificationDelivery
from accounts.notifications import notify
from accounts.notifications.backends import sms
from accounts.notifications.quiet_hours import quiet_hours_end
from accounts.tasks import notifications_deliver_task

NAIROBI = ZoneInfo("Africa/Nairobi")


def at(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 3, day, hour, minute, tzinfo=NAIROBI)


@pytest.mark.parametrize(
    ("now", "ends"),
    [
        (at(2, 20, 59), None),
        (at(2, 21, 0), at(3, 7, 0)),
        (at(2, 23, 59), at(3, 7, 0)),
        (at(3, 0, 0), at(3, 7, 0)),
        (at(3, 6, 59), at(3, 7, 0)),
        (at(3, 7, 0), None),
    ],
)
def test_quiet_hours_run_from_nine_at_night_to_seven_in_the_morning(now, ends):
    assert quiet_hours_end(now) == ends


def sms_of(user):
    return NotificationDelivery.objects.get(notification__user=user, channel="sms")


def test_an_sms_at_ten_at_night_waits_for_seven_and_the_email_goes_now(
    wanjiku, receipt, mailoutbox, django_capture_on_commit_callbacks
):
    with time_machine.travel(at(2, 22, 0), tick=False):
        with django_capture_on_commit_callbacks(execute=True):
            notify(event="contribution_received", users=[wanjiku], context=receipt)

        waiting = sms_of(wanjiku)
        assert (waiting.status, waiting.not_before, waiting.reason) == (
            "deferred",
            at(3, 7, 0),
            "quiet_hours",
        )
        assert sms.outbox == []
        assert len(mailoutbox) == 1

    with time_machine.travel(at(3, 6, 45), tick=False):
        assert notifications_deliver_task() == "0 sent, 0 deferred, 0 failed, 0 skipped"
    with time_machine.travel(at(3, 7, 0), tick=False):
        assert notifications_deliver_task() == "1 sent, 0 deferred, 0 failed, 0 skipped"
        assert notifications_deliver_task() == "0 sent, 0 deferred, 0 failed, 0 skipped"

    sent = sms_of(wanjiku)
    assert (sent.status, sent.sent_at, sent.attempts) == ("sent", at(3, 7, 0), 1)
    assert [m.to for m in sms.outbox] == ["+254712345678"]


def test_an_urgent_sms_goes_out_in_quiet_hours(
    wanjiku, receipt, django_capture_on_commit_callbacks
):
    with time_machine.travel(at(2, 23, 30), tick=False):
        with django_capture_on_commit_callbacks(execute=True):
            notify(event="contribution_received", users=[wanjiku], context=receipt, urgent=True)

    assert (sms_of(wanjiku).status, sms_of(wanjiku).sent_at) == ("sent", at(2, 23, 30))
    assert len(sms.outbox) == 1


def test_an_sms_queued_before_nine_but_sent_after_waits_for_the_morning(wanjiku, receipt):
    with time_machine.travel(at(2, 20, 55), tick=False):
        notify(event="contribution_received", users=[wanjiku], context=receipt)
    with time_machine.travel(at(2, 21, 5), tick=False):
        assert notifications_deliver_task() == "1 sent, 1 deferred, 0 failed, 0 skipped"

    waiting = sms_of(wanjiku)
    assert (waiting.status, waiting.not_before, waiting.attempts) == ("deferred", at(3, 7, 0), 0)
