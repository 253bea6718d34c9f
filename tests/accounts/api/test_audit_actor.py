"""Changes made through the API are audited with the signed-in user as the actor."""

import pytest
from auditlog.models import LogEntry

from groups.models import Membership

pytestmark = pytest.mark.django_db


def test_a_member_added_through_the_api_is_audited_with_the_official_as_actor(chama, client_for):
    chair = chama.memberships.get().user

    response = client_for(chair).post(
        f"/api/v1/chamas/{chama.pk}/members/",
        {"full_name": "New Member", "phone": "0722000111"},
        format="json",
    )

    assert response.status_code == 201
    membership = Membership.objects.get(pk=response.json()["id"])
    entry = LogEntry.objects.get_for_object(membership).get(action=LogEntry.Action.CREATE)
    assert entry.actor == chair


def test_a_profile_change_through_the_api_is_audited_with_the_user_as_actor(client_for):
    from tests.factories import UserFactory

    user = UserFactory()

    response = client_for(user).patch("/api/v1/auth/me/", {"full_name": "Renamed"}, format="json")

    assert response.status_code == 200
    entry = (
        LogEntry.objects.get_for_object(user)
        .filter(action=LogEntry.Action.UPDATE)
        .latest("timestamp")
    )
    assert entry.actor == user
    assert entry.changes_dict["full_name"][1] == "Renamed"
