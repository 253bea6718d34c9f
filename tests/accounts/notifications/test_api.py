"""notifications/: my inbox and my channels, never anyone else's."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

from accounts.models import Notification, NotificationPreference
from accounts.notifications import notify
from tests.factories import UserFactory

NAIROBI = ZoneInfo("Africa/Nairobi")
URL = "/api/v1/notifications/"
PREFERENCES = "/api/v1/notifications/preferences/"
VOTE = {"chama": "Umoja Group", "question": "Buy a plot in Juja?", "closes": "2026-03-09"}


@pytest.fixture
def inbox(wanjiku, receipt):
    """Wanjiku's two notifications (the vote the later) and one of somebody else's."""
    with time_machine.travel(datetime(2026, 3, 2, 9, 0, tzinfo=NAIROBI), tick=False):
        notify(event="contribution_received", users=[wanjiku], context=receipt)
    with time_machine.travel(datetime(2026, 3, 2, 10, 0, tzinfo=NAIROBI), tick=False):
        notify(event="vote_opened", users=[wanjiku, UserFactory()], context=VOTE)
    return Notification.objects.filter(user=wanjiku).order_by("created_at")


def test_my_inbox_lists_my_notifications_newest_first(
    inbox, wanjiku, client_for, django_assert_num_queries
):
    client = client_for(wanjiku)

    with django_assert_num_queries(3):  # me, count, page
        response = client.get(URL)

    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 2
    assert body["results"][0] == {
        "id": str(inbox[1].pk),
        "event": "vote_opened",
        "chama_id": None,
        "title": "New vote: Buy a plot in Juja?",
        "body": "Umoja Group opened a vote: Buy a plot in Juja?. Voting closes on 2026-03-09.",
        "context": VOTE,
        "read_at": None,
        "created_at": "2026-03-02T10:00:00+03:00",
    }
    assert body["results"][1]["event"] == "contribution_received"


def test_unread_filter_and_count_follow_reading(inbox, wanjiku, client_for):
    first = inbox[0]

    with time_machine.travel(datetime(2026, 3, 2, 11, 0, tzinfo=NAIROBI), tick=False):
        read = client_for(wanjiku).post(f"{URL}{first.pk}/read/")
    client = client_for(wanjiku)
    assert read.status_code == 200
    assert read.json()["read_at"] == "2026-03-02T11:00:00+03:00"

    unread = client.get(URL, {"unread": "true"}).json()["results"]
    already = client.get(URL, {"unread": "false"}).json()["results"]
    assert [n["event"] for n in unread] == ["vote_opened"]
    assert [n["event"] for n in already] == ["contribution_received"]
    assert client.get(f"{URL}unread-count/").json() == {"unread": 1}

    # Reading again keeps the first reading time
    again = client.post(f"{URL}{first.pk}/read/")
    assert again.json()["read_at"] == "2026-03-02T11:00:00+03:00"

    assert client.post(f"{URL}read-all/").json() == {"read": 1}
    assert client.post(f"{URL}read-all/").json() == {"read": 0}
    assert client.get(f"{URL}unread-count/").json() == {"unread": 0}


def test_another_users_notification_is_not_found(inbox, client_for):
    stranger = client_for(UserFactory())

    response = stranger.post(f"{URL}{inbox[0].pk}/read/")

    assert response.status_code == 404
    assert response.json()["errors"][0]["code"] == "not_found"
    assert stranger.get(URL).json()["count"] == 0
    assert stranger.post(f"{URL}read-all/").json() == {"read": 0}
    inbox[0].refresh_from_db()
    assert inbox[0].read_at is None


@pytest.mark.parametrize(
    ("method", "url"),
    [
        ("get", URL),
        ("post", f"{URL}read-all/"),
        ("get", f"{URL}unread-count/"),
        ("post", f"{URL}00000000-0000-0000-0000-000000000000/read/"),
        ("get", PREFERENCES),
        ("patch", PREFERENCES),
    ],
)
def test_anonymous_callers_are_refused(db, api, method, url):
    response = getattr(api, method)(url)

    assert response.status_code == 401
    assert response.json()["errors"][0]["code"] == "not_authenticated"


def test_a_bad_unread_filter_is_a_400(wanjiku, client_for):
    response = client_for(wanjiku).get(URL, {"unread": "perhaps"})

    assert response.status_code == 400
    [error] = response.json()["errors"]
    assert (error["code"], error["attr"]) == ("invalid_choice", "unread")


def test_preferences_start_from_the_defaults(wanjiku, client_for):
    response = client_for(wanjiku).get(PREFERENCES)

    assert response.status_code == 200
    assert response.json() == {
        "in_app": True,
        "sms": True,
        "email": True,
        "whatsapp": False,
        "muted": {},
    }
    assert not NotificationPreference.objects.exists()


def test_i_change_my_channels_and_mute_reminders_by_sms(wanjiku, client_for):
    client = client_for(wanjiku)

    response = client.patch(
        PREFERENCES,
        {"whatsapp": True, "email": False, "muted": {"reminders": ["sms", "sms"], "money": []}},
        format="json",
    )

    assert response.status_code == 200
    assert response.json() == {
        "in_app": True,
        "sms": True,
        "email": False,
        "whatsapp": True,
        "muted": {"reminders": ["sms"]},
    }
    assert client.get(PREFERENCES).json() == response.json()
    preference = NotificationPreference.objects.get(user=wanjiku)
    assert (preference.allows("sms", "reminders"), preference.allows("sms", "money")) == (
        False,
        True,
    )


@pytest.mark.parametrize(
    ("body", "error"),
    [
        (
            {"muted": {"gossip": ["sms"]}},
            {
                "code": "unknown_field",
                "detail": "This field is not accepted here.",
                "attr": "muted.gossip",
            },
        ),
        (
            {"muted": {"money": ["pigeon"]}},
            {
                "code": "invalid_choice",
                "detail": '"pigeon" is not a valid choice.',
                "attr": "muted.money.0",
            },
        ),
        (
            {"sms": "maybe"},
            {"code": "invalid", "detail": "Must be a valid boolean.", "attr": "sms"},
        ),
        (
            {"in_app": False},
            {
                "code": "unknown_field",
                "detail": "This field is not accepted here.",
                "attr": "in_app",
            },
        ),
    ],
)
def test_bad_preferences_are_refused_and_nothing_is_saved(wanjiku, client_for, body, error):
    response = client_for(wanjiku).patch(PREFERENCES, body, format="json")

    assert response.status_code == 400
    assert response.json()["errors"] == [error]
    assert not NotificationPreference.objects.exists()


def test_i_choose_kiswahili_in_my_profile(wanjiku, client_for):
    response = client_for(wanjiku).patch("/api/v1/auth/me/", {"language": "sw"}, format="json")

    assert response.status_code == 200
    assert response.json()["language"] == "sw"
    wanjiku.refresh_from_db()
    assert wanjiku.language == "sw"
