"""chamas/{chama_id}/members/{member_id}/position/: where a member stands."""

from typing import Any

from rest_framework import serializers

from finance.choices import DueStatus, FineKind, LoanStatus, WelfareClaimStatus, WelfareClaimType


def money_field(help_text: str = "", **kwargs: Any) -> serializers.DecimalField:
    """A two-place amount, as every amount of the API is."""
    return serializers.DecimalField(max_digits=16, decimal_places=2, help_text=help_text, **kwargs)


class PositionMemberOutputSerializer(serializers.Serializer):
    id = serializers.UUIDField(source="pk")
    member_code = serializers.CharField()
    full_name = serializers.CharField(source="user.full_name")
    account_number = serializers.CharField(
        help_text="What the member types at the paybill: chama code + member code."
    )


class DueOwedOutputSerializer(serializers.Serializer):
    cycle = serializers.IntegerField()
    round = serializers.IntegerField()
    due_date = serializers.DateField()
    expected = money_field()
    paid = money_field()
    owed = money_field()
    status = serializers.ChoiceField(choices=DueStatus.choices)


class DuesGroupOutputSerializer(serializers.Serializer):
    count = serializers.IntegerField()
    amount = money_field("Σ owed of these dues.")
    dues = DueOwedOutputSerializer(many=True)


class PositionDuesOutputSerializer(serializers.Serializer):
    this_round = DuesGroupOutputSerializer(
        help_text="The member's unsettled due of the round being collected for (the active "
        "cycle's next meeting on or after today, or its last once all have passed)."
    )
    arrears = DuesGroupOutputSerializer(help_text="Unsettled dues of earlier rounds.")


class PotReceivedOutputSerializer(serializers.Serializer):
    cycle = serializers.IntegerField()
    round = serializers.IntegerField()
    date = serializers.DateField()
    amount = money_field()


class PotExpectedOutputSerializer(serializers.Serializer):
    cycle = serializers.IntegerField()
    round = serializers.IntegerField()
    meeting_date = serializers.DateField()
    expected_pot = money_field("Σ the rotation parts of the round's dues.")


class PositionPotsOutputSerializer(serializers.Serializer):
    received = PotReceivedOutputSerializer(many=True, source="pots_received")
    total_received = money_field(source="pots_total")
    next_expected = PotExpectedOutputSerializer(
        allow_null=True,
        source="next_pot",
        help_text="The member's round in the active cycle, until its pot is paid.",
    )


class NextInstallmentOutputSerializer(serializers.Serializer):
    number = serializers.IntegerField()
    due_date = serializers.DateField()
    amount = money_field("Still owed on this installment, penalties included.")
    days_overdue = serializers.IntegerField()


class LoanStandingOutputSerializer(serializers.Serializer):
    id = serializers.UUIDField()
    status = serializers.ChoiceField(choices=LoanStatus.choices)
    principal = money_field()
    outstanding = money_field(
        "Σ still owed on the installments (with penalties) once the member has the money."
    )
    next_installment = NextInstallmentOutputSerializer(allow_null=True)


class ClaimStandingOutputSerializer(serializers.Serializer):
    id = serializers.UUIDField()
    claim_type = serializers.ChoiceField(choices=WelfareClaimType.choices)
    status = serializers.ChoiceField(choices=WelfareClaimStatus.choices)
    amount = money_field()
    submitted_at = serializers.DateField()


class FineOwedOutputSerializer(serializers.Serializer):
    id = serializers.UUIDField()
    kind = serializers.ChoiceField(choices=FineKind.choices)
    reason = serializers.CharField()
    issued_at = serializers.DateField()
    amount = money_field()
    paid = money_field()
    owed = money_field()


def points_field(help_text: str) -> serializers.DecimalField:
    return serializers.DecimalField(max_digits=5, decimal_places=2, help_text=help_text)


class ScoreRatioOutputSerializer(serializers.Serializer):
    points = points_field("Points earned, two places.")
    max = serializers.IntegerField(help_text="The most this component gives.")
    done = serializers.IntegerField(help_text="Paid on time, or meetings attended.")
    expected = serializers.IntegerField(
        help_text="Fallen due (past the grace days), or meetings held while a member; when 0 "
        "the component is earned in full."
    )
    reason = serializers.CharField()


class ScoreTenureOutputSerializer(serializers.Serializer):
    points = points_field("10 x days / 365, at most 10.")
    max = serializers.IntegerField()
    days = serializers.IntegerField(source="done", help_text="Days since the member joined.")
    reason = serializers.CharField()


class CreditScoreOutputSerializer(serializers.Serializer):
    score = serializers.IntegerField(
        help_text="0-100: the components' sum rounded half up; what a loan's rate reads."
    )
    as_of = serializers.DateField(help_text="The day the monthly scoring computed it as of.")
    regularity = ScoreRatioOutputSerializer(help_text="40 x dues paid on time / fallen due.")
    repayment = ScoreRatioOutputSerializer(
        help_text="30 x installments paid on time / due; 30 when never borrowed."
    )
    attendance = ScoreRatioOutputSerializer(
        help_text="20 x meetings attended (present or late) / held since joining."
    )
    tenure = ScoreTenureOutputSerializer(help_text="Linear, full at one year.")


class MemberPositionOutputSerializer(serializers.Serializer):
    member = PositionMemberOutputSerializer()
    currency = serializers.CharField(source="member.chama.currency")
    as_of = serializers.DateField()
    savings = money_field("Member savings (2100-M).")
    credit = money_field("Member credit (2500-M): paid ahead, applied to the next dues.")
    total_funds = money_field("Savings and credit: what loans and shares are measured on.")
    profit = money_field("Profit declared and not yet paid (2300-M).")
    dues = PositionDuesOutputSerializer(source="*")
    pots = PositionPotsOutputSerializer(source="*")
    loans = LoanStandingOutputSerializer(many=True)
    fines_owed = money_field("Σ owed of the unpaid fines (part of 1120-M).")
    fines = FineOwedOutputSerializer(many=True, help_text="Unpaid fines, oldest first.")
    penalties_owed = money_field(
        "Late loan penalties receivable: the rest of 1120-M (also in the loans' outstanding)."
    )
    welfare_claims = ClaimStandingOutputSerializer(many=True)
    credit_score = CreditScoreOutputSerializer(
        allow_null=True, help_text="The monthly credit score and why; null before the first."
    )
