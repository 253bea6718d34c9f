"""groups.services: the rules of chamas and memberships, called as admin actions, jobs and the
API call them."""

import re
from decimal import Decimal

import pytest
from auditlog.models import LogEntry

from accounts.models import User
from core.exceptions import ConflictError, PermissionDeniedError, ValidationFailed
from groups import services
from groups.choices import MembershipStatus, Plan, Role
from groups.exceptions import GroupsError
from groups.models import Chama
from tests.factories import UserFactory, add_member, make_chama
from tests.groups.helpers import fill_to, reload, set_status

pytestmark = pytest.mark.django_db


def active_count(chama: Chama) -> int:
    return chama.memberships.filter(status=MembershipStatus.ACTIVE).count()


# --- chama_create ---------------------------------------------------------------------------


def test_chama_create_makes_the_creator_chair_and_starts_the_member_sequence():
    creator = UserFactory()

    chama = services.chama_create(creator=creator, name="Umoja Women")

    chair = chama.memberships.get()
    assert (chair.user, chair.role, chair.seat, chair.member_code) == (creator, "chair", 1, "M001")
    assert reload(chama).member_sequence == 1
    assert (chama.contribution_amount, chama.savings_amount) == (Decimal("0"), Decimal("0"))


def test_generated_code_takes_the_only_free_number_of_its_prefix():
    # Given UMO001..UMO998 are all in use
    Chama.objects.bulk_create(Chama(name=f"Umoja {n}", code=f"UMO{n:03d}") for n in range(1, 999))

    # When another "Umoja" chama starts
    chama = make_chama(name="Umoja Women")

    # Then it gets the one number left
    assert chama.code == "UMO999"


def test_generated_code_moves_to_another_prefix_when_its_own_is_full():
    Chama.objects.bulk_create(Chama(name=f"Umoja {n}", code=f"UMO{n:03d}") for n in range(1, 1000))

    chama = make_chama(name="Umoja Women")

    # A random letter is put before the name: ?UM + three digits
    assert re.fullmatch(r"[A-Z]UM[0-9]{3}", chama.code), chama.code
    assert not chama.code.startswith("UMO")


def test_generated_code_taken_by_a_concurrent_insert_is_retried(monkeypatch):
    # Given the first generated code is taken just before it is saved
    taken = make_chama(code="UMO001")
    codes = iter([taken.code, "UMO002"])
    monkeypatch.setattr(services, "_generate_code", lambda name: next(codes))

    # When a chama is created
    chama = make_chama(name="Umoja Women")

    # Then the insert that lost is retried with the next code
    assert chama.code == "UMO002"
    assert Chama.objects.count() == 2


def test_chama_create_with_a_split_that_does_not_add_up_writes_nothing():
    with pytest.raises(ValidationFailed) as caught:
        services.chama_create(
            creator=UserFactory(),
            name="Umoja Women",
            contribution_amount=Decimal("1000.00"),
            rotation_amount=Decimal("900.00"),
            savings_amount=Decimal("50.00"),
        )

    error = caught.value
    assert (error.message, error.code, error.field) == (
        GroupsError.SPLIT_MISMATCH.message,
        "split_mismatch",
        "contribution_amount",
    )
    assert not Chama.objects.exists()


@pytest.mark.parametrize("code", ["umj001", "UMJ0001", "UMJ01", "UM J01"])
def test_chama_create_refuses_a_badly_formed_code(code):
    with pytest.raises(ValidationFailed) as caught:
        make_chama(code=code)

    assert (caught.value.message, caught.value.code, caught.value.field) == (
        GroupsError.INVALID_CODE.message,
        "invalid_code",
        "code",
    )


# --- chama_update ---------------------------------------------------------------------------


def test_plan_downgrade_follows_the_configured_limit(settings, chama):
    # Given a premium chama of four and a free plan limited to three
    settings.FREE_PLAN_MEMBER_LIMIT = 3
    services.chama_update(chama=chama, data={"plan": Plan.PREMIUM})
    fill_to(chama, 4)

    # When it moves to the free plan
    with pytest.raises(ConflictError) as caught:
        services.chama_update(chama=chama, data={"plan": Plan.FREE})

    # Then it is refused with the configured number in the message
    assert caught.value.message == GroupsError.MEMBER_LIMIT_REACHED.render(limit=3)
    assert caught.value.code == "member_limit_reached"
    assert reload(chama).plan == Plan.PREMIUM


def test_chama_update_changes_only_what_it_is_given(chama):
    services.chama_update(
        chama=chama,
        data={
            "contribution_amount": Decimal("1000.00"),
            "rotation_amount": Decimal("700.00"),
            "savings_amount": Decimal("200.00"),
            "welfare_amount": Decimal("100.00"),
        },
    )

    updated = services.chama_update(chama=chama, data={"meeting_day": "friday"})

    assert updated.meeting_day == "friday"
    assert (updated.rotation_amount, updated.savings_amount, updated.welfare_amount) == (
        Decimal("700.00"),
        Decimal("200.00"),
        Decimal("100.00"),
    )
    assert (updated.name, updated.member_sequence) == ("Umoja Group", 1)


# --- membership_add -------------------------------------------------------------------------


def test_a_system_job_without_an_actor_may_appoint_officials(chama):
    membership = add_member(chama, role=Role.TREASURER)

    assert (membership.role, membership.seat, membership.member_code) == ("treasurer", 2, "M002")


def test_chair_only_is_checked_before_anything_is_written(roles):
    chama = roles["chair"].chama

    with pytest.raises(PermissionDeniedError) as caught:
        services.membership_add(
            chama=chama,
            actor=roles["secretary"],
            phone="254711000001",
            full_name="Mwanachama Mpya",
            role=Role.AUDITOR,
        )

    assert (caught.value.message, caught.value.code) == (
        GroupsError.CHAIR_ONLY.message,
        "chair_only",
    )
    assert not User.objects.filter(phone="254711000001").exists()
    assert reload(chama).member_sequence == 5


def test_the_limit_counts_active_members_only(chama):
    # Given nine active members, one suspended and one who left
    set_status(add_member(chama), MembershipStatus.SUSPENDED)
    set_status(add_member(chama), MembershipStatus.EXITED)
    fill_to(chama, 9)

    # When a tenth joins, then an eleventh
    tenth = add_member(chama)
    with pytest.raises(ConflictError) as caught:
        add_member(chama)

    # Then the tenth is in and the eleventh is refused
    assert tenth.status == MembershipStatus.ACTIVE
    assert caught.value.code == "member_limit_reached"
    assert active_count(chama) == 10


def test_an_exited_member_rejoining_keeps_their_code_and_joins_at_the_back(chama):
    # Given M002 left seat 2, and M003 then took seat 2
    left = set_status(add_member(chama), MembershipStatus.EXITED)
    newcomer = add_member(chama)
    assert (newcomer.member_code, newcomer.seat) == ("M003", 2)

    # When M002 is added again
    back = add_member(chama, user=left.user, role=Role.SECRETARY)

    # Then the same membership returns with its code, behind everyone active
    assert back.pk == left.pk
    assert (back.member_code, back.seat, back.role, back.status) == (
        "M002",
        3,
        "secretary",
        "active",
    )
    assert reload(chama).member_sequence == 3


def test_a_suspended_members_seat_is_open_to_others(chama):
    suspended = set_status(add_member(chama), MembershipStatus.SUSPENDED)

    newcomer = add_member(chama, seat=suspended.seat)

    assert newcomer.seat == suspended.seat == 2
    assert newcomer.member_code == "M003"


# --- membership_update ----------------------------------------------------------------------


def test_a_system_job_may_change_roles(roles):
    updated = services.membership_update(
        membership=roles["member"], actor=None, data={"role": Role.AUDITOR}
    )

    assert updated.role == Role.AUDITOR


def test_the_last_active_chair_cannot_be_removed_while_a_suspended_chair_exists(roles):
    other_chair = add_member(roles["chair"].chama, role=Role.CHAIR)
    set_status(other_chair, MembershipStatus.SUSPENDED)

    with pytest.raises(ConflictError) as caught:
        services.membership_update(
            membership=roles["chair"], actor=roles["chair"], data={"status": "exited"}
        )

    assert (caught.value.message, caught.value.code) == (
        GroupsError.LAST_CHAIR.message,
        "last_chair",
    )


def test_an_inactive_chair_may_be_changed_freely(roles):
    other_chair = set_status(add_member(roles["chair"].chama, role=Role.CHAIR), "suspended")

    updated = services.membership_update(
        membership=other_chair, actor=roles["chair"], data={"role": Role.MEMBER, "status": "exited"}
    )

    assert (updated.role, updated.status) == ("member", "exited")


def test_an_explicit_seat_on_reactivation_must_be_free(roles):
    left = set_status(roles["member"], MembershipStatus.EXITED)

    with pytest.raises(ConflictError) as caught:
        services.membership_update(
            membership=left, actor=None, data={"status": "active", "seat": 2}
        )

    assert caught.value.message == GroupsError.SEAT_TAKEN.render(seat=2)
    assert reload(left).status == MembershipStatus.EXITED


def test_an_exited_members_seat_is_kept_on_record_but_not_held(roles):
    left = set_status(roles["member"], MembershipStatus.EXITED)

    assert (left.status, left.seat) == ("exited", 5)
    assert add_member(roles["chair"].chama, seat=5).seat == 5


# --- membership_credit_score_set -----------------------------------------------------------


def test_a_credit_score_is_stored_changed_and_cleared_with_an_audit_entry(roles):
    membership = roles["member"]

    services.membership_credit_score_set(membership=membership, score=72)
    assert reload(membership).credit_score == 72
    services.membership_credit_score_set(membership=membership, score=None)

    assert reload(membership).credit_score is None
    entries = list(LogEntry.objects.get_for_object(membership)[:2])
    assert [e.changes_dict for e in entries] == [
        {"credit_score": ["72", "None"]},
        {"credit_score": ["None", "72"]},
    ]


@pytest.mark.parametrize("score", [-1, 101, True, 50.5, "80", Decimal("80")])
def test_a_credit_score_outside_0_to_100_is_refused(roles, score):
    membership = roles["member"]
    services.membership_credit_score_set(membership=membership, score=40)

    with pytest.raises(ValidationFailed) as caught:
        services.membership_credit_score_set(membership=membership, score=score)

    assert (caught.value.code, caught.value.message) == (
        "invalid_credit_score",
        f"A credit score is a whole number from 0 to 100, or none; got {score!r}.",
    )
    assert reload(membership).credit_score == 40


# --- audit trail ----------------------------------------------------------------------------


def test_adding_a_member_writes_an_audit_entry(chama):
    membership = add_member(chama, role=Role.TREASURER)

    entries = list(LogEntry.objects.get_for_object(membership))

    assert [entry.action for entry in entries] == [LogEntry.Action.CREATE]
    changes = entries[0].changes_dict
    assert changes["role"] == ["None", "treasurer"]
    assert changes["member_code"] == ["None", "M002"]
    assert changes["seat"] == ["None", "2"]
    assert changes["status"] == ["None", "active"]


def test_a_role_change_writes_an_audit_entry_with_exactly_that_change(roles):
    membership = roles["member"]

    services.membership_update(
        membership=membership, actor=roles["chair"], data={"role": "auditor"}
    )

    entries = list(LogEntry.objects.get_for_object(membership))
    assert [entry.action for entry in entries] == [LogEntry.Action.UPDATE, LogEntry.Action.CREATE]
    assert entries[0].changes_dict == {"role": ["member", "auditor"]}


def test_handing_out_member_codes_is_not_logged_as_a_chama_change(chama):
    fill_to(chama, 4)

    entries = list(LogEntry.objects.get_for_object(chama))

    assert [entry.action for entry in entries] == [LogEntry.Action.CREATE]
    assert "member_sequence" not in entries[0].changes_dict
