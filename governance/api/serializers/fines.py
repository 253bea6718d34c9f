from rest_framework import serializers

from core.api.serializers import InputSerializer
from core.money import MoneyField
from finance.choices import FineKind, FineStatus, PaymentMethod
from finance.models import Fine
from finance.services.fines.issuing import REASON_MAX
from groups.api.fields import ChamaMemberField


class FinedMemberOutputSerializer(serializers.Serializer):
    member_id = serializers.UUIDField(source="pk")
    full_name = serializers.CharField(source="user.full_name")
    member_code = serializers.CharField()


class FineOutputSerializer(serializers.ModelSerializer):
    """A fine as every member of the chama sees it (fines are among its open records)."""

    member = FinedMemberOutputSerializer(source="membership")
    kind = serializers.ChoiceField(choices=FineKind.choices)
    status = serializers.ChoiceField(choices=FineStatus.choices)
    amount = MoneyField(read_only=True)
    paid_amount = MoneyField(allow_zero=True, read_only=True)
    waived_amount = MoneyField(allow_zero=True, read_only=True)
    unpaid = MoneyField(allow_zero=True, read_only=True, help_text="What is left to pay.")
    issued_by = serializers.CharField(
        source="issued_by.full_name", allow_null=True, default=None, help_text="Null: a rule."
    )
    waived_by = serializers.CharField(source="waived_by.full_name", allow_null=True, default=None)
    entry_id = serializers.UUIDField(source="issued_entry_id")

    class Meta:
        model = Fine
        fields = [
            "id",
            "member",
            "kind",
            "period",
            "reason",
            "amount",
            "paid_amount",
            "waived_amount",
            "unpaid",
            "status",
            "issued_by",
            "waived_by",
            "waived_at",
            "waive_reason",
            "entry_id",
            "created_at",
        ]
        read_only_fields = fields


class FineIssueInputSerializer(InputSerializer):
    member_id = ChamaMemberField(source="membership", help_text="The member fined.")
    amount = MoneyField()
    reason = serializers.CharField(max_length=REASON_MAX, help_text="Why the member is fined.")


class FinePayInputSerializer(InputSerializer):
    from_savings = serializers.BooleanField(
        default=False,
        help_text="The fined member pays all that is left from their savings (give nothing else).",
    )
    amount = MoneyField(required=False, help_text="Officials: the money paid (up to what is left).")
    method = serializers.ChoiceField(choices=PaymentMethod.choices, required=False)
    mpesa_receipt = serializers.CharField(max_length=20, required=False, allow_blank=True)
    paid_at = serializers.DateTimeField(required=False)


class FineWaiveInputSerializer(InputSerializer):
    reason = serializers.CharField(max_length=REASON_MAX, help_text="Why the fine is waived.")


class FineWaiverVoteOutputSerializer(serializers.Serializer):
    """A waiver over the constitution's threshold: the members' vote that will decide it."""

    fine_id = serializers.UUIDField(source="subject_id")
    vote_id = serializers.UUIDField(source="pk")
    title = serializers.CharField()
    quorum = serializers.DecimalField(max_digits=4, decimal_places=3)
    closes_at = serializers.DateTimeField()
