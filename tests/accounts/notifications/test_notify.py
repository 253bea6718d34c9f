"""notify: one event to many users, an inbox item each in their language, one delivery per
channel, sent after commit by one task."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

from accounts.models import Notification, NotificationDelivery, NotificationPreference
from accounts.notifications import notify
from accounts.notifications.backends import sms, whatsapp
from tests.factories import UserFactory

NAIROBI = ZoneInfo("Africa/Nairobi")
RECEIPT_BODY = (
    "Umoja Group received your contribution of KES 1,500.00 (receipt SGH7K2L9QX). "
    "You have saved KES 12,000.00 in total."
)


def deliveries(user):
    return dict(
        NotificationDelivery.objects.filter(notification__user=user).values_list(
            "channel", "status"
        )
    )


@time_machine.travel(datetime(2026, 3, 2, 10, 0, tzinfo=NAIROBI), tick=False)
def test_a_receipt_lands_in_the_inbox_and_goes_out_by_sms_and_email_after_commit(
    wanjiku, receipt, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        made = notify(event="contribution_received", users=[wanjiku], context=receipt)

    assert made == 1
    assert len(callbacks) == 1  # one delivery task for the whole event
    notification = Notification.objects.get(user=wanjiku)
    assert (notification.event, notification.title, notification.body) == (
        "contribution_received",
        "Contribution received: KES 1,500.00",
        RECEIPT_BODY,
    )
    assert notification.read_at is None
    assert deliveries(wanjiku) == {"sms": "sent", "email": "sent", "whatsapp": "skipped"}
    assert [(m.to, m.body) for m in sms.outbox] == [("+254712345678", RECEIPT_BODY)]
    assert [(m.to, m.subject, m.body) for m in mailoutbox] == [
        (["wanjiku@example.com"], "Contribution received: KES 1,500.00", RECEIPT_BODY)
    ]
    assert whatsapp.outbox == []  # off unless the member turns it on
    sent = NotificationDelivery.objects.get(notification=notification, channel="sms")
    assert (sent.attempts, sent.provider_id, sent.sent_at) == (
        1,
        f"locmem-{sent.pk}",
        datetime(2026, 3, 2, 10, 0, tzinfo=NAIROBI),
    )


def test_nothing_is_sent_before_the_transaction_commits(wanjiku, receipt):
    notify(event="contribution_received", users=[wanjiku.pk], context=receipt)

    assert deliveries(wanjiku) == {"sms": "queued", "email": "queued", "whatsapp": "skipped"}
    assert sms.outbox == []


def test_a_key_tells_a_user_once_however_often_the_event_is_raised(wanjiku, receipt):
    other = UserFactory()
    key = "contribution_received:SGH7K2L9QX"

    first = notify(event="contribution_received", users=[wanjiku], context=receipt, key=key)
    again = notify(event="contribution_received", users=[wanjiku, other], context=receipt, key=key)
    twice = notify(event="contribution_received", users=[wanjiku, other], context=receipt, key=key)

    assert (first, again, twice) == (1, 1, 0)
    assert Notification.objects.filter(key=key).count() == 2
    assert NotificationDelivery.objects.filter(notification__key=key).count() == 6


def test_preferences_choose_the_channels(
    db, receipt, mailoutbox, django_capture_on_commit_callbacks
):
    no_sms = UserFactory(phone="254711000001")
    NotificationPreference.objects.create(user=no_sms, sms=False)
    whatsapp_user = UserFactory(phone="254711000002")
    NotificationPreference.objects.create(user=whatsapp_user, whatsapp=True)
    no_email = UserFactory(phone="254711000003", email=None)
    money_muted_by_sms = UserFactory(phone="254711000004")
    NotificationPreference.objects.create(user=money_muted_by_sms, muted={"money": ["sms"]})
    reminders_muted = UserFactory(phone="254711000005")
    NotificationPreference.objects.create(user=reminders_muted, muted={"reminders": ["sms"]})

    with django_capture_on_commit_callbacks(execute=True):
        notify(
            event="contribution_received",
            users=[no_sms, whatsapp_user, no_email, money_muted_by_sms, reminders_muted],
            context=receipt,
        )

    assert {user.phone: deliveries(user) for user in (no_sms, whatsapp_user, no_email)} == {
        "254711000001": {"sms": "skipped", "email": "sent", "whatsapp": "skipped"},
        "254711000002": {"sms": "sent", "email": "sent", "whatsapp": "sent"},
        "254711000003": {"sms": "sent", "email": "skipped", "whatsapp": "skipped"},
    }
    assert deliveries(money_muted_by_sms)["sms"] == "skipped"
    assert deliveries(reminders_muted)["sms"] == "sent"
    reasons = dict(
        NotificationDelivery.objects.filter(
            notification__user=no_email, status="skipped"
        ).values_list("channel", "reason")
    )
    assert reasons == {"email": "no_email", "whatsapp": "preference_off"}
    assert sorted(m.to for m in sms.outbox) == ["+254711000002", "+254711000003", "+254711000005"]
    assert [m.to for m in whatsapp.outbox] == ["+254711000002"]
    assert [m.event for m in whatsapp.outbox] == ["contribution_received"]
    assert len(mailoutbox) == 4


def test_an_inactive_user_is_not_told(wanjiku, receipt):
    wanjiku.is_active = False
    wanjiku.save()

    assert notify(event="contribution_received", users=[wanjiku], context=receipt) == 0


def test_an_unknown_event_or_a_missing_value_is_a_programming_error(wanjiku, receipt):
    with pytest.raises(LookupError, match="No notification event 'contribution_lost'"):
        notify(event="contribution_lost", users=[wanjiku], context=receipt)
    del receipt["total_saved"]
    with pytest.raises(ValueError, match=r"needs context \['total_saved'\]"):
        notify(event="contribution_received", users=[wanjiku], context=receipt)
    assert not Notification.objects.exists()


def test_context_must_be_plain_json(wanjiku, receipt):
    from decimal import Decimal

    receipt["amount"] = Decimal("1500.00")

    with pytest.raises(TypeError):
        notify(event="contribution_received", users=[wanjiku], context=receipt)
