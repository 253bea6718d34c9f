from datetime import date

from rest_framework import serializers

from core.api.serializers import InputSerializer
from finance.choices import CycleStatus, PayoutKind, PayoutMethod, PayoutStatus, RoundStatus
from finance.dates import cycle_start_check
from finance.models import Cycle, Payout, Round
from groups.api.approvals import SIGNED_FIELDS, SignedOutputSerializer
from groups.choices import ApprovalKind


class RecipientOutputSerializer(serializers.Serializer):
    member_id = serializers.UUIDField(source="pk")
    full_name = serializers.CharField(source="user.full_name")
    member_code = serializers.CharField()
    receive_phone = serializers.CharField()


class RoundOutputSerializer(serializers.ModelSerializer):
    recipient = RecipientOutputSerializer()
    status = serializers.ChoiceField(choices=RoundStatus.choices)

    class Meta:
        model = Round
        fields = ["id", "number", "meeting_date", "status", "recipient"]
        read_only_fields = fields


class CycleOutputSerializer(serializers.ModelSerializer):
    rounds = RoundOutputSerializer(many=True)
    status = serializers.ChoiceField(choices=CycleStatus.choices)

    class Meta:
        model = Cycle
        fields = ["id", "number", "start_date", "frequency", "status", "rounds", "created_at"]
        read_only_fields = fields


class CycleCreateInputSerializer(InputSerializer):
    start_date = serializers.DateField(help_text="The first meeting: round 1's date.")

    def validate_start_date(self, start_date: date) -> date:
        cycle_start_check(chama=self.context["view"].chama, start_date=start_date)
        return start_date


class DuePartsOwedOutputSerializer(serializers.Serializer):
    rotation = serializers.DecimalField(
        max_digits=14, decimal_places=2, help_text="Still owed to this round's pot."
    )
    savings = serializers.DecimalField(
        max_digits=14, decimal_places=2, help_text="Still owed to the member's own savings."
    )
    welfare = serializers.DecimalField(
        max_digits=14, decimal_places=2, help_text="Still owed to the welfare fund."
    )
    total = serializers.DecimalField(
        max_digits=14, decimal_places=2, help_text="The whole due still owed: the three parts."
    )


class DefaulterOutputSerializer(serializers.Serializer):
    member_id = serializers.UUIDField()
    full_name = serializers.CharField()
    owes = DuePartsOwedOutputSerializer(help_text="What the member still owes of this round's due.")


class PayingAccountOutputSerializer(serializers.Serializer):
    method = serializers.ChoiceField(choices=PayoutMethod.choices)
    code = serializers.CharField()
    name = serializers.CharField()
    holds = serializers.DecimalField(max_digits=14, decimal_places=2)


class RoundSummaryOutputSerializer(serializers.Serializer):
    id = serializers.UUIDField(source="round.pk")
    cycle_number = serializers.IntegerField(source="round.cycle.number")
    number = serializers.IntegerField(source="round.number")
    meeting_date = serializers.DateField(source="round.meeting_date")
    status = serializers.ChoiceField(source="round.status", choices=RoundStatus.choices)
    recipient = RecipientOutputSerializer(source="round.recipient")
    expected_pot = serializers.DecimalField(
        max_digits=14, decimal_places=2, help_text="The rotation parts of the round's dues."
    )
    collected = serializers.DecimalField(
        max_digits=14, decimal_places=2, help_text="What the dues have paid into the pot."
    )
    pot_remaining = serializers.DecimalField(
        max_digits=14,
        decimal_places=2,
        help_text="Rotation money still owed to the pot: expected_pot - collected.",
    )
    pot_balance = serializers.DecimalField(
        max_digits=14, decimal_places=2, help_text="What the pot holds now (its 2200 account)."
    )
    paid_out = serializers.DecimalField(
        max_digits=14,
        decimal_places=2,
        help_text="What completed payouts (the pot payout and its top-ups) took from the pot.",
    )
    is_disbursable = serializers.BooleanField()
    defaulters = DefaulterOutputSerializer(many=True)
    paying_accounts = PayingAccountOutputSerializer(
        many=True, help_text="What each payout method would pay from, and what it holds now."
    )
    suggested_method = serializers.ChoiceField(
        choices=PayoutMethod.choices,
        allow_null=True,
        help_text="The first of mpesa, bank, cash whose account holds the pot's balance (null "
        "when none does: move money there first with a transfer).",
    )


class PayoutRequestInputSerializer(InputSerializer):
    method = serializers.ChoiceField(
        choices=PayoutMethod.choices,
        help_text="Which account pays: cash the cash box (1030), bank the bank (1020), mpesa "
        "the paybill (1010) by B2C; the round summary suggests one that holds the pot.",
    )
    override_reason = serializers.CharField(
        max_length=255,
        required=False,
        allow_blank=True,
        help_text="The chair's reason to pay out before every due is settled.",
    )
    kind = serializers.ChoiceField(
        choices=PayoutKind.choices,
        required=False,
        help_text="primary: the round's pot payout; top_up: money that reached the pot after "
        "it was paid out. Omitted: top_up once the round is paid, else primary.",
    )


class PayoutDecisionInputSerializer(InputSerializer):
    reason = serializers.CharField(max_length=255, allow_blank=True, default="")


class PayoutOutputSerializer(SignedOutputSerializer, serializers.ModelSerializer):
    approval_kind = ApprovalKind.PAYOUT
    pending_status = PayoutStatus.REQUESTED

    round_id = serializers.UUIDField()
    recipient = RecipientOutputSerializer()
    status = serializers.ChoiceField(choices=PayoutStatus.choices)
    method = serializers.ChoiceField(choices=PayoutMethod.choices)
    kind = serializers.ChoiceField(choices=PayoutKind.choices)
    amount = serializers.DecimalField(
        max_digits=14,
        decimal_places=2,
        help_text="While requested, what the pot held when asked; once approved, what left: "
        "the pot's whole balance at approval.",
    )
    requested_by = serializers.CharField(
        source="requested_by.full_name",
        allow_null=True,
        default=None,
        help_text="Null for a top-up proposed for money no one recorded (an M-Pesa payment).",
    )
    decided_by = serializers.CharField(source="decided_by.full_name", allow_null=True, default=None)

    class Meta:
        model = Payout
        fields = [
            "id",
            "round_id",
            "recipient",
            "kind",
            "automatic",
            "amount",
            "method",
            "destination",
            "status",
            "override_reason",
            "requested_by",
            "decided_by",
            "decided_at",
            "rejection_reason",
            "external_receipt",
            "failure_reason",
            "created_at",
            *SIGNED_FIELDS,
        ]
        read_only_fields = fields
