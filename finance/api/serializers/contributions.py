from collections.abc import Iterable
from typing import Any

from django.utils import timezone
from rest_framework import serializers

from core.api.serializers import InputSerializer, datetime_text, money_text, uuid_text
from core.money import MoneyField
from finance.choices import RECORDABLE_CONTRIBUTION_STATUSES, ContributionStatus, PaymentMethod
from finance.models import Contribution

# A list page reads these columns and writes its rows itself (``contribution_rows``): DRF's
# field-by-field serialisation and the ORM's three objects per row were most of a page's cost.
CONTRIBUTION_COLUMNS = (
    "id",
    "membership_id",
    "membership__member_code",
    "membership__user__full_name",
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
)


def contribution_rows(values: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    """``ContributionOutputSerializer(many=True).data`` for rows read with
    ``.values(*CONTRIBUTION_COLUMNS)``, field for field (a test holds them equal)."""
    tz = timezone.get_current_timezone()
    return [
        {
            "id": str(v["id"]),
            "member_id": str(v["membership_id"]),
            "member_code": v["membership__member_code"],
            "full_name": v["membership__user__full_name"],
            "amount": money_text(v["amount"]),
            "method": v["method"],
            "status": v["status"],
            "mpesa_receipt": v["mpesa_receipt"],
            "reference": v["reference"],
            "paid_at": datetime_text(v["paid_at"], tz),
            "confirmed_at": datetime_text(v["confirmed_at"], tz),
            "entry_id": uuid_text(v["entry_id"]),
            "reversal_entry_id": uuid_text(v["reversal_entry_id"]),
            "reversal_reason": v["reversal_reason"],
            "created_at": datetime_text(v["created_at"], tz),
        }
        for v in values
    ]


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
