from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from core.api.serializers import InputSerializer
from core.money import MoneyField
from finance.choices import (
    PayoutMethod,
    WelfareClaimStatus,
    WelfareClaimType,
    WelfareForecastReason,
    WelfareForecastSource,
)
from finance.models import WelfareClaim
from finance.services.welfare import DESCRIPTION_MAX, DESTINATION_MAX, NOTE_MAX
from groups.api.approvals import SIGNED_FIELDS, SignedOutputSerializer
from groups.api.fields import ChamaMemberField
from groups.choices import OFFICE_ROLES, ApprovalKind


class WelfareFundOutputSerializer(serializers.Serializer):
    balance = MoneyField(
        allow_zero=True, read_only=True, help_text="The fund less the claims in flight."
    )
    buffer = MoneyField(
        allow_zero=True,
        read_only=True,
        help_text="What the constitution keeps back from claims (0 without one).",
    )
    claimable = MoneyField(
        allow_zero=True,
        read_only=True,
        help_text="What claims can use: the balance less the buffer, never below 0.",
    )
    fixed_amounts = serializers.DictField(
        child=MoneyField(read_only=True),
        read_only=True,
        help_text="The amount the constitution pays per claim type; a type not named is "
        "decided per claim.",
    )


class WelfareHorizonOutputSerializer(serializers.Serializer):
    days = serializers.IntegerField(help_text="30 or 90: the days from today.")
    expected_amount = MoneyField(
        allow_zero=True, allow_null=True, help_text="Σ of the claims expected; null: no forecast."
    )
    expected_count = serializers.DecimalField(
        max_digits=8, decimal_places=2, allow_null=True, help_text="How many claims expected."
    )
    low = MoneyField(allow_zero=True, allow_null=True, help_text="expected - 1.645·sd·√(days/30).")
    high = MoneyField(allow_zero=True, allow_null=True, help_text="expected + 1.645·sd·√(days/30).")
    suggested_buffer = MoneyField(
        allow_zero=True,
        help_text="What the fund should hold for the horizon: ``high`` from the history, else "
        "the constitution's welfare buffer (0 without one).",
    )


class WelfareForecastOutputSerializer(serializers.Serializer):
    on = serializers.DateField()
    # A declared field, not Field.source: the metaclass takes it off the class.
    source = serializers.ChoiceField(  # type: ignore[assignment]
        choices=WelfareForecastSource.choices, help_text="Where ``suggested_buffer`` came from."
    )
    reason = serializers.ChoiceField(
        choices=WelfareForecastReason.choices,
        allow_blank=True,
        help_text="Why the history is too thin to forecast from; empty with a forecast.",
    )
    reason_detail = serializers.CharField(allow_blank=True)
    periods = serializers.IntegerField(help_text="Whole 30-day periods of history used (≤ 12).")
    claims = serializers.IntegerField(help_text="Granted claims of the last two years.")
    suggested_buffer = MoneyField(
        allow_zero=True, help_text="The 90-day buffer: what the idle-cash scan keeps back."
    )
    horizons = WelfareHorizonOutputSerializer(many=True)


class WelfareClaimantOutputSerializer(serializers.Serializer):
    member_id = serializers.UUIDField(source="pk")
    full_name = serializers.CharField(source="user.full_name")
    member_code = serializers.CharField()
    receive_phone = serializers.CharField()


class WelfareClaimOutputSerializer(SignedOutputSerializer, serializers.ModelSerializer):
    approval_kind = ApprovalKind.WELFARE
    pending_status = WelfareClaimStatus.SUBMITTED

    """A claim as the chama sees it. Its description (often medical or family detail) is shown
    to officials, the auditor and the claimant only (null otherwise)."""

    member = WelfareClaimantOutputSerializer(source="membership")
    claim_type = serializers.ChoiceField(choices=WelfareClaimType.choices)
    amount = MoneyField(read_only=True)
    description = serializers.SerializerMethodField()
    status = serializers.ChoiceField(choices=WelfareClaimStatus.choices)
    submitted_by = serializers.CharField(source="submitted_by.full_name")
    decided_by = serializers.CharField(source="decided_by.full_name", allow_null=True, default=None)
    paid_by = serializers.CharField(source="paid_by.full_name", allow_null=True, default=None)
    payout_method = serializers.ChoiceField(choices=PayoutMethod.choices, allow_blank=True)
    entry_id = serializers.UUIDField(source="paid_entry_id", allow_null=True)

    class Meta:
        model = WelfareClaim
        fields = [
            "id",
            "member",
            "claim_type",
            "amount",
            "description",
            "status",
            "submitted_by",
            "decided_by",
            "decided_at",
            "decision_note",
            "paid_by",
            "paid_at",
            "payout_method",
            "destination",
            "entry_id",
            "failure_reason",
            "created_at",
            *SIGNED_FIELDS,
        ]
        read_only_fields = fields

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_description(self, claim: WelfareClaim) -> str | None:
        viewer = self.context.get("viewer")
        if viewer is None or (viewer.role not in OFFICE_ROLES and viewer.pk != claim.membership_id):
            return None
        return claim.description


class WelfareClaimSubmitInputSerializer(InputSerializer):
    member_id = ChamaMemberField(
        source="membership",
        required=False,
        help_text="Officials claim for a member; a member omits it.",
    )
    claim_type = serializers.ChoiceField(choices=WelfareClaimType.choices)
    amount = MoneyField(
        required=False,
        help_text="Required unless the constitution fixes the claim type's amount, which an "
        "omitted amount takes (another amount: 400 welfare_amount_fixed).",
    )
    description = serializers.CharField(max_length=DESCRIPTION_MAX, allow_blank=True, default="")


class WelfareClaimApproveInputSerializer(InputSerializer):
    note = serializers.CharField(max_length=NOTE_MAX, allow_blank=True, default="")


class WelfareClaimRejectInputSerializer(InputSerializer):
    note = serializers.CharField(max_length=NOTE_MAX, help_text="Why the claim is rejected.")


class WelfareClaimPayInputSerializer(InputSerializer):
    method = serializers.ChoiceField(
        choices=PayoutMethod.choices,
        help_text="cash or bank: paid at once; mpesa (B2C): in flight until M-Pesa confirms.",
    )
    destination = serializers.CharField(
        max_length=DESTINATION_MAX,
        allow_blank=True,
        default="",
        help_text="Where the money goes; defaults to the member's payout phone.",
    )
