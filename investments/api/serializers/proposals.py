"""Idle cash and investment proposals as the API reads and writes them."""

from rest_framework import serializers

from core.api.serializers import InputSerializer
from core.money import MoneyField
from finance.choices import WelfareForecastSource
from investments.choices import PlacementMethod
from investments.models import PAYING_ACCOUNT_CODES, InvestmentProposal, ProposalStatus
from investments.services.proposals import REASON_MAX


class ProposalMemberOutputSerializer(serializers.Serializer):
    member_id = serializers.UUIDField(source="pk")
    full_name = serializers.CharField(source="user.full_name")
    member_code = serializers.CharField()


class ProposalOptionOutputSerializer(serializers.Serializer):
    id = serializers.UUIDField()
    kind = serializers.CharField()
    name = serializers.CharField()
    provider = serializers.CharField()
    term_days = serializers.IntegerField(allow_null=True)


class ProposalOutputSerializer(serializers.ModelSerializer):
    """A proposal with its projection (Hazina's figures on the day it was proposed)."""

    option = ProposalOptionOutputSerializer()
    amount = MoneyField(read_only=True, help_text="A T-bill's face value; else the principal.")
    cost = MoneyField(read_only=True, help_text="What leaves the chama's cash when executed.")
    annual_rate = serializers.DecimalField(max_digits=7, decimal_places=6, read_only=True)
    projected_gross = MoneyField(read_only=True, allow_zero=True)
    projected_tax = MoneyField(read_only=True, allow_zero=True)
    projected_net = MoneyField(read_only=True, allow_zero=True)
    reserve_kept = MoneyField(read_only=True, allow_zero=True)
    idle_at_proposal = MoneyField(read_only=True, allow_zero=True)
    status = serializers.ChoiceField(choices=ProposalStatus.choices)
    created_by = ProposalMemberOutputSerializer(
        allow_null=True, help_text="None: the weekly idle-cash scan proposed it."
    )
    approved_by = ProposalMemberOutputSerializer(allow_null=True)
    executed_by = ProposalMemberOutputSerializer(allow_null=True)
    vote_id = serializers.UUIDField(
        allow_null=True, help_text="The members' vote, when the constitution says they decide."
    )
    holding_id = serializers.UUIDField(allow_null=True, help_text="The holding it became.")

    class Meta:
        model = InvestmentProposal
        fields = [
            "id",
            "option",
            "amount",
            "cost",
            "annual_rate",
            "term_days",
            "projected_gross",
            "projected_tax",
            "projected_net",
            "reserve_kept",
            "idle_at_proposal",
            "status",
            "created_by",
            "created_at",
            "approved_by",
            "vote_id",
            "decided_at",
            "rejection_reason",
            "executed_by",
            "holding_id",
        ]
        read_only_fields = fields


class ProposalCreateInputSerializer(InputSerializer):
    option_id = serializers.UUIDField(help_text="An active investment option.")
    amount = MoneyField(help_text="A T-bill's face value; any other option's principal.")


class ProposalRejectInputSerializer(InputSerializer):
    reason = serializers.CharField(max_length=REASON_MAX, help_text="Why it is turned down.")


class ProposalExecuteInputSerializer(InputSerializer):
    paying_account = serializers.ChoiceField(
        choices=PAYING_ACCOUNT_CODES,
        source="paying_account_code",
        help_text="1010 paybill, 1020 bank or 1030 cash.",
    )
    method = serializers.ChoiceField(choices=PlacementMethod.choices)
    broker_reference = serializers.CharField(max_length=64, allow_blank=True, default="")
    confirmed_price = MoneyField(required=False, help_text="The broker's or CBK's price.")
    confirmed_tax = MoneyField(
        required=False, allow_zero=True, help_text="The tax they withheld up front (T-bills)."
    )


class IdleCashEarningOutputSerializer(serializers.Serializer):
    """What the idle cash could earn in the best eligible option (not a proposal)."""

    option = ProposalOptionOutputSerializer()
    amount = MoneyField(read_only=True)
    cost = MoneyField(read_only=True)
    annual_rate = serializers.DecimalField(max_digits=7, decimal_places=6, read_only=True)
    term_days = serializers.IntegerField()
    projected_gross = MoneyField(source="gross", read_only=True, allow_zero=True)
    projected_tax = MoneyField(source="tax", read_only=True, allow_zero=True)
    projected_net = MoneyField(source="net", read_only=True, allow_zero=True)


class IdleCashKeptOutputSerializer(serializers.Serializer):
    pots = MoneyField(allow_zero=True, help_text="The next two unpaid rounds' pots.")
    approved_loans = MoneyField(allow_zero=True, help_text="Approved, not yet disbursed.")
    approved_expenses = MoneyField(allow_zero=True, help_text="Approved, not yet paid (2400).")
    welfare_buffer = MoneyField(
        allow_zero=True,
        help_text="The welfare forecast's 90-day buffer, else the constitution's welfare.buffer "
        "(see welfare_source).",
    )
    reserve = MoneyField(allow_zero=True, help_text="The constitution's investments.reserve.")


class IdleCashOutputSerializer(serializers.Serializer):
    on = serializers.DateField()
    cash_like = MoneyField(allow_zero=True, help_text="1010 + 1020 + 1030 at the day's close.")
    floor_30d = MoneyField(
        allow_zero=True, help_text="The lowest daily closing balance of the last 30 days."
    )
    kept = IdleCashKeptOutputSerializer()
    kept_total = MoneyField(allow_zero=True)
    welfare_source = serializers.ChoiceField(
        choices=WelfareForecastSource.choices,
        help_text="Where kept.welfare_buffer came from: the claim history (the welfare "
        "forecast), the constitution, or none.",
    )
    idle = MoneyField(allow_zero=True, help_text="floor_30d - kept_total, never below zero.")
    proposal_minimum = MoneyField(help_text="The constitution's investments.proposal_minimum.")
    could_earn = IdleCashEarningOutputSerializer(
        allow_null=True, help_text="The best eligible option on the idle cash; null if none fits."
    )
