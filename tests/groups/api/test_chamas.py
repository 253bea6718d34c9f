"""chamas/ and chamas/{chama_id}/: start a chama, list mine, read and change its settings."""

import json
import re
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from accounts.models import User
from groups.choices import MembershipStatus, Plan, Role
from groups.exceptions import GroupsError
from groups.models import Chama, Membership
from tests.factories import UserFactory, add_member, make_chama
from tests.groups.helpers import (
    assert_error,
    chama_url,
    chamas_url,
    errors_of,
    fill_to,
    reload,
    set_status,
)

pytestmark = pytest.mark.django_db

UNKNOWN_FIELD = "This field is not accepted here."
ClientFor = Callable[[User], APIClient]


@pytest.fixture
def creator() -> User:
    return UserFactory()


@pytest.fixture
def creator_api(client_for: ClientFor, creator: User) -> APIClient:
    return client_for(creator)


def create(client: APIClient, **body: Any) -> Any:
    return client.post(chamas_url(), body, format="json")


# --- POST chamas/ ---------------------------------------------------------------------------


def test_creator_becomes_chair_in_seat_one(creator_api, creator):
    # Given a signed-in user with no chama
    # When they start one
    response = create(creator_api, name="Umoja Women", contribution_amount="1000.00")

    # Then they are its chair in seat 1 with member code M001, and it has one member
    assert response.status_code == 201, response.content
    body = response.json()
    chama = Chama.objects.get()
    assert body == {
        "id": str(chama.pk),
        "name": "Umoja Women",
        "code": chama.code,
        "description": "",
        "currency": "KES",
        "contribution_amount": "1000.00",
        "rotation_amount": "0.00",
        "savings_amount": "1000.00",
        "welfare_amount": "0.00",
        "cycle_frequency": "monthly",
        "meeting_day": "",
        "meeting_rule": None,
        "status": "active",
        "plan": "free",
        "member_limit": None,
        "constitution_version": 0,
        "member_count": 1,
        "created_at": body["created_at"],
    }
    assert re.fullmatch(r"UMO[0-9]{3}", body["code"])
    assert chama.created_by == creator
    membership = Membership.objects.get()
    assert (membership.chama, membership.user) == (chama, creator)
    assert membership.role == Role.CHAIR
    assert membership.status == MembershipStatus.ACTIVE
    assert membership.seat == 1
    assert membership.member_code == "M001"
    assert membership.receive_phone == creator.phone
    assert membership.joined_on == timezone.localdate()


@pytest.mark.parametrize(
    ("name", "prefix"),
    [
        ("Umoja Women", "UMO"),
        ("jamii bora 42", "JAM"),
        ("Ng'ombe Investors", "NGO"),
        ("Q7", "QXX"),
    ],
)
def test_generated_code_is_three_letters_of_the_name_and_three_digits(creator_api, name, prefix):
    response = create(creator_api, name=name)

    assert response.status_code == 201, response.content
    assert re.fullmatch(rf"{prefix}[0-9]{{3}}", response.json()["code"])


def test_chosen_code_is_kept(creator_api):
    response = create(creator_api, name="Umoja Women", code="HAZ123")

    assert response.status_code == 201, response.content
    assert response.json()["code"] == "HAZ123"
    assert Chama.objects.get().code == "HAZ123"


def test_chosen_code_already_used_is_a_conflict(creator_api):
    # Given a chama already using HAZ123
    make_chama(code="HAZ123")

    # When another chama asks for the same code
    response = create(creator_api, name="Another Group", code="HAZ123")

    # Then nothing new is written
    assert_error(response, status=409, code="code_taken", detail=GroupsError.CODE_TAKEN.message)
    assert Chama.objects.count() == 1
    assert Membership.objects.count() == 1


@pytest.mark.parametrize("code", ["umj001", "UM0001", "UMJ01A", "123ABC", "UMJ 01"])
def test_code_in_the_wrong_format_is_refused(creator_api, code):
    response = create(creator_api, name="Umoja Women", code=code)

    assert_error(
        response,
        status=400,
        code="invalid_code",
        attr="code",
        detail=GroupsError.INVALID_CODE.message,
    )
    assert not Chama.objects.exists()


def test_code_longer_than_six_characters_is_refused(creator_api):
    response = create(creator_api, name="Umoja Women", code="UMJ0001")

    assert_error(response, status=400, code="max_length", attr="code")
    assert not Chama.objects.exists()


def test_contribution_split_into_rotation_savings_and_welfare(creator_api):
    response = create(
        creator_api,
        name="Umoja Women",
        contribution_amount="1000.00",
        rotation_amount="800.00",
        savings_amount="150.00",
        welfare_amount="50.00",
    )

    assert response.status_code == 201, response.content
    body = response.json()
    assert [body[f] for f in ("contribution_amount", "rotation_amount")] == ["1000.00", "800.00"]
    assert [body[f] for f in ("savings_amount", "welfare_amount")] == ["150.00", "50.00"]
    chama = Chama.objects.get()
    assert chama.rotation_amount == Decimal("800.00")
    assert chama.savings_amount == Decimal("150.00")
    assert chama.welfare_amount == Decimal("50.00")


@pytest.mark.parametrize(
    "split",
    [
        {"contribution_amount": "1000", "rotation_amount": "800", "savings_amount": "150"},
        {"contribution_amount": "1000", "rotation_amount": "800", "welfare_amount": "250.01"},
        {"rotation_amount": "100.00"},
    ],
)
def test_split_that_does_not_add_up_is_refused_and_nothing_written(creator_api, split):
    response = create(creator_api, name="Umoja Women", **split)

    assert_error(
        response,
        status=400,
        code="split_mismatch",
        attr="contribution_amount",
        detail=GroupsError.SPLIT_MISMATCH.message,
    )
    assert not Chama.objects.exists()
    assert not Membership.objects.exists()


def test_contribution_without_a_split_all_goes_to_savings(creator_api):
    response = create(creator_api, name="Umoja Women", contribution_amount="750.50")

    assert response.status_code == 201, response.content
    body = response.json()
    assert body["contribution_amount"] == "750.50"
    assert body["savings_amount"] == "750.50"
    assert body["rotation_amount"] == "0.00"
    assert body["welfare_amount"] == "0.00"


def test_other_settings_are_taken_at_creation(creator_api):
    response = create(
        creator_api,
        name="Umoja Women",
        description="Table banking every second Saturday.",
        currency="USD",
        cycle_frequency="biweekly",
        meeting_day="saturday",
        plan="premium",
    )

    assert response.status_code == 201, response.content
    body = response.json()
    assert body["description"] == "Table banking every second Saturday."
    assert (body["currency"], body["cycle_frequency"]) == ("USD", "biweekly")
    assert (body["meeting_day"], body["plan"]) == ("saturday", "premium")


def test_unknown_currency_is_refused(creator_api):
    response = create(creator_api, name="Umoja Women", currency="XYZ")

    assert_error(
        response,
        status=400,
        code="invalid_choice",
        attr="currency",
        detail='"XYZ" is not a valid choice.',
    )
    assert not Chama.objects.exists()


@pytest.mark.parametrize(
    "field", ["contribution_amount", "rotation_amount", "savings_amount", "welfare_amount"]
)
@pytest.mark.parametrize(
    ("value", "code"),
    [
        ("1000.005", "max_decimal_places"),
        ("-1.00", "min_value"),
        ("-0.00", "min_value"),  # no sign where no amount is negative, not even zero's
        ("100000000.01", "max_value"),
        ("abc", "invalid"),
        ("NaN", "invalid"),
    ],
)
def test_bad_amounts_are_refused(creator_api, field, value, code):
    response = create(creator_api, name="Umoja Women", **{field: value})

    assert_error(response, status=400, code=code, attr=field)
    assert not Chama.objects.exists()


@pytest.mark.parametrize("field", ["member_sequence", "created_by", "member_count", "id"])
def test_unknown_field_is_refused_not_ignored(creator_api, field):
    response = create(creator_api, name="Umoja Women", **{field: 5})

    assert_error(response, status=400, code="unknown_field", attr=field, detail=UNKNOWN_FIELD)
    assert not Chama.objects.exists()


def test_name_of_120_characters_is_accepted_and_121_refused(creator_api):
    assert create(creator_api, name="N" * 120).status_code == 201

    response = create(creator_api, name="N" * 121)

    assert_error(
        response,
        status=400,
        code="max_length",
        attr="name",
        detail="Ensure this field has no more than 120 characters.",
    )
    assert Chama.objects.count() == 1


@pytest.mark.parametrize(
    ("body", "errors"),
    [
        ([{"name": "Umoja"}], [("invalid", "non_field_errors")]),
        ("just text", [("invalid", "non_field_errors")]),
        (None, [("null", "non_field_errors")]),
        ({}, [("required", "name")]),
        ({"name": ""}, [("blank", "name")]),
        ({"name": {"text": "Umoja"}}, [("invalid", "name")]),
        ({"name": ["Umoja"]}, [("invalid", "name")]),
        ({"name": "Umoja\x00"}, [("null_characters_not_allowed", "name")]),
        ({"name": "Umoja", "contribution_amount": [1000]}, [("invalid", "contribution_amount")]),
        ({"name": "Umoja", "contribution_amount": True}, [("invalid", "contribution_amount")]),
        ({"name": "Umoja", "plan": 1}, [("invalid_choice", "plan")]),
        ({"name": "Umoja", "code": 123456}, [("invalid", "code")]),  # a number, not text
        ({"name": "Umoja", "meeting_day": "someday"}, [("unknown_meeting_rule", "meeting_day")]),
    ],
)
def test_malformed_bodies_are_a_400_never_a_500(creator_api, body, errors):
    response = creator_api.post(chamas_url(), json.dumps(body), content_type="application/json")

    assert response.status_code == 400, response.content
    assert response.json()["type"] == "validation_error"
    assert errors_of(response) == errors
    assert not Chama.objects.exists()


def test_body_that_is_not_json_is_malformed_json(creator_api):
    response = creator_api.post(chamas_url(), "{name: ", content_type="application/json")

    assert_error(response, status=400, code="malformed_json", error_type="client_error")
    assert not Chama.objects.exists()


# --- GET chamas/ ----------------------------------------------------------------------------


def test_list_shows_only_my_chamas_with_their_active_member_counts(client_for):
    # Given a user who chairs one chama and is a member of another ...
    me = UserFactory()
    mine = make_chama(creator=me, name="Amani Savers")
    fill_to(mine, 3)
    set_status(add_member(mine), MembershipStatus.EXITED)
    set_status(add_member(mine), MembershipStatus.SUSPENDED)
    joined = make_chama(name="Baraka Group", plan=Plan.PREMIUM)
    add_member(joined, user=me)
    fill_to(joined, 12)
    # ... has left a third, is suspended from a fourth, and is not in a fifth that is bigger
    left = make_chama(name="Chama Left")
    set_status(add_member(left, user=me), MembershipStatus.EXITED)
    suspended = make_chama(name="Chama Suspended")
    set_status(add_member(suspended, user=me), MembershipStatus.SUSPENDED)
    stranger = make_chama(name="Aardvark Club", plan=Plan.PREMIUM)
    fill_to(stranger, 15)

    # When they list their chamas
    response = client_for(me).get(chamas_url())

    # Then they see exactly their two active chamas, each counting its own active members only
    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["count"], body["next"], body["previous"]) == (2, None, None)
    assert [(c["id"], c["name"], c["member_count"]) for c in body["results"]] == [
        (str(mine.pk), "Amani Savers", 3),
        (str(joined.pk), "Baraka Group", 12),
    ]


def test_list_of_a_user_without_chamas_is_empty(client_for, chama):
    response = client_for(UserFactory()).get(chamas_url())

    assert response.status_code == 200
    assert response.json() == {"count": 0, "next": None, "previous": None, "results": []}


def test_list_query_count_does_not_grow_with_chamas(client_for, django_assert_num_queries):
    # Given a user in one chama
    me = UserFactory()
    make_chama(creator=me, name="Chama 0")
    client = client_for(me)

    # When they list it: user, count, page
    with django_assert_num_queries(3):
        response = client.get(chamas_url())
    assert len(response.json()["results"]) == 1

    # Then listing five chamas, each with more members, takes exactly as many queries
    for n in range(1, 5):
        fill_to(make_chama(creator=me, name=f"Chama {n}"), n + 2)
    with django_assert_num_queries(3):
        response = client.get(chamas_url())
    assert [c["member_count"] for c in response.json()["results"]] == [1, 3, 4, 5, 6]


# --- GET chamas/{id}/ -----------------------------------------------------------------------


def test_member_reads_the_chamas_settings(client_for, chama, roles):
    set_status(add_member(chama), MembershipStatus.EXITED)

    response = client_for(roles["member"].user).get(chama_url(chama.pk))

    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["id"], body["code"], body["name"]) == (str(chama.pk), chama.code, "Umoja Group")
    assert body["contribution_amount"] == "1000.00"
    assert body["member_count"] == 5


# --- PATCH chamas/{id}/ ---------------------------------------------------------------------


def test_chair_changes_the_settings(chair_api, chama, roles):
    response = chair_api.patch(
        chama_url(chama.pk),
        {
            "name": "Umoja Women Group",
            "description": "We meet at the church hall.",
            "cycle_frequency": "weekly",
            "meeting_day": "sunday",
            "contribution_amount": "1200.00",
            "rotation_amount": "1000.00",
            "savings_amount": "150.00",
            "welfare_amount": "50.00",
            "plan": "premium",
        },
        format="json",
    )

    assert response.status_code == 200, response.content
    body = response.json()
    assert body["name"] == "Umoja Women Group"
    assert body["description"] == "We meet at the church hall."
    assert (body["cycle_frequency"], body["meeting_day"], body["plan"]) == (
        "weekly",
        "sunday",
        "premium",
    )
    assert [body[f] for f in ("contribution_amount", "rotation_amount")] == ["1200.00", "1000.00"]
    assert [body[f] for f in ("savings_amount", "welfare_amount")] == ["150.00", "50.00"]
    assert body["member_count"] == 5
    assert body["code"] == chama.code
    chama = reload(chama)
    assert (chama.name, chama.plan, chama.rotation_amount) == (
        "Umoja Women Group",
        Plan.PREMIUM,
        Decimal("1000.00"),
    )


@pytest.mark.parametrize("role", ["treasurer", "secretary", "auditor", "member"])
def test_only_the_chair_changes_settings(client_for, chama, roles, role):
    response = client_for(roles[role].user).patch(
        chama_url(chama.pk), {"name": "Taken Over"}, format="json"
    )

    assert_error(
        response, status=403, code="permission_denied", detail=GroupsError.ROLE_DENIED.message
    )
    assert reload(chama).name == "Umoja Group"


@pytest.mark.parametrize(
    ("field", "value"),
    [("code", "NEW001"), ("currency", "USD"), ("member_sequence", 0), ("created_by", None)],
)
def test_fixed_fields_cannot_be_changed(chair_api, chama, roles, field, value):
    response = chair_api.patch(chama_url(chama.pk), {field: value}, format="json")

    assert_error(response, status=400, code="unknown_field", attr=field, detail=UNKNOWN_FIELD)
    after = reload(chama)
    assert (after.code, after.currency, after.member_sequence) == (chama.code, "KES", 5)


def test_new_contribution_without_a_split_goes_to_savings(chair_api, chama, roles):
    chair_api.patch(
        chama_url(chama.pk),
        {"rotation_amount": "900", "savings_amount": "100"},
        format="json",
    )

    response = chair_api.patch(chama_url(chama.pk), {"contribution_amount": "500"}, format="json")

    assert response.status_code == 200, response.content
    body = response.json()
    assert [body[f] for f in ("contribution_amount", "rotation_amount")] == ["500.00", "0.00"]
    assert [body[f] for f in ("savings_amount", "welfare_amount")] == ["500.00", "0.00"]


def test_split_change_that_does_not_add_up_is_refused(chair_api, chama, roles):
    response = chair_api.patch(chama_url(chama.pk), {"rotation_amount": "600"}, format="json")

    assert_error(
        response,
        status=400,
        code="split_mismatch",
        attr="contribution_amount",
        detail=GroupsError.SPLIT_MISMATCH.message,
    )
    after = reload(chama)
    assert (after.rotation_amount, after.savings_amount) == (Decimal("0.00"), Decimal("1000.00"))


def test_downgrade_to_free_with_eleven_active_members_is_refused(chair_api, chama, roles):
    # Given a premium chama with 11 active members
    chair_api.patch(chama_url(chama.pk), {"plan": "premium"}, format="json")
    fill_to(chama, 11)

    # When the chair moves it to the free plan
    response = chair_api.patch(chama_url(chama.pk), {"plan": "free"}, format="json")

    # Then it stays premium
    assert_error(
        response,
        status=409,
        code="member_limit_reached",
        detail=GroupsError.MEMBER_LIMIT_REACHED.render(limit=10),
    )
    assert reload(chama).plan == Plan.PREMIUM


def test_downgrade_to_free_at_exactly_ten_active_members_is_allowed(chair_api, chama, roles):
    chair_api.patch(chama_url(chama.pk), {"plan": "premium"}, format="json")
    fill_to(chama, 10)
    set_status(add_member(chama), MembershipStatus.EXITED)

    response = chair_api.patch(chama_url(chama.pk), {"plan": "free"}, format="json")

    assert response.status_code == 200, response.content
    assert (response.json()["plan"], response.json()["member_count"]) == ("free", 10)


def test_chair_suspends_the_chama(chair_api, chama, roles):
    response = chair_api.patch(chama_url(chama.pk), {"status": "suspended"}, format="json")

    assert response.status_code == 200, response.content
    assert response.json()["status"] == "suspended"
    assert reload(chama).status == "suspended"


def test_put_is_not_offered(chair_api, chama, roles):
    response = chair_api.put(chama_url(chama.pk), {"name": "Whole"}, format="json")

    assert_error(response, status=405, code="method_not_allowed")


@pytest.mark.parametrize(
    ("raw", "error"),
    [
        ("[1]", ("invalid", "non_field_errors")),
        ("null", ("null", "non_field_errors")),
        ('"name"', ("invalid", "non_field_errors")),
        ('{"contribution_amount": "1e20"}', ("invalid", "contribution_amount")),
        ('{"contribution_amount": 1e20}', ("max_digits", "contribution_amount")),
        ('{"plan": ["free"]}', ("invalid_choice", "plan")),
    ],
)
def test_malformed_changes_are_a_400_never_a_500(chair_api, chama, roles, raw, error):
    before = reload(chama).updated_at

    response = chair_api.patch(chama_url(chama.pk), raw, content_type="application/json")

    assert_error(response, status=400, code=error[0], attr=error[1])
    assert reload(chama).updated_at == before


@pytest.mark.parametrize(
    ("meeting_day", "rule"),
    [
        (
            "Last Saturday",
            {
                "kind": "monthly_weekday",
                "weekday": "saturday",
                "ordinal": -1,
                "day_of_month": None,
                "text": "Last Saturday",
            },
        ),
        (
            "Saturday",
            {
                "kind": "weekly",
                "weekday": "saturday",
                "ordinal": None,
                "day_of_month": None,
                "text": "Every Saturday",
            },
        ),
        (
            "tarehe 5",
            {
                "kind": "monthly_day",
                "weekday": None,
                "ordinal": None,
                "day_of_month": 5,
                "text": "The 5th",
            },
        ),
    ],
)
def test_a_meeting_day_in_words_becomes_a_rule(creator_api, meeting_day, rule):
    response = creator_api.post(
        chamas_url(), {"name": "Umoja", "meeting_day": meeting_day}, format="json"
    )

    assert response.status_code == 201, response.json()
    assert response.json()["meeting_rule"] == rule
    assert response.json()["meeting_day"] == (rule["weekday"] or "")


def test_an_unknown_meeting_day_lists_the_accepted_forms_and_creates_nothing(creator_api):
    response = creator_api.post(
        chamas_url(), {"name": "Umoja", "meeting_day": "every full moon"}, format="json"
    )

    assert response.status_code == 400
    assert response.json()["errors"] == [
        {
            "code": "unknown_meeting_rule",
            "detail": GroupsError.UNKNOWN_MEETING_RULE.render(text="every full moon"),
            "attr": "meeting_day",
        }
    ]
    assert not Chama.objects.exists()


def test_a_monthly_rule_needs_a_monthly_cycle(creator_api):
    response = creator_api.post(
        chamas_url(),
        {"name": "Umoja", "meeting_day": "Last Saturday", "cycle_frequency": "weekly"},
        format="json",
    )

    assert response.status_code == 400
    assert response.json()["errors"][0]["code"] == "meeting_rule_frequency"
    assert not Chama.objects.exists()
