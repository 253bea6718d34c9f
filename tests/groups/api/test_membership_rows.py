"""A members page is written from its columns, not by the serializer: field for field the
same, for an official (who sees KYC) and for a member (who does not)."""

import pytest

from groups.api.serializers import MEMBERSHIP_COLUMNS, MembershipOutputSerializer, membership_rows
from groups.choices import Role
from groups.selectors import membership_list
from tests.factories import UserFactory, add_member, make_chama

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("viewer_role", [Role.CHAIR, Role.AUDITOR, Role.MEMBER])
def test_the_rows_equal_what_the_serializer_writes(viewer_role):
    chama = make_chama(name="Rows Group")
    add_member(chama, user=UserFactory(national_id="12345678", kra_pin="A123456789B"))
    add_member(chama, role=Role.TREASURER)
    viewer = add_member(chama, role=viewer_role)
    memberships = membership_list(chama=chama)

    rows = membership_rows(memberships.values(*MEMBERSHIP_COLUMNS), viewer=viewer)

    expected = MembershipOutputSerializer(memberships, many=True, context={"viewer": viewer})
    assert rows == expected.data
    assert any(row["kyc"] for row in rows) == (viewer_role != Role.MEMBER)
