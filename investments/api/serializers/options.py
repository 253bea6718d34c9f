"""Investment options as the API reads them."""

from typing import Any

from django.utils import timezone
from rest_framework import serializers

from core.money import MoneyField
from investments.choices import OptionKind
from investments.models import InvestmentOption, OptionRate


def rate_field(**kwargs: Any) -> serializers.DecimalField:
    """An annual rate as a fraction with six places ("0.157500" is 15.75% a year)."""
    return serializers.DecimalField(max_digits=7, decimal_places=6, **kwargs)


class OptionRateOutputSerializer(serializers.ModelSerializer):
    annual_rate = rate_field(read_only=True)

    class Meta:
        model = OptionRate
        fields = ["effective_from", "annual_rate"]
        read_only_fields = fields


class InvestmentOptionOutputSerializer(serializers.ModelSerializer):
    """An option with the rate in force today and its rate history, newest first."""

    kind = serializers.ChoiceField(choices=OptionKind.choices)
    kind_label = serializers.CharField(source="get_kind_display")
    minimum = MoneyField(read_only=True)
    increment = MoneyField(read_only=True)
    term_days = serializers.IntegerField(allow_null=True, help_text="None for a fund.")
    current_rate = serializers.SerializerMethodField()
    rates = OptionRateOutputSerializer(many=True, help_text="Newest first.")

    class Meta:
        model = InvestmentOption
        fields = [
            "id",
            "kind",
            "kind_label",
            "name",
            "provider",
            "term_days",
            "minimum",
            "increment",
            "receiving_paybill",
            "receiving_account",
            "current_rate",
            "rates",
        ]
        read_only_fields = fields

    def get_current_rate(self, option: InvestmentOption) -> str | None:
        """The annual rate in force today (the newest effective on or before it)."""
        today = timezone.localdate()
        for rate in option.rates.all():  # prefetched, newest first
            if rate.effective_from <= today:
                return f"{rate.annual_rate:.6f}"
        return None
