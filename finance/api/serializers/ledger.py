from drf_spectacular.utils import extend_schema_serializer
from rest_framework import serializers

from finance.choices import AccountType, EntryType, Side


class LedgerAccountOutputSerializer(serializers.Serializer):
    id = serializers.UUIDField()
    code = serializers.CharField()
    name = serializers.CharField()
    type = serializers.ChoiceField(choices=AccountType.choices)
    member_id = serializers.UUIDField(allow_null=True)
    round_id = serializers.UUIDField(allow_null=True)
    balance = serializers.DecimalField(
        max_digits=16,
        decimal_places=2,
        help_text="In the account's normal direction (credits for a liability, equity or income).",
    )


@extend_schema_serializer(many=False)  # the list action answers one object, not an array
class LedgerAccountsOutputSerializer(serializers.Serializer):
    accounts = LedgerAccountOutputSerializer(many=True)
    trial_balance = serializers.DecimalField(
        max_digits=16, decimal_places=2, help_text="Σ debits - Σ credits: always 0.00."
    )


class PostingOutputSerializer(serializers.Serializer):
    account_code = serializers.CharField(source="account.code")
    account_name = serializers.CharField(source="account.name")
    side = serializers.ChoiceField(choices=Side.choices)
    amount = serializers.DecimalField(max_digits=14, decimal_places=2)


class JournalEntryOutputSerializer(serializers.Serializer):
    id = serializers.UUIDField()
    entry_type = serializers.ChoiceField(choices=EntryType.choices)
    effective_date = serializers.DateField()
    memo = serializers.CharField()
    member_id = serializers.UUIDField(allow_null=True)
    external_ref = serializers.CharField(allow_null=True)
    reverses_id = serializers.UUIDField(allow_null=True)
    recorded_by = serializers.CharField(
        source="recorded_by.full_name", allow_null=True, default=None
    )
    created_at = serializers.DateTimeField()
    postings = PostingOutputSerializer(many=True)
