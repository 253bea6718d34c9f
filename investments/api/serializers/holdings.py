"""Holdings and the portfolio as the API reads and writes them."""

from datetime import timedelta
from decimal import Decimal
from typing import Any

from django.utils import timezone
from drf_spectacular.utils import extend_schema_serializer
from rest_framework import serializers

from core.api.serializers import InputSerializer
from core.exceptions import ValidationFailed
from core.money import MoneyField
from finance.selectors import normal_balance
from investments import math
from investments.api.serializers.options import rate_field
from investments.choices import ACCRUING_KINDS, HoldingStatus, OptionKind, PlacementMethod
from investments.exceptions import InvestmentError
from investments.models import PAYING_ACCOUNT_CODES, Holding, InvestmentOption
from investments.selectors import expected_proceeds, option_get


class OptionRefOutputSerializer(serializers.Serializer):
    id = serializers.UUIDField()
    name = serializers.CharField()
    provider = serializers.CharField()


def _difference(confirmed: Decimal | None, computed: Decimal | None) -> Decimal | None:
    if confirmed is None or computed is None:
        return None
    return confirmed - computed


class HoldingOutputSerializer(serializers.ModelSerializer):
    """A holding: its terms, what the ledger booked, our computation beside the broker's or
    CBK's confirmed figures (``*_difference`` = confirmed - computed), and its maturity."""

    option = OptionRefOutputSerializer()
    kind = serializers.ChoiceField(choices=OptionKind.choices)
    status = serializers.ChoiceField(choices=HoldingStatus.choices)
    method = serializers.ChoiceField(choices=PlacementMethod.choices)
    annual_rate = rate_field(read_only=True)
    withholding_rate = serializers.DecimalField(max_digits=5, decimal_places=4, read_only=True)
    face = MoneyField(read_only=True, allow_null=True)
    computed_price = MoneyField(read_only=True)
    computed_tax = MoneyField(read_only=True, allow_zero=True)
    confirmed_price = MoneyField(read_only=True, allow_null=True)
    confirmed_tax = MoneyField(read_only=True, allow_null=True, allow_zero=True)
    price_difference = serializers.SerializerMethodField()
    tax_difference = serializers.SerializerMethodField()
    cost = MoneyField(read_only=True, help_text="The price booked to the holding's 1200.")
    tax_withheld_up_front = MoneyField(read_only=True, allow_zero=True)
    carrying_value = serializers.SerializerMethodField()
    expected_proceeds = serializers.SerializerMethodField()
    accrued_interest = serializers.SerializerMethodField()
    computed_proceeds = MoneyField(read_only=True, allow_null=True)
    confirmed_proceeds = MoneyField(read_only=True, allow_null=True)
    proceeds_difference = serializers.SerializerMethodField()
    maturity_tax = MoneyField(read_only=True, allow_null=True, allow_zero=True)
    income = MoneyField(read_only=True, allow_null=True, allow_zero=True)
    placement_entry_id = serializers.UUIDField(allow_null=True)
    maturity_entry_id = serializers.UUIDField(allow_null=True)
    reinvested_from_id = serializers.UUIDField(allow_null=True)

    class Meta:
        model = Holding
        fields = [
            "id",
            "option",
            "kind",
            "status",
            "method",
            "paying_account",
            "placed_on",
            "matures_on",
            "annual_rate",
            "day_basis",
            "withholding_rate",
            "face",
            "computed_price",
            "computed_tax",
            "confirmed_price",
            "confirmed_tax",
            "price_difference",
            "tax_difference",
            "cost",
            "tax_withheld_up_front",
            "carrying_value",
            "expected_proceeds",
            "broker_reference",
            "proposal_id",
            "reinvested_from_id",
            "placement_entry_id",
            "last_credited_on",
            "accrued_interest",
            "matured_on",
            "computed_proceeds",
            "confirmed_proceeds",
            "proceeds_difference",
            "maturity_tax",
            "income",
            "maturity_entry_id",
            "failure_reason",
        ]
        read_only_fields = fields

    def get_price_difference(self, holding: Holding) -> str | None:
        diff = _difference(holding.confirmed_price, holding.computed_price)
        return None if diff is None else f"{diff:.2f}"

    def get_tax_difference(self, holding: Holding) -> str | None:
        diff = _difference(holding.confirmed_tax, holding.computed_tax)
        return None if diff is None else f"{diff:.2f}"

    def get_proceeds_difference(self, holding: Holding) -> str | None:
        diff = _difference(holding.confirmed_proceeds, holding.computed_proceeds)
        return None if diff is None else f"{diff:.2f}"

    def get_carrying_value(self, holding: Holding) -> str:
        """What the holding's 1200 account holds now (its cost, with a fund's credits)."""
        account = holding.ledger_account
        return f"{normal_balance(account, account.cached_balance):.2f}"

    def get_expected_proceeds(self, holding: Holding) -> str | None:
        """What an active term holding should pay at maturity by our formula."""
        if holding.status != HoldingStatus.ACTIVE:
            return None
        expected = expected_proceeds(holding)
        return None if expected is None else f"{expected:.2f}"

    def get_accrued_interest(self, holding: Holding) -> str | None:
        """A fund's interest accrued, gross, since its last credit through yesterday, at the
        rate it was placed at: an estimate until the month is credited."""
        if holding.status != HoldingStatus.ACTIVE or holding.kind not in ACCRUING_KINDS:
            return None
        since = holding.last_credited_on + timedelta(days=1) if holding.last_credited_on else None
        days = max((timezone.localdate() - (since or holding.placed_on)).days, 0)
        balance = holding.ledger_account.cached_balance
        accrued = math.mmf_accrual(balance, holding.annual_rate, days, holding.day_basis)
        return f"{accrued:.2f}"


class InvestmentOptionField(serializers.UUIDField):
    """An investment option named by id, read as the option (400 unknown_option)."""

    def to_internal_value(self, data: Any) -> InvestmentOption:  # type: ignore[override]
        option = option_get(option_id=super().to_internal_value(data))
        if option is None:
            raise ValidationFailed(InvestmentError.UNKNOWN_OPTION, field=self.field_name)
        return option


class HoldingPlaceInputSerializer(InputSerializer):
    option_id = InvestmentOptionField(source="option", help_text="investment-options/{id}")
    amount = MoneyField(
        source="amount_or_face",
        help_text="A T-bill's face value (100,000, then multiples of 50,000); any other "
        "option's sum placed.",
    )
    paying_account = serializers.ChoiceField(
        choices=PAYING_ACCOUNT_CODES,
        source="paying_account_code",
        help_text="1010 paybill, 1020 bank or 1030 cash.",
    )
    method = serializers.ChoiceField(
        choices=PlacementMethod.choices, default=PlacementMethod.MANUAL
    )
    broker_reference = serializers.CharField(max_length=64, allow_blank=True, default="")
    confirmed_price = MoneyField(
        required=False, help_text="The price the broker or CBK confirmed: what is booked."
    )
    confirmed_tax = MoneyField(
        required=False, allow_zero=True, help_text="A T-bill's tax as confirmed."
    )
    proposal_id = serializers.UUIDField(required=False, help_text="The proposal executed.")
    placed_on = serializers.DateField(required=False, help_text="Today when left out.")


class HoldingMatureInputSerializer(InputSerializer):
    confirmed_proceeds = MoneyField(
        required=False, help_text="What reached the bank, as confirmed; ours when left out."
    )
    confirmed_tax = MoneyField(
        required=False, allow_zero=True, help_text="Tax withheld at maturity, as confirmed."
    )
    matured_on = serializers.DateField(required=False, help_text="Today when left out.")


class AllocationOutputSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=OptionKind.choices)
    label = serializers.CharField()  # type: ignore[assignment]
    value = MoneyField(read_only=True)
    share = serializers.DecimalField(max_digits=5, decimal_places=4)


@extend_schema_serializer(many=False)  # the list route answers one portfolio, not an array
class PortfolioOutputSerializer(serializers.Serializer):
    """The chama's portfolio at book value (see docs/features/investments.md)."""

    currency = serializers.CharField()
    as_of = serializers.DateField()
    total_value = MoneyField(read_only=True, allow_zero=True)
    allocation = AllocationOutputSerializer(many=True)
    diversified = serializers.BooleanField(help_text="No kind holds more than 60%.")
    invested = MoneyField(read_only=True, allow_zero=True, help_text="Every price ever paid.")
    income = MoneyField(read_only=True, allow_zero=True, help_text="Booked to 4300, gross.")
    tax = MoneyField(read_only=True, allow_zero=True, help_text="Withholding tax, 5400.")
    roi = serializers.DecimalField(max_digits=9, decimal_places=4, help_text="income / invested")
    roi_net = serializers.DecimalField(max_digits=9, decimal_places=4)
    ytd_return = serializers.DecimalField(
        max_digits=9, decimal_places=4, help_text="Time-weighted, since 1 January."
    )
    holdings = HoldingOutputSerializer(many=True, help_text="The active holdings.")
    upcoming_maturities = HoldingOutputSerializer(many=True, help_text="In the next 90 days.")
