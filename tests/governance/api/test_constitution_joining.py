"""Joining a chama that has adopted a constitution: the member added by an official has the
version in force recorded as theirs to accept (pending) in the join's own transaction, and
accepts it themselves with POST constitution/accept/. groups calls governance through its
MEMBER_JOINED_HOOKS."""

import pytest

from governance.models import ConstitutionAcceptance
from governance.selectors.constitution import constitution_template_rules
from governance.services.constitution import constitution_adopt
from groups.models import Membership
from groups.services import MEMBER_JOINED_HOOKS
from tests.governance.constitution_fixtures import constitution_url

pytestmark = pytest.mark.django_db

NEW_MEMBER = {"phone": "0722000999", "full_name": "Wanjiru Kamau"}


def adopt(chama, roles):
    return constitution_adopt(
        chama=chama, acting=roles["chair"], rules=constitution_template_rules(chama=chama)
    )


def add(chair_api, chama):
    response = chair_api.post(f"/api/v1/chamas/{chama.pk}/members/", NEW_MEMBER, format="json")
    assert response.status_code == 201, response.json()
    return Membership.objects.get(pk=response.json()["id"])


def test_governance_registers_its_join_hook():
    assert [hook.__name__ for hook in MEMBER_JOINED_HOOKS] == ["constitution_joined"]


def test_a_member_added_by_an_official_has_the_version_pending(chair_api, chama, roles):
    version = adopt(chama, roles)

    joined = add(chair_api, chama)

    # Then the acceptance is recorded as pending, for the version in force
    acceptance = ConstitutionAcceptance.objects.get(membership=joined)
    assert (acceptance.version, acceptance.accepted_at) == (version, None)
    # and the officials see the new member among those who have not accepted
    pending = chair_api.get(constitution_url(chama)).json()["pending_acceptance"]
    assert str(joined.pk) in [p["member_id"] for p in pending]


def test_the_member_then_accepts_it_themselves(client_for, chair_api, chama, roles):
    adopt(chama, roles)
    joined = add(chair_api, chama)
    member_api = client_for(joined.user)
    assert member_api.get(constitution_url(chama)).json()["accepted_at"] is None

    first = member_api.post(constitution_url(chama, "accept/"))
    again = member_api.post(constitution_url(chama, "accept/"))

    assert first.status_code == again.status_code == 200, first.json()
    assert first.json() == again.json()
    assert first.json()["accepted_at"] is not None
    acceptance = ConstitutionAcceptance.objects.get(membership=joined)
    assert acceptance.accepted_at is not None
    assert (
        member_api.get(constitution_url(chama)).json()["accepted_at"]
        == (first.json()["accepted_at"])
    )
    pending = chair_api.get(constitution_url(chama)).json()["pending_acceptance"]
    assert str(joined.pk) not in [p["member_id"] for p in pending]


def test_joining_a_chama_without_a_constitution_records_nothing(chair_api, chama):
    add(chair_api, chama)

    assert not ConstitutionAcceptance.objects.exists()


def test_a_refused_join_records_no_acceptance(chair_api, chama, roles):
    adopt(chama, roles)
    add(chair_api, chama)
    before = ConstitutionAcceptance.objects.count()

    # The same person again: 409 already_member, in the join's transaction
    response = chair_api.post(f"/api/v1/chamas/{chama.pk}/members/", NEW_MEMBER, format="json")

    assert response.status_code == 409
    assert ConstitutionAcceptance.objects.count() == before
