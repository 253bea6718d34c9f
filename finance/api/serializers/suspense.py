from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from core.api.serializers import InputSerializer
from core.money import MoneyField
from finance.choices import SuspensePurpose, SuspenseStatus
from finance.models import SuspenseReceipt
from groups.api.fields import ChamaMemberField


class SuspenseMemberOutputSerializer(serializers.Serializer):
    member_id = serializers.UUIDField(source="pk")
    member_code = serializers.CharField()
    full_name = serializers.CharField(source="user.full_name")


class SuspenseReceiptOutputSerializer(serializers.ModelSerializer):
    amount = MoneyField(read_only=True)
    status = serializers.ChoiceField(choices=SuspenseStatus.choices)
    member = SuspenseMemberOutputSerializer(
        source="membership", allow_null=True, help_text="Who it was assigned to."
    )
    purpose = serializers.SerializerMethodField()
    entry_id = serializers.UUIDField(help_text="The entry that booked it to suspense.")
    contribution_id = serializers.UUIDField(allow_null=True)
    loan_repayment_id = serializers.UUIDField(allow_null=True)
    assigned_by = serializers.CharField(
        source="assigned_by.full_name", allow_null=True, default=None
    )

    class Meta:
        model = SuspenseReceipt
        fields = [
            "id",
            "amount",
            "receipt",
            "paid_at",
            "account_reference",
            "payer",
            "status",
            "member",
            "purpose",
            "entry_id",
            "contribution_id",
            "loan_repayment_id",
            "assigned_by",
            "assigned_at",
            "created_at",
        ]
        read_only_fields = fields

    @extend_schema_field(serializers.ChoiceField(choices=SuspensePurpose.choices, allow_null=True))
    def get_purpose(self, receipt: SuspenseReceipt) -> str | None:
        if receipt.contribution_id is not None:
            return SuspensePurpose.CONTRIBUTION
        if receipt.loan_repayment_id is not None:
            return SuspensePurpose.LOAN_REPAYMENT
        return None


class SuspenseAssignInputSerializer(InputSerializer):
    member_id = ChamaMemberField(source="membership")
    purpose = serializers.ChoiceField(
        choices=SuspensePurpose.choices,
        help_text="contribution: applied to the member's dues; loan_repayment: to their loan.",
    )
