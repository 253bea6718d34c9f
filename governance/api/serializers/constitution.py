"""The constitution's request and response bodies: the rules tree, field by field."""

from decimal import Decimal
from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from core.api.serializers import InputSerializer, StrictInputMixin
from core.exceptions import CoreError, ValidationFailed
from core.money import ExactDecimalField, MoneyField
from finance.api.serializers.loans import RateField
from finance.choices import EarlyRepayment, InterestMethod, PenaltyType, RatePeriod
from governance.choices import (
    FineInterval,
    FineKind,
    InvestmentApproval,
    Language,
    Majority,
    MaturityAction,
    ProfitBasis,
    ProfitPayout,
)
from governance.constitution_rules import (
    DEFAULT_LATENESS_MINUTES,
    DEFAULT_PROPOSAL_MINIMUM,
    MAX_LATENESS_MINUTES,
    MAX_REMINDER_DAYS,
    rules_parse,
)
from governance.exceptions import ConstitutionError
from governance.models import ConstitutionAcceptance, ConstitutionProposal, ConstitutionVersion
from groups.api.serializers import MEETING_DAY_HELP
from groups.choices import CycleFrequency, MeetingRuleKind, Plan, Weekday
from groups.models import CREDIT_SCORE_MAX, Membership


class SectionSerializer(StrictInputMixin, serializers.Serializer):
    """A part of the rules: like a request body, it refuses fields it does not know."""

    def to_internal_value(self, data: Any) -> Any:
        if isinstance(data, dict) and (unknown := sorted(set(data) - set(self.fields))):
            raise serializers.ValidationError(
                {
                    name: serializers.ErrorDetail(
                        CoreError.UNKNOWN_FIELD.message, code=CoreError.UNKNOWN_FIELD
                    )
                    for name in unknown
                }
            )
        return super().to_internal_value(data)

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        return attrs  # the unknown fields were refused above: a section has no initial_data


def share_field(**kwargs: Any) -> ExactDecimalField:
    """A share of the members, a fraction: "0.70" is 70% (0 < q <= 1, checked with the rules)."""
    # Bounded loosely here so that 1.5 reaches the rules' own check (share_out_of_range).
    return ExactDecimalField(
        max_digits=7,
        decimal_places=4,
        min_value=Decimal("0"),
        max_value=Decimal("999.9999"),
        **kwargs,
    )


def percent_field(**kwargs: Any) -> ExactDecimalField:
    return ExactDecimalField(
        max_digits=5, decimal_places=2, min_value=Decimal("0"), max_value=Decimal("100"), **kwargs
    )


class ContributionRulesSerializer(SectionSerializer):
    amount = MoneyField(allow_zero=True)
    rotation_amount = MoneyField(allow_zero=True)
    savings_amount = MoneyField(allow_zero=True)
    welfare_amount = MoneyField(allow_zero=True)
    frequency = serializers.ChoiceField(choices=CycleFrequency.choices)
    grace_days = serializers.IntegerField(min_value=0, max_value=90, default=0)


class MeetingScheduleSerializer(SectionSerializer):
    """The rule as its parts, or ``text`` alone ("Last Saturday")."""

    kind = serializers.ChoiceField(choices=MeetingRuleKind.choices, required=False)
    # The rule as stored names all four parts, the ones its kind does not use as null.
    weekday = serializers.ChoiceField(choices=Weekday.choices, required=False, allow_null=True)
    ordinal = serializers.IntegerField(
        min_value=-1,
        max_value=4,
        required=False,
        allow_null=True,
        help_text="1 to 4, or -1 for the last.",
    )
    day_of_month = serializers.IntegerField(
        min_value=1, max_value=31, required=False, allow_null=True
    )
    text = serializers.CharField(max_length=40, required=False, help_text=MEETING_DAY_HELP)


class MeetingRulesSerializer(SectionSerializer):
    schedule = MeetingScheduleSerializer(allow_null=True, default=None)
    lateness_minutes = serializers.IntegerField(
        min_value=0,
        max_value=MAX_LATENESS_MINUTES,
        default=DEFAULT_LATENESS_MINUTES,
        help_text="Checking in more than this many minutes after the start is late.",
    )


class LateContributionFineSerializer(SectionSerializer):
    kind = serializers.ChoiceField(choices=FineKind.choices)
    amount = MoneyField(help_text="The amount, or the percent of the unpaid part (at most 100).")
    interval = serializers.ChoiceField(choices=FineInterval.choices, default=FineInterval.ONCE)
    cap = MoneyField(allow_null=True, default=None, help_text="The most one due is fined.")


class FineRulesSerializer(SectionSerializer):
    late_contribution = LateContributionFineSerializer(allow_null=True, default=None)
    missed_meeting = MoneyField(allow_zero=True, default=Decimal("0"))
    lateness = MoneyField(allow_zero=True, default=Decimal("0"))
    waiver_vote_threshold = MoneyField(
        allow_zero=True,
        allow_null=True,
        default=None,
        help_text=(
            "Waiving more than this (of a fine's unpaid part) takes a members' vote; "
            "null: officials waive any fine."
        ),
    )


class LoanRulesSerializer(SectionSerializer):
    """Finance's loan policy, field for field (DESIGN.md §3.4)."""

    interest_method = serializers.ChoiceField(choices=InterestMethod.choices)
    interest_rate = RateField()
    interest_rate_period = serializers.ChoiceField(choices=RatePeriod.choices)
    interest_rate_min = RateField(allow_null=True, default=None)
    interest_rate_max = RateField(allow_null=True, default=None)
    max_term_months = serializers.IntegerField(min_value=1, max_value=60)
    max_savings_multiple = ExactDecimalField(
        max_digits=5, decimal_places=2, min_value=Decimal("0"), max_value=Decimal("100")
    )
    guarantors_required = serializers.IntegerField(min_value=0, max_value=20)
    guarantee_cover = RateField(default=Decimal("0"))
    processing_fee_rate = RateField(default=Decimal("0"))
    penalty_type = serializers.ChoiceField(choices=PenaltyType.choices)
    penalty_amount = MoneyField(allow_zero=True, default=Decimal("0"))
    penalty_rate = RateField(default=Decimal("0"))
    penalty_period_days = serializers.IntegerField(min_value=1, max_value=365, default=30)
    grace_days = serializers.IntegerField(min_value=0, max_value=365, default=0)
    early_repayment = serializers.ChoiceField(choices=EarlyRepayment.choices)
    early_repayment_rebate_percent = percent_field(default=Decimal("0"))
    min_principal = MoneyField(default=Decimal("100.00"))
    credit_discount_min_score = serializers.IntegerField(
        min_value=0, max_value=CREDIT_SCORE_MAX, allow_null=True, default=None
    )
    credit_discount_percent = percent_field(default=Decimal("0"))
    default_after_days = serializers.IntegerField(min_value=1, max_value=3650, default=90)


class VotingRulesSerializer(SectionSerializer):
    quorum = share_field()
    majority = serializers.ChoiceField(choices=Majority.choices, default=Majority.SIMPLE)
    constitution_majority = serializers.ChoiceField(
        choices=Majority.choices, default=Majority.TWO_THIRDS
    )
    dispute_quorum = share_field(default=Decimal("0.70"))


class ApprovalRuleSerializer(SectionSerializer):
    signatures = serializers.IntegerField(min_value=1, max_value=10, default=1)
    chair_threshold = MoneyField(allow_null=True, default=None)


def approval_field() -> ApprovalRuleSerializer:
    return ApprovalRuleSerializer(default={"signatures": 1, "chair_threshold": None})


class ApprovalRulesSerializer(SectionSerializer):
    expense = approval_field()
    payout = approval_field()
    loan = approval_field()
    welfare = approval_field()
    transfer = approval_field()


class WelfareAmountsSerializer(SectionSerializer):
    bereavement = MoneyField(allow_null=True, default=None)
    hospital = MoneyField(allow_null=True, default=None)
    emergency = MoneyField(allow_null=True, default=None)


class WelfareRulesSerializer(SectionSerializer):
    amounts = WelfareAmountsSerializer(default=dict)
    buffer = MoneyField(allow_zero=True, default=Decimal("0"))


class MembershipRulesSerializer(SectionSerializer):
    plan = serializers.ChoiceField(choices=Plan.choices)
    member_limit = serializers.IntegerField(min_value=1, max_value=10_000, allow_null=True)


class InvestmentRulesSerializer(SectionSerializer):
    proposal_minimum = MoneyField(default=DEFAULT_PROPOSAL_MINIMUM)
    reserve = MoneyField(allow_zero=True, default=Decimal("0"))
    approval = serializers.ChoiceField(
        choices=InvestmentApproval.choices, default=InvestmentApproval.CHAIR
    )
    profit_basis = serializers.ChoiceField(choices=ProfitBasis.choices, default=ProfitBasis.SAVINGS)
    profit_payout = serializers.ChoiceField(
        choices=ProfitPayout.choices, default=ProfitPayout.MEMBER_CHOICE
    )
    on_maturity = serializers.ChoiceField(
        choices=MaturityAction.choices, default=MaturityAction.KEEP
    )


class ReminderRulesSerializer(SectionSerializer):
    contribution_days = serializers.IntegerField(
        min_value=0,
        max_value=MAX_REMINDER_DAYS,
        default=2,
        help_text="Days before a contribution falls due that members are reminded (0: none).",
    )
    installment_days = serializers.IntegerField(
        min_value=0,
        max_value=MAX_REMINDER_DAYS,
        default=3,
        help_text="Days before a loan installment falls due that the borrower is reminded.",
    )


class ConstitutionRulesSerializer(SectionSerializer):
    """The structured rules. Every section is required: a PUT states the whole constitution
    (GET it, change what changes, PUT it back)."""

    contribution = ContributionRulesSerializer()
    meetings = MeetingRulesSerializer()
    fines = FineRulesSerializer()
    loans = LoanRulesSerializer()
    voting = VotingRulesSerializer()
    approvals = ApprovalRulesSerializer()
    welfare = WelfareRulesSerializer()
    membership = MembershipRulesSerializer()
    # Added after the first constitutions: a body without it keeps the defaults.
    investments = InvestmentRulesSerializer(default=dict)
    reminders = ReminderRulesSerializer(default=dict)


class ConstitutionAdoptInputSerializer(InputSerializer):
    rules = ConstitutionRulesSerializer()
    text = serializers.CharField(
        max_length=50_000,
        required=False,
        allow_blank=True,
        help_text="The constitution's words; empty: the default template's, filled from the rules.",
    )
    language = serializers.ChoiceField(choices=Language.choices, default=Language.ENGLISH)
    by_vote = serializers.BooleanField(
        default=False,
        help_text=(
            "Put this version to the members' vote instead of adopting it (202 the proposal); "
            "the vote's passing adopts it."
        ),
    )
    closes_at = serializers.DateTimeField(
        required=False, help_text="With by_vote: when the vote closes (default: in 7 days)."
    )

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        attrs = super().validate(attrs)
        if "closes_at" in attrs and not attrs["by_vote"]:
            raise ValidationFailed(ConstitutionError.CLOSES_AT_WITHOUT_VOTE, field="closes_at")
        return {**attrs, "rules": rules_parse(attrs["rules"])}


@extend_schema_field(ConstitutionRulesSerializer)
class RulesField(serializers.JSONField):
    """The rules written by the rules' own serializer, so that every figure has one spelling
    (a stored "0.5" and the template's 0.50 both read "0.5000") and a GET can be PUT back."""

    def to_representation(self, value: Any) -> Any:
        return ConstitutionRulesSerializer(value).data


class MemberRefSerializer(serializers.ModelSerializer):
    member_id = serializers.UUIDField(source="pk")
    full_name = serializers.CharField(source="user.full_name")

    class Meta:
        model = Membership
        fields = ["member_id", "full_name", "member_code"]
        read_only_fields = fields


class ConstitutionVersionOutputSerializer(serializers.ModelSerializer):
    rules = RulesField()
    adopted_by = MemberRefSerializer(allow_null=True)
    vote_id = serializers.UUIDField(
        allow_null=True, read_only=True, help_text="The vote that adopted it; null: the chair did."
    )

    class Meta:
        model = ConstitutionVersion
        fields = ["number", "language", "rules", "text", "adopted_by", "vote_id", "adopted_at"]
        read_only_fields = fields


class ConstitutionOutputSerializer(ConstitutionVersionOutputSerializer):
    """The version in force, or the default template (number 0, ``is_template``) while none
    is adopted; whether the caller accepted it; for officials, who has not."""

    is_template = serializers.SerializerMethodField()
    adopted_at = serializers.DateTimeField(
        read_only=True, allow_null=True, help_text="Null for the template (version 0)."
    )
    accepted_at = serializers.SerializerMethodField()
    pending_acceptance = serializers.SerializerMethodField()

    class Meta(ConstitutionVersionOutputSerializer.Meta):
        fields = [
            *ConstitutionVersionOutputSerializer.Meta.fields,
            "is_template",
            "accepted_at",
            "pending_acceptance",
        ]
        read_only_fields = fields

    def _status(self) -> Any:
        return self.context["status"]

    def get_is_template(self, version: ConstitutionVersion) -> bool:
        return bool(self._status().is_template)

    @extend_schema_field(serializers.DateTimeField(allow_null=True))
    def get_accepted_at(self, version: ConstitutionVersion) -> str | None:
        accepted = self._status().accepted_at
        return None if accepted is None else serializers.DateTimeField().to_representation(accepted)

    @extend_schema_field(MemberRefSerializer(many=True, allow_null=True))
    def get_pending_acceptance(self, version: ConstitutionVersion) -> list[Any] | None:
        pending = self._status().pending
        return None if pending is None else list(MemberRefSerializer(pending, many=True).data)


class ConstitutionAcceptanceOutputSerializer(serializers.ModelSerializer):
    version = serializers.IntegerField(source="version.number")
    member_id = serializers.UUIDField(source="membership_id")

    class Meta:
        model = ConstitutionAcceptance
        fields = ["version", "member_id", "accepted_at"]
        read_only_fields = fields


class ConstitutionProposalOutputSerializer(serializers.ModelSerializer):
    """A version put to the members' vote, its vote, and what became of it."""

    proposal_id = serializers.UUIDField(source="pk", read_only=True)
    rules = RulesField()
    proposed_by = MemberRefSerializer()
    vote_id = serializers.UUIDField(read_only=True)
    closes_at = serializers.DateTimeField(source="vote.closes_at", read_only=True)
    version = serializers.IntegerField(
        source="version.number",
        allow_null=True,
        read_only=True,
        help_text="The version number it became once adopted; null until then (or rejected).",
    )
    proposed_at = serializers.DateTimeField(source="created_at", read_only=True)

    class Meta:
        model = ConstitutionProposal
        fields = [
            "proposal_id",
            "status",
            "language",
            "rules",
            "text",
            "proposed_by",
            "vote_id",
            "closes_at",
            "version",
            "proposed_at",
            "decided_at",
        ]
        read_only_fields = fields
