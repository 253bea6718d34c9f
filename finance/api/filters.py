import django_filters

from finance.choices import ContributionStatus, EntryType, PaymentMethod, PayoutStatus
from finance.models import Contribution, JournalEntry, Payout


class JournalEntryFilter(django_filters.FilterSet):
    entry_type = django_filters.ChoiceFilter(choices=EntryType.choices)
    member = django_filters.UUIDFilter(field_name="member_id")
    date_from = django_filters.DateFilter(field_name="effective_date", lookup_expr="gte")
    date_to = django_filters.DateFilter(field_name="effective_date", lookup_expr="lte")

    class Meta:
        model = JournalEntry
        fields = ["entry_type", "member", "date_from", "date_to"]


class ContributionFilter(django_filters.FilterSet):
    member = django_filters.UUIDFilter(field_name="membership_id")
    status = django_filters.ChoiceFilter(choices=ContributionStatus.choices)
    method = django_filters.ChoiceFilter(choices=PaymentMethod.choices)
    round = django_filters.UUIDFilter(method="filter_round", label="Applied to this round's dues")
    paid_from = django_filters.DateFilter(field_name="paid_at", lookup_expr="date__gte")
    paid_to = django_filters.DateFilter(field_name="paid_at", lookup_expr="date__lte")

    class Meta:
        model = Contribution
        fields = ["member", "status", "method", "round", "paid_from", "paid_to"]

    def filter_round(self, queryset, name, value):  # type: ignore[no-untyped-def]
        return queryset.filter(entry__allocations__due__round_id=value).distinct()


class PayoutFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(choices=PayoutStatus.choices)
    round = django_filters.UUIDFilter(field_name="round_id")

    class Meta:
        model = Payout
        fields = ["status", "round"]
