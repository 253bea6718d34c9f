"""Input fields that name rows of the chama in the URL."""

from typing import TYPE_CHECKING, Any

from rest_framework import serializers

from groups.models import Membership

if TYPE_CHECKING:
    from groups.api.scoping import ChamaScopedViewSet


class ChamaMemberField(serializers.UUIDField):
    """A member of the chama in the URL named by id, read as the Membership (400
    ``unknown_member`` for anyone else). Give it ``source="membership"`` so the service
    receives the member itself; ``error_field`` names the input an unknown member is reported
    against when it is not this field (a list of members reports the list)."""

    def __init__(self, *, error_field: str = "", **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.error_field = error_field

    def to_internal_value(self, data: Any) -> Membership:  # type: ignore[override]
        member_id = super().to_internal_value(data)
        view: ChamaScopedViewSet = self.context["view"]
        return view.member_get(member_id, field=self.error_field or self.field_name or "member_id")
