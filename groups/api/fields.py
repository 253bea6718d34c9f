"""Input fields that name rows of the chama in the URL."""

from typing import Any
from uuid import UUID

from rest_framework import serializers

from core.exceptions import ValidationFailed
from groups.exceptions import GroupsError
from groups.models import Chama, Membership
from groups.selectors import membership_get


def chama_member_get(chama: Chama, member_id: UUID | str, *, field: str) -> Membership:
    """A member of ``chama`` named in a request body; 400 ``unknown_member`` about ``field``
    for anyone else."""
    member = membership_get(chama=chama, member_id=member_id)
    if member is None:
        raise ValidationFailed(GroupsError.UNKNOWN_MEMBER, field=field)
    return member


class ChamaMemberField(serializers.UUIDField):
    """A member of the chama in the URL (the view's, from the serializer's context) named by
    id, read as the Membership. Give it ``source="membership"`` so the service receives the
    member itself."""

    def to_internal_value(self, data: Any) -> Membership:  # type: ignore[override]
        member_id = super().to_internal_value(data)
        chama = self.context["view"].chama
        return chama_member_get(chama, member_id, field=self.field_name or "member_id")
