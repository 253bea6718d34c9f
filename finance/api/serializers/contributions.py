from rest_framework import serializers

from core.api.serializers import InputSerializer
from core.money import MoneyField
from finance.choices import RECORDABLE_CONTRIBUTION_STATUSES, ContributionStatus, PaymentMethod
from finance.models import Contribution


class ContributionOutputSerializer(serializers.ModelSerializer):
    member_id = serializers.UUIDField(source="membership_id")
    member_code = serializers.CharField(source="membership.member_code")
    full_name = serializers.CharField(source="membership.user.full_name")
    method = serializers.ChoiceField(choices=PaymentMethod.choices)
    status = serializers.ChoiceField(choices=ContributionStatus.choices)
    entry_id = serializers.UUIDField(allow_null=True)
    reversal_entry_id = serializers.UUIDField(allow_null=True)

    class Meta:
        model = Contribution
        fields = [
            "id",
            "member_id",
            "member_code",
            "full_name",
            "amount",
            "method",
            "status",
            "mpesa_receipt",
            "reference",
            "paid_at",
            "confirmed_at",
            "entry_id",
            "reversal_entry_id",
            "reversal_reason",
            "created_at",
        ]
        read_only_fields = fields


class ContributionRecordInputSerializer(InputSerializer):
    member_id = serializers.UUIDField()
    amount = MoneyField()
    method = serializers.ChoiceField(choices=PaymentMethod.choices)
    status = serializers.ChoiceField(
        choices=RECORDABLE_CONTRIBUTION_STATUSES,
        default=ContributionStatus.CONFIRMED,
        help_text="pending: cash or bank awaiting the treasurer's confirmation.",
    )
    mpesa_receipt = serializers.CharField(max_length=20, required=False, allow_blank=True)
    reference = serializers.CharField(max_length=64, required=False, allow_blank=True)
    paid_at = serializers.DateTimeField(required=False)


class ContributionReverseInputSerializer(InputSerializer):
    reason = serializers.CharField(max_length=255)
