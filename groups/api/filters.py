import django_filters

from groups.choices import MembershipStatus, Role
from groups.models import Membership


class MembershipFilter(django_filters.FilterSet):  # type: ignore[misc]
    status = django_filters.ChoiceFilter(choices=MembershipStatus.choices)
    role = django_filters.ChoiceFilter(choices=Role.choices)

    class Meta:
        model = Membership
        fields = ["status", "role"]
