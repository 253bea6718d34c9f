"""chamas/{chama_id}/members/ and .../members/{member_id}/: add, list, read and manage members."""

from collections.abc import Callable
from typing import Any

import pytest
from auditlog.models import LogEntry
from django.utils import timezone
from rest_framework.test import APIClient

from accounts.models import User
from core.exceptions import CoreError
from groups.choices import MembershipStatus, Plan, Role
from groups.exceptions import GroupsError
from groups.models import Chama, Membership
from tests.factories import UserFactory, add_member, make_chama
from tests.groups.helpers import (
    assert_error,
    fill_to,
    member_url,
    members_url,
    reload,
    set_status,
)

pytestmark = pytest.mark.django_db

UNKNOWN_FIELD = "This field is not accepted here."
ClientFor = Callable[[User], APIClient]
PHONE = "254711000001"


@pytest.fixture
def founder_api(client_for: ClientFor, chama: Chama) -> APIClient:
    """The chair of a chama that has no other member yet."""
    return client_for(chama.memberships.get().user)


def add(client: APIClient, chama: Chama, **body: Any) -> Any:
    body.setdefault("full_name", "Mwanachama Mpya")
    body.setdefault("phone", PHONE)
    return client.post(members_url(chama.pk), body, format="json")


def patch(client: APIClient, membership: Membership, **body: Any) -> Any:
    return client.patch(member_url(membership.chama_id, membership.pk), body, format="json")


# --- POST members/ --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "phone",
    ["0711000001", "0711 000 001", "0711-000-001", "711000001", "+254711000001", "254711000001"],
)
def test_new_member_by_phone_in_any_kenyan_format(founder_api, chama, phone):
    # Given a chama with only its chair
    # When the chair adds a person by name and phone
    response = add(founder_api, chama, full_name="Mwanachama Mpya", phone=phone)

    # Then the phone is normalised, the payout phone defaults to it, and they take seat 2 / M002
    assert response.status_code == 201, response.content
    user = User.objects.get(phone=PHONE)
    membership = Membership.objects.get(chama=chama, user=user)
    assert response.json() == {
        "id": str(membership.pk),
        "user_id": str(user.pk),
        "full_name": "Mwanachama Mpya",
        "phone": PHONE,
        "email": None,
        "role": "member",
        "status": "active",
        "seat": 2,
        "member_code": "M002",
        "account_number": f"{chama.code}M002",
        "receive_phone": PHONE,
        "joined_on": timezone.localdate().isoformat(),
        "compliance_rate": 0.0,
        "kyc": {"national_id": "", "kra_pin": ""},
    }


def test_a_new_phone_creates_an_invited_user_without_a_usable_password(founder_api, chama):
    response = add(founder_api, chama, phone="0110 000 001", email="Mpya@Example.COM")

    assert response.status_code == 201, response.content
    user = User.objects.get(phone="254110000001")
    assert user.full_name == "Mwanachama Mpya"
    assert user.email == "mpya@example.com"
    assert user.is_invited
    assert not user.has_usable_password()
    assert response.json()["email"] == "mpya@example.com"


def test_an_existing_user_is_linked_not_duplicated(founder_api, chama):
    # Given someone who already has an account
    existing = UserFactory(phone=PHONE, full_name="Mwenye Akaunti")
    users_before = User.objects.count()

    # When the chair adds them by phone in another format and under another name
    response = add(founder_api, chama, full_name="Jina Lingine", phone="+254 711 000 001")

    # Then their account is linked as it is
    assert response.status_code == 201, response.content
    assert response.json()["user_id"] == str(existing.pk)
    assert response.json()["full_name"] == "Mwenye Akaunti"
    assert User.objects.count() == users_before
    assert reload(existing).has_usable_password()


def test_member_codes_and_seats_are_handed_out_in_order(founder_api, chama):
    responses = [add(founder_api, chama, phone=f"07110000{n:02d}") for n in range(1, 4)]

    assert [r.status_code for r in responses] == [201, 201, 201]
    assert [(r.json()["member_code"], r.json()["seat"]) for r in responses] == [
        ("M002", 2),
        ("M003", 3),
        ("M004", 4),
    ]


def test_a_separate_payout_phone_is_normalised(founder_api, chama):
    response = add(founder_api, chama, receive_phone="0722 000 001")

    assert response.status_code == 201, response.content
    assert (response.json()["phone"], response.json()["receive_phone"]) == (PHONE, "254722000001")


def test_adding_the_same_person_again_is_a_conflict(founder_api, chama):
    add(founder_api, chama)

    response = add(founder_api, chama, phone="0711 000 001")

    assert_error(
        response, status=409, code="already_member", detail=GroupsError.ALREADY_MEMBER.message
    )
    assert chama.memberships.count() == 2


@pytest.mark.parametrize("status", [MembershipStatus.SUSPENDED, MembershipStatus.PENDING])
def test_a_suspended_or_pending_member_cannot_be_added_again(founder_api, chama, status):
    membership = add_member(chama)
    Membership.objects.filter(pk=membership.pk).update(status=status)

    response = add(founder_api, chama, phone=membership.user.phone)

    assert_error(
        response, status=409, code="already_member", detail=GroupsError.ALREADY_MEMBER.message
    )
    assert reload(membership).status == status


def test_an_explicit_seat_already_taken_is_a_conflict(founder_api, chama):
    add(founder_api, chama, phone="0711000001")

    response = add(founder_api, chama, phone="0711000002", seat=2)

    assert_error(
        response, status=409, code="seat_taken", detail=GroupsError.SEAT_TAKEN.render(seat=2)
    )
    assert not User.objects.filter(phone="254711000002").exists()


def test_an_explicit_free_seat_is_taken_and_the_next_seat_follows_it(founder_api, chama):
    first = add(founder_api, chama, phone="0711000001", seat=7)
    second = add(founder_api, chama, phone="0711000002")

    assert (first.json()["seat"], first.json()["member_code"]) == (7, "M002")
    assert (second.json()["seat"], second.json()["member_code"]) == (8, "M003")


@pytest.mark.parametrize("actor", ["treasurer", "secretary"])
@pytest.mark.parametrize("role", ["chair", "treasurer", "secretary", "auditor"])
def test_only_the_chair_appoints_officials(client_for, chama, roles, actor, role):
    response = add(client_for(roles[actor].user), chama, role=role)

    assert_error(response, status=403, code="chair_only", detail=GroupsError.CHAIR_ONLY.message)
    assert not User.objects.filter(phone=PHONE).exists()


@pytest.mark.parametrize("actor", ["treasurer", "secretary"])
def test_other_officials_add_plain_members(client_for, chama, roles, actor):
    response = add(client_for(roles[actor].user), chama)

    assert response.status_code == 201, response.content
    assert (response.json()["role"], response.json()["seat"]) == ("member", 6)


def test_chair_appoints_an_official_when_adding(chair_api, chama, roles):
    response = add(chair_api, chama, role="treasurer")

    assert response.status_code == 201, response.content
    assert response.json()["role"] == "treasurer"


def test_free_plan_refuses_the_eleventh_active_member(chair_api, chama, roles):
    # Given a free chama with 10 active members (and one who left, who does not count)
    set_status(add_member(chama), MembershipStatus.EXITED)
    fill_to(chama, 10)

    # When an official adds an 11th
    response = add(chair_api, chama)

    # Then it is refused and nothing is written, not even the invited user
    assert_error(
        response,
        status=409,
        code="member_limit_reached",
        detail="The free plan allows 10 active members. Upgrade to premium to add more.",
    )
    assert response.json()["errors"][0]["detail"] == GroupsError.MEMBER_LIMIT_REACHED.render(
        limit=10
    )
    assert chama.memberships.filter(status=MembershipStatus.ACTIVE).count() == 10
    assert not User.objects.filter(phone=PHONE).exists()
    assert reload(chama).member_sequence == 11


def test_premium_plan_allows_the_eleventh_active_member(client_for):
    chama = make_chama(plan=Plan.PREMIUM)
    fill_to(chama, 10)

    response = add(client_for(chama.memberships.get(seat=1).user), chama)

    assert response.status_code == 201, response.content
    assert (response.json()["seat"], response.json()["member_code"]) == (11, "M011")


def test_an_exited_member_added_again_is_reactivated_with_the_same_member_code(
    chair_api, chama, roles
):
    # Given a member in seat 5 with code M005 who left, and whose seat went to someone else
    left = set_status(roles["member"], MembershipStatus.EXITED)
    add_member(chama, seat=5)

    # When an official adds them again
    response = add(chair_api, chama, phone=left.user.phone, full_name=left.user.full_name)

    # Then the same membership comes back, with its member code, in the next free seat
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["id"], body["member_code"], body["status"]) == (str(left.pk), "M005", "active")
    assert body["seat"] == 6
    assert chama.memberships.filter(user=left.user).count() == 1
    assert reload(chama).member_sequence == 6


@pytest.mark.parametrize(
    ("phone", "code", "detail"),
    [
        ("020 2222222", "phone_not_mobile", CoreError.PHONE_NOT_MOBILE.message),
        ("+255712345678", "phone_not_kenyan", CoreError.PHONE_NOT_KENYAN.message),
        ("12345", "invalid_phone", CoreError.INVALID_PHONE.message),
        ("0712345678901", "invalid_phone", CoreError.INVALID_PHONE.message),
        ("not a phone", "invalid_phone", CoreError.INVALID_PHONE.message),
    ],
)
@pytest.mark.parametrize("field", ["phone", "receive_phone"])
def test_bad_phones_are_refused(founder_api, chama, phone, code, detail, field):
    response = add(founder_api, chama, **{field: phone})

    assert_error(response, status=400, code=code, attr=field, detail=detail)
    assert chama.memberships.count() == 1


@pytest.mark.parametrize(
    ("body", "code", "attr"),
    [
        ({"full_name": ""}, "blank", "full_name"),
        ({"full_name": "N" * 151}, "max_length", "full_name"),
        ({"phone": ""}, "blank", "phone"),
        ({"phone": {"number": PHONE}}, "invalid", "phone"),
        ({"email": "not-an-email"}, "invalid", "email"),
        ({"role": "president"}, "invalid_choice", "role"),
        ({"seat": 0}, "min_value", "seat"),
        ({"seat": "first"}, "invalid", "seat"),
        ({"seat": 10_001}, "max_value", "seat"),
        ({"member_code": "M001"}, "unknown_field", "member_code"),
        ({"status": "active"}, "unknown_field", "status"),
    ],
)
def test_bad_member_bodies_are_refused(founder_api, chama, body, code, attr):
    response = add(founder_api, chama, **body)

    assert_error(response, status=400, code=code, attr=attr)
    assert chama.memberships.count() == 1


def test_a_list_body_is_refused(founder_api, chama):
    response = founder_api.post(members_url(chama.pk), [{"phone": PHONE}], format="json")

    assert_error(response, status=400, code="invalid", attr="non_field_errors")


# --- GET members/ ---------------------------------------------------------------------------


def test_list_shows_every_member_in_seat_order(client_for, chama, roles):
    exited = set_status(add_member(chama), MembershipStatus.EXITED)

    response = client_for(roles["member"].user).get(members_url(chama.pk))

    assert response.status_code == 200, response.content
    body = response.json()
    assert body["count"] == 6
    assert [(m["member_code"], m["seat"], m["role"], m["status"]) for m in body["results"]] == [
        ("M001", 1, "chair", "active"),
        ("M002", 2, "treasurer", "active"),
        ("M003", 3, "secretary", "active"),
        ("M004", 4, "auditor", "active"),
        ("M005", 5, "member", "active"),
        ("M006", 6, "member", "exited"),
    ]
    assert body["results"][5]["id"] == str(exited.pk)


@pytest.mark.parametrize(
    ("query", "codes"),
    [
        ("status=exited", ["M006"]),
        ("status=suspended", ["M007"]),
        ("status=active", ["M001", "M002", "M003", "M004", "M005"]),
        ("role=treasurer", ["M002"]),
        ("role=member", ["M005", "M006", "M007"]),
        ("role=member&status=active", ["M005"]),
        ("role=chair&status=exited", []),
    ],
)
def test_list_filters_by_status_and_role(chair_api, chama, roles, query, codes):
    set_status(add_member(chama), MembershipStatus.EXITED)
    set_status(add_member(chama), MembershipStatus.SUSPENDED)

    response = chair_api.get(f"{members_url(chama.pk)}?{query}")

    assert response.status_code == 200, response.content
    assert [m["member_code"] for m in response.json()["results"]] == codes


@pytest.mark.parametrize(("query", "attr"), [("status=gone", "status"), ("role=boss", "role")])
def test_list_filter_with_an_unknown_value_is_refused(chair_api, chama, roles, query, attr):
    response = chair_api.get(f"{members_url(chama.pk)}?{query}")

    assert_error(response, status=400, code="invalid_choice", attr=attr)


def test_list_query_count_does_not_grow_with_members(client_for, django_assert_num_queries):
    # Given a premium chama with three members
    chama = make_chama(plan=Plan.PREMIUM)
    fill_to(chama, 3)
    client = client_for(chama.memberships.get(seat=1).user)

    # When an official lists them: user, membership + chama, page with users and its count
    with django_assert_num_queries(3):
        response = client.get(members_url(chama.pk))
    assert response.json()["count"] == 3

    # Then thirty members take exactly as many queries
    fill_to(chama, 30)
    with django_assert_num_queries(3):
        response = client.get(members_url(chama.pk))
    assert len(response.json()["results"]) == 30
    assert all(m["kyc"] is not None for m in response.json()["results"])


# --- GET members/{member_id}/ ---------------------------------------------------------------


def test_member_reads_another_members_details(client_for, chama, roles):
    treasurer = roles["treasurer"]

    response = client_for(roles["member"].user).get(member_url(chama.pk, treasurer.pk))

    assert response.status_code == 200, response.content
    assert response.json() == {
        "id": str(treasurer.pk),
        "user_id": str(treasurer.user_id),
        "full_name": treasurer.user.full_name,
        "phone": treasurer.user.phone,
        "email": treasurer.user.email,
        "role": "treasurer",
        "status": "active",
        "seat": 2,
        "member_code": "M002",
        "account_number": f"{chama.code}M002",
        "receive_phone": treasurer.user.phone,
        "joined_on": timezone.localdate().isoformat(),
        "compliance_rate": 0.0,
        "kyc": None,
    }


# --- KYC visibility -------------------------------------------------------------------------


@pytest.fixture
def member_with_kyc(roles: dict[str, Membership]) -> Membership:
    member = roles["member"]
    User.objects.filter(pk=member.user_id).update(national_id="12345678", kra_pin="A012345678Z")
    return member


@pytest.mark.parametrize("viewer", ["chair", "treasurer", "secretary", "auditor"])
def test_officials_and_the_auditor_see_kyc(client_for, chama, roles, member_with_kyc, viewer):
    client = client_for(roles[viewer].user)

    detail = client.get(member_url(chama.pk, member_with_kyc.pk)).json()
    listed = client.get(f"{members_url(chama.pk)}?role=member").json()["results"]

    kyc = {"national_id": "12345678", "kra_pin": "A012345678Z"}
    assert detail["kyc"] == kyc
    assert [m["kyc"] for m in listed] == [kyc]


def test_a_plain_member_does_not_see_kyc(client_for, chama, roles, member_with_kyc):
    client = client_for(roles["member"].user)

    detail = client.get(member_url(chama.pk, member_with_kyc.pk)).json()
    listed = client.get(members_url(chama.pk)).json()["results"]

    assert detail["kyc"] is None
    assert [m["kyc"] for m in listed] == [None] * 5


# --- PATCH members/{member_id}/ -------------------------------------------------------------


def test_chair_changes_a_members_role(chair_api, roles):
    response = patch(chair_api, roles["member"], role="secretary")

    assert response.status_code == 200, response.content
    assert response.json()["role"] == "secretary"
    assert reload(roles["member"]).role == Role.SECRETARY


@pytest.mark.parametrize("actor", ["treasurer", "secretary"])
@pytest.mark.parametrize(("target", "role"), [("member", "secretary"), ("auditor", "member")])
def test_only_the_chair_changes_roles(client_for, roles, actor, target, role):
    before = roles[target].role

    response = patch(client_for(roles[actor].user), roles[target], role=role)

    assert_error(response, status=403, code="chair_only", detail=GroupsError.CHAIR_ONLY.message)
    assert reload(roles[target]).role == before


def test_official_moves_a_member_to_a_free_seat(client_for, roles):
    response = patch(client_for(roles["secretary"].user), roles["member"], seat=9)

    assert response.status_code == 200, response.content
    assert response.json()["seat"] == 9
    assert reload(roles["member"]).seat == 9


def test_moving_a_member_to_a_taken_seat_is_a_conflict(chair_api, roles):
    response = patch(chair_api, roles["member"], seat=2)

    assert_error(
        response, status=409, code="seat_taken", detail=GroupsError.SEAT_TAKEN.render(seat=2)
    )
    assert reload(roles["member"]).seat == 5


def test_keeping_ones_own_seat_is_not_a_conflict(chair_api, roles):
    response = patch(chair_api, roles["member"], seat=5, receive_phone="0722 000 009")

    assert response.status_code == 200, response.content
    assert (response.json()["seat"], response.json()["receive_phone"]) == (5, "254722000009")


def test_official_changes_the_payout_phone(client_for, roles):
    response = patch(
        client_for(roles["treasurer"].user), roles["member"], receive_phone="0110000009"
    )

    assert response.status_code == 200, response.content
    assert response.json()["receive_phone"] == "254110000009"
    assert response.json()["phone"] == roles["member"].user.phone
    assert reload(roles["member"]).receive_phone == "254110000009"


def test_a_landline_payout_phone_is_refused(chair_api, roles):
    response = patch(chair_api, roles["member"], receive_phone="020 2222222")

    assert_error(
        response,
        status=400,
        code="phone_not_mobile",
        attr="receive_phone",
        detail=CoreError.PHONE_NOT_MOBILE.message,
    )
    assert reload(roles["member"]).receive_phone == roles["member"].user.phone


@pytest.mark.parametrize(
    ("field", "value", "code"),
    [
        ("member_code", "M999", "unknown_field"),
        ("user_id", None, "unknown_field"),
        ("joined_on", "2020-01-01", "unknown_field"),
        ("status", "gone", "invalid_choice"),
        ("role", "boss", "invalid_choice"),
        ("seat", 0, "min_value"),
        ("seat", None, "null"),
    ],
)
def test_bad_member_changes_are_refused(chair_api, roles, field, value, code):
    response = patch(chair_api, roles["member"], **{field: value})

    assert_error(response, status=400, code=code, attr=field)
    after = reload(roles["member"])
    assert (after.member_code, after.seat, after.status) == ("M005", 5, "active")


@pytest.mark.parametrize(
    "change",
    [{"role": "member"}, {"status": "exited"}, {"status": "suspended"}, {"role": "treasurer"}],
)
def test_the_last_chair_cannot_step_down_or_leave(chair_api, roles, change):
    response = patch(chair_api, roles["chair"], **change)

    assert_error(response, status=409, code="last_chair", detail=GroupsError.LAST_CHAIR.message)
    after = reload(roles["chair"])
    assert (after.role, after.status) == (Role.CHAIR, MembershipStatus.ACTIVE)


def test_a_chair_steps_down_once_another_chair_is_appointed(chair_api, roles):
    assert patch(chair_api, roles["secretary"], role="chair").status_code == 200

    response = patch(chair_api, roles["chair"], role="member")

    assert response.status_code == 200, response.content
    assert response.json()["role"] == "member"


def test_exiting_a_member_frees_their_seat(chair_api, chama, roles):
    # Given the member in seat 3 leaves
    response = patch(chair_api, roles["secretary"], status="exited")
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "exited"

    # When someone new asks for seat 3
    response = add(chair_api, chama, seat=3)

    # Then they get it
    assert response.status_code == 201, response.content
    assert (response.json()["seat"], response.json()["member_code"]) == (3, "M006")


def test_member_codes_are_never_reused_after_an_exit(chair_api, chama, roles):
    # Given the member with the highest code (M005, seat 5) leaves
    patch(chair_api, roles["member"], status="exited")

    # When a new member joins
    response = add(chair_api, chama)

    # Then the sequence keeps going (M006) while the freed top seat is handed out again
    assert response.status_code == 201, response.content
    assert (response.json()["member_code"], response.json()["seat"]) == ("M006", 5)


def test_reactivating_a_member_beyond_the_free_limit_is_refused(chair_api, chama, roles):
    # Given a member who left, and a chama that has filled up to 10 since
    left = set_status(roles["member"], MembershipStatus.EXITED)
    fill_to(chama, 10)

    # When the chair makes them active again
    response = patch(chair_api, left, status="active")

    # Then the limit holds
    assert_error(
        response,
        status=409,
        code="member_limit_reached",
        detail=GroupsError.MEMBER_LIMIT_REACHED.render(limit=10),
    )
    assert reload(left).status == MembershipStatus.EXITED


def test_reactivated_member_whose_seat_was_taken_gets_the_next_seat(chair_api, chama, roles):
    left = set_status(roles["secretary"], MembershipStatus.SUSPENDED)
    add_member(chama, seat=3)

    response = patch(chair_api, left, status="active")

    assert response.status_code == 200, response.content
    assert (response.json()["status"], response.json()["seat"]) == ("active", 6)
    assert response.json()["member_code"] == "M003"


def test_adding_a_member_through_the_api_writes_an_audit_entry(chair_api, chama, roles):
    response = add(chair_api, chama)
    membership = Membership.objects.get(pk=response.json()["id"])

    entries = LogEntry.objects.get_for_object(membership)

    assert [e.action for e in entries] == [LogEntry.Action.CREATE]
    assert entries[0].changes_dict["member_code"] == ["None", "M006"]


def test_a_role_change_through_the_api_writes_an_audit_entry(chair_api, roles):
    patch(chair_api, roles["member"], role="treasurer")

    entry = LogEntry.objects.get_for_object(roles["member"]).first()

    assert entry is not None
    assert entry.action == LogEntry.Action.UPDATE
    assert entry.changes_dict == {"role": ["member", "treasurer"]}


@pytest.mark.parametrize(
    ("raw", "error"),
    [
        ("[1]", ("invalid", "non_field_errors")),
        ("null", ("null", "non_field_errors")),
        ('{"seat": 2.5}', ("invalid", "seat")),
        ('{"seat": true}', ("invalid", "seat")),
        ('{"receive_phone": true}', ("invalid", "receive_phone")),
    ],
)
def test_malformed_member_changes_are_a_400_never_a_500(chair_api, roles, raw, error):
    membership = roles["member"]

    response = chair_api.patch(
        member_url(membership.chama_id, membership.pk), raw, content_type="application/json"
    )

    assert_error(response, status=400, code=error[0], attr=error[1])
    assert reload(membership).updated_at == membership.updated_at
