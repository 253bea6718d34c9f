"""groups.models: the rules the database holds even when the services are bypassed, and the
QuerySets that scope what a user may see."""

from decimal import Decimal
from typing import Any

import pytest
from django.db import IntegrityError, transaction

from groups.choices import MembershipStatus, Role
from groups.models import Chama, Membership
from tests.factories import UserFactory, add_member, make_chama
from tests.groups.helpers import reload, set_status

pytestmark = pytest.mark.django_db


def refused(queryset: Any, **values: Any) -> bool:
    """True when the database refuses the UPDATE with an IntegrityError."""
    try:
        with transaction.atomic():
            queryset.update(**values)
    except IntegrityError:
        return True
    return False


# --- Chama ----------------------------------------------------------------------------------


@pytest.fixture
def split_chama() -> Chama:
    return make_chama(
        contribution_amount=Decimal("1000.00"),
        rotation_amount=Decimal("800.00"),
        savings_amount=Decimal("150.00"),
        welfare_amount=Decimal("50.00"),
    )


@pytest.mark.parametrize(
    "values",
    [
        {"rotation_amount": Decimal("801.00")},
        {"contribution_amount": Decimal("999.99")},
        {"welfare_amount": Decimal("0.00")},
    ],
)
def test_split_must_add_up_to_the_contribution(split_chama, values):
    rows = Chama.objects.filter(pk=split_chama.pk)

    assert refused(rows, **values)
    assert reload(split_chama).rotation_amount == Decimal("800.00")


def test_a_split_that_adds_up_is_accepted(split_chama):
    rows = Chama.objects.filter(pk=split_chama.pk)

    assert not refused(rows, rotation_amount=Decimal("700.00"), savings_amount=Decimal("250.00"))
    assert reload(split_chama).savings_amount == Decimal("250.00")


def test_split_parts_cannot_be_negative(split_chama):
    rows = Chama.objects.filter(pk=split_chama.pk)

    assert refused(rows, rotation_amount=Decimal("-100.00"), savings_amount=Decimal("1050.00"))


@pytest.mark.parametrize("code", ["UMJ01", "umj001", "UMJ01A", "1MJ001", ""])
def test_chama_code_format_is_checked(chama, code):
    assert refused(Chama.objects.filter(pk=chama.pk), code=code)


def test_chama_codes_are_unique(chama):
    other = make_chama(name="Other Group")

    assert refused(Chama.objects.filter(pk=other.pk), code=chama.code)


# --- Membership -----------------------------------------------------------------------------


def test_two_active_members_cannot_share_a_seat(roles):
    treasurer = Membership.objects.filter(pk=roles["treasurer"].pk)

    assert refused(treasurer, seat=1)
    assert reload(roles["treasurer"]).seat == 2


def test_an_exited_member_may_keep_a_seat_number_someone_active_holds(roles):
    treasurer = Membership.objects.filter(pk=roles["treasurer"].pk)

    assert not refused(treasurer, status=MembershipStatus.EXITED, seat=1)
    # ... and cannot come back into it while the chair holds it
    assert refused(treasurer, status=MembershipStatus.ACTIVE)


def test_the_same_seat_in_another_chama_is_fine(chama):
    other = make_chama(name="Other Group")

    assert (chama.memberships.get().seat, other.memberships.get().seat) == (1, 1)


def test_member_codes_are_unique_within_a_chama_even_after_an_exit(roles):
    left = set_status(roles["member"], MembershipStatus.EXITED)
    newcomer = Membership.objects.filter(pk=add_member(roles["chair"].chama).pk)

    assert refused(newcomer, member_code=left.member_code)


def test_the_same_member_code_in_another_chama_is_fine(chama):
    other = make_chama(name="Other Group")

    assert chama.memberships.get().member_code == other.memberships.get().member_code == "M001"


@pytest.mark.parametrize("member_code", ["M01", "X001", "M00A", "m001", "M"])
def test_member_code_format_is_checked(roles, member_code):
    assert refused(Membership.objects.filter(pk=roles["member"].pk), member_code=member_code)


def test_one_membership_per_user_per_chama(roles):
    chair = roles["chair"]

    with pytest.raises(IntegrityError), transaction.atomic():
        Membership.objects.bulk_create(
            [
                Membership(
                    chama=chair.chama,
                    user=chair.user,
                    seat=9,
                    member_code="M009",
                    receive_phone=chair.receive_phone,
                    joined_on=chair.joined_on,
                )
            ]
        )


def test_seats_start_at_one(roles):
    assert refused(Membership.objects.filter(pk=roles["member"].pk), seat=0)


@pytest.mark.parametrize(
    "phone", ["0712345678", "+25471234567", "254212345678", "25471234567", "254712345A78"]
)
def test_payout_phone_must_be_stored_normalised(roles, phone):
    rows = Membership.objects.filter(pk=roles["member"].pk)

    assert refused(rows, receive_phone=phone)


@pytest.mark.parametrize("phone", ["254712345678", "254110000001"])
def test_a_normalised_payout_phone_is_accepted(roles, phone):
    rows = Membership.objects.filter(pk=roles["member"].pk)

    assert not refused(rows, receive_phone=phone)


@pytest.mark.parametrize(
    ("score", "is_refused"), [(101, True), (100, False), (0, False), (None, False)]
)
def test_a_credit_score_is_0_to_100_or_none(roles, score, is_refused):
    rows = Membership.objects.filter(pk=roles["member"].pk)

    assert refused(rows, credit_score=score) is is_refused


def test_membership_account_number_and_office(roles):
    chama = roles["chair"].chama

    assert roles["member"].account_number == f"{chama.code}M005"
    assert [roles[r].is_official for r in ("chair", "treasurer", "secretary")] == [True] * 3
    assert [roles[r].is_official for r in ("auditor", "member")] == [False, False]
    assert str(roles["member"]) == f"M005 {roles['member'].user.full_name} ({chama.code})"


# --- QuerySets ------------------------------------------------------------------------------


def test_visible_to_is_active_memberships_only():
    me = UserFactory()
    mine = make_chama(creator=me, name="Mine")
    set_status(add_member(make_chama(name="Left"), user=me), MembershipStatus.EXITED)
    set_status(add_member(make_chama(name="Paused"), user=me), MembershipStatus.SUSPENDED)
    make_chama(name="Stranger")

    assert list(Chama.objects.visible_to(me)) == [mine]


def test_administered_by_is_active_offices_including_the_auditor():
    me = UserFactory()
    audited = make_chama(name="Audited")
    add_member(audited, user=me, role=Role.AUDITOR)
    add_member(make_chama(name="Plain"), user=me, role=Role.MEMBER)
    former = make_chama(name="Former")
    set_status(add_member(former, user=me, role=Role.TREASURER), MembershipStatus.EXITED)

    assert list(Chama.objects.administered_by(me)) == [audited]


def test_with_member_count_counts_active_members_of_each_chama(roles):
    chama = roles["chair"].chama
    set_status(roles["member"], MembershipStatus.EXITED)
    set_status(roles["auditor"], MembershipStatus.SUSPENDED)
    make_chama(name="Zebra Group")

    counts = {c.name: c.member_count for c in Chama.objects.with_member_count()}

    assert counts == {chama.name: 3, "Zebra Group": 1}
