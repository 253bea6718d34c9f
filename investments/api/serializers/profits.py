"""Profit declarations and wealth reports as the API reads and writes them."""

from decimal import Decimal

from rest_framework import serializers

from core.api.serializers import InputSerializer
from core.money import MoneyField
from finance.choices import TransferAccount
from governance.api.serializers.meetings import MemberRefOutputSerializer
from governance.choices import ProfitBasis, ProfitPayout
from investments.models import ProfitDeclaration, ProfitShare, ShareChoice, ShareStatus
from investments.models.profits import WEIGHT_MAX_DIGITS, WEIGHT_PLACES
from investments.services.profits.declarations import SOURCE_MAX
from investments.services.profits.settlements import CHOICES


class ProfitDeclarationOutputSerializer(serializers.ModelSerializer):
    """A declaration, its two journal entries and how many of its shares are still open."""

    gross = MoneyField(read_only=True)
    tax = MoneyField(read_only=True)
    net = MoneyField(read_only=True)
    basis = serializers.ChoiceField(choices=ProfitBasis.choices)
    payout = serializers.ChoiceField(choices=ProfitPayout.choices)
    total_weight = serializers.DecimalField(
        max_digits=WEIGHT_MAX_DIGITS, decimal_places=WEIGHT_PLACES, read_only=True
    )
    holding_id = serializers.UUIDField(allow_null=True)
    closing_entry_id = serializers.UUIDField(
        help_text="Dr 4300 gross · Cr 5400 tax, 3300 net: the income closed to surplus."
    )
    entry_id = serializers.UUIDField(help_text="Dr 3300 · Cr 2300-M, one leg per member's part.")
    declared_by = MemberRefOutputSerializer(
        allow_null=True, help_text="Empty when the maturity job declared it."
    )
    shares_count = serializers.IntegerField()
    shares_open = serializers.IntegerField(help_text="Shares not yet paid out or saved.")

    class Meta:
        model = ProfitDeclaration
        fields = [
            "id",
            "declared_on",
            "period_start",
            "period_end",
            "source_label",
            "gross",
            "tax",
            "net",
            "basis",
            "payout",
            "total_weight",
            "holding_id",
            "closing_entry_id",
            "entry_id",
            "declared_by",
            "shares_count",
            "shares_open",
            "created_at",
        ]
        read_only_fields = fields


class ProfitDeclareInputSerializer(InputSerializer):
    net = MoneyField(help_text="What the members share: the income less its withholding tax.")
    tax = MoneyField(
        allow_zero=True, default=Decimal("0.00"), help_text="The withholding tax on it."
    )
    source_label = serializers.CharField(
        max_length=SOURCE_MAX, help_text='Where it came from, e.g. "91-day T-bill".'
    )
    period_start = serializers.DateField()
    period_end = serializers.DateField(help_text="Weights are read as the books stood that day.")


class ProfitSettleInputSerializer(InputSerializer):
    account = serializers.ChoiceField(
        choices=TransferAccount.choices,
        required=False,
        default="",
        help_text="Where shares paid out leave from: paybill (1010), bank (1020) or cash (1030). "
        "Needed when any share is to be paid out.",
    )


class WealthReportOutputSerializer(serializers.ModelSerializer):
    """A member's part of a declaration, in words and in figures."""

    declaration_id = serializers.UUIDField()
    member = MemberRefOutputSerializer(source="membership")
    sentence = serializers.CharField(
        help_text='"You earned KES 1,234.56 from the 91-day T-bill, net of KES 217.86 tax."'
    )
    source_label = serializers.CharField(source="declaration.source_label")
    period_start = serializers.DateField(source="declaration.period_start")
    period_end = serializers.DateField(source="declaration.period_end")
    basis = serializers.ChoiceField(source="declaration.basis", choices=ProfitBasis.choices)
    weight = serializers.DecimalField(
        max_digits=WEIGHT_MAX_DIGITS, decimal_places=WEIGHT_PLACES, read_only=True
    )
    share_of_total = serializers.DecimalField(
        max_digits=7,
        decimal_places=6,
        read_only=True,
        help_text="The member's weight over everyone's (0 to 1).",
    )
    amount = MoneyField(read_only=True, allow_zero=True)
    tax = MoneyField(read_only=True, allow_zero=True)
    choice = serializers.ChoiceField(choices=ShareChoice.choices)
    status = serializers.ChoiceField(choices=ShareStatus.choices)
    paid_from = serializers.ChoiceField(choices=TransferAccount.choices, allow_blank=True)
    settled_entry_id = serializers.UUIDField(allow_null=True)

    class Meta:
        model = ProfitShare
        fields = [
            "id",
            "declaration_id",
            "member",
            "sentence",
            "source_label",
            "period_start",
            "period_end",
            "basis",
            "weight",
            "share_of_total",
            "amount",
            "tax",
            "choice",
            "status",
            "chosen_at",
            "paid_from",
            "settled_at",
            "settled_entry_id",
        ]
        read_only_fields = fields


class WealthReportChooseInputSerializer(InputSerializer):
    choice = serializers.ChoiceField(
        choices=[(c.value, c.label) for c in CHOICES],
        help_text="paid_out: the treasurer pays it; savings: added to your savings now.",
    )
