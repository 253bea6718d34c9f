"""The Africa's Talking SMS backend, with only its HTTP faked: one request per distinct text,
each recipient's outcome recorded (accepted, refused, or the gateway down)."""

import json
from urllib.parse import parse_qs

import pytest
import requests
from requests.adapters import HTTPAdapter

from accounts.models import NotificationDelivery
from accounts.notifications import notify
from accounts.notifications.backends import _backend
from accounts.notifications.delivery import deliveries_send
from tests.factories import UserFactory

URL = "https://api.sandbox.africastalking.com/version1/messaging"


class FakeGateway:
    """Africa's Talking's messaging endpoint, answering through requests' transport."""

    def __init__(self, refuse: frozenset[str] = frozenset(), status: int = 201) -> None:
        self.requests: list[dict] = []
        self.refuse, self.status = refuse, status

    def send(self, adapter, request, **kwargs):
        form = {k: v[0] for k, v in parse_qs(request.body).items()}
        self.requests.append({"url": request.url, "apiKey": request.headers["apiKey"], **form})
        recipients = [
            {
                "number": number,
                "status": "InvalidPhoneNumber" if number in self.refuse else "Success",
                "statusCode": 403 if number in self.refuse else 101,
                "messageId": f"ATXid_{number[-4:]}",
                "cost": "KES 0.8000",
            }
            for number in form["to"].split(",")
        ]
        response = requests.Response()
        response.status_code = self.status
        response.headers["content-type"] = "application/json"
        body = {"SMSMessageData": {"Message": "Sent", "Recipients": recipients}}
        response._content = json.dumps(body if self.status < 300 else "down").encode()
        response.url, response.request = request.url, request
        return response


@pytest.fixture
def gateway(settings, monkeypatch):
    settings.SMS_BACKEND = "africastalking"
    settings.AFRICASTALKING_USERNAME = "sandbox"
    settings.AFRICASTALKING_API_KEY = "test-key"
    settings.AFRICASTALKING_SENDER_ID = "HAZINA"
    _backend.cache_clear()
    fake = FakeGateway(refuse=frozenset({"+254700000003"}))
    monkeypatch.setattr(
        HTTPAdapter, "send", lambda adapter, request, **kw: fake.send(adapter, request)
    )
    yield fake
    _backend.cache_clear()


def sms_of(user):
    return NotificationDelivery.objects.get(notification__user=user, channel="sms")


def test_one_request_per_text_and_each_recipients_outcome(db, gateway, receipt):
    english = [UserFactory(phone="254700000001"), UserFactory(phone="254700000003")]
    swahili = UserFactory(phone="254700000002", language="sw")
    notify(event="contribution_received", users=[*english, swahili], context=receipt, urgent=True)

    run = deliveries_send()

    assert (run.sent, run.deferred) == (5, 1)  # 3 emails + 2 SMS sent; 1 SMS refused
    assert sorted(
        (sorted(r["to"].split(",")), r["from"], r["apiKey"], r["username"])
        for r in gateway.requests
    ) == [
        (["+254700000001", "+254700000003"], "HAZINA", "test-key", "sandbox"),
        (["+254700000002"], "HAZINA", "test-key", "sandbox"),
    ]
    messages = {r["to"]: r["message"] for r in gateway.requests}
    assert messages["+254700000002"].startswith("Umoja Group imepokea mchango wako")
    assert {r["url"] for r in gateway.requests} == {URL}
    sent, refused = sms_of(english[0]), sms_of(english[1])
    assert (sent.status, sent.provider_id) == ("sent", "ATXid_0001")
    assert (refused.status, refused.reason, refused.attempts) == (
        "deferred",
        "InvalidPhoneNumber",
        1,
    )


def test_the_gateway_down_defers_every_sms_for_a_retry_then_fails_it(db, gateway, receipt):
    from datetime import timedelta

    import time_machine
    from django.utils import timezone

    gateway.status = 500
    user = UserFactory(phone="254700000001")
    notify(event="contribution_received", users=[user], context=receipt, urgent=True)

    start = timezone.now()
    with time_machine.travel(start, tick=False):
        deliveries_send()
    assert (sms_of(user).status, sms_of(user).attempts) == ("deferred", 1)
    assert sms_of(user).not_before == start + timedelta(minutes=5)
    with time_machine.travel(start + timedelta(minutes=6), tick=False):
        deliveries_send()
    assert (sms_of(user).status, sms_of(user).attempts) == ("deferred", 2)
    with time_machine.travel(start + timedelta(minutes=17), tick=False):
        deliveries_send()
    failed = sms_of(user)
    assert (failed.status, failed.attempts, failed.reason) == ("failed", 3, '"down"')
