"""chamas/{chama_id}/statements/: its query parameters and the JSON statement."""

from typing import Any

from drf_spectacular.utils import extend_schema_serializer
from rest_framework import serializers

from finance.api.serializers.positions import MemberPositionOutputSerializer, money_field
from finance.choices import EntryType
from finance.exceptions import FinanceError

STATEMENT_FORMATS = ["json", "csv", "xlsx", "pdf"]


class StatementQueryInputSerializer(serializers.Serializer):
    """``from`` is a Python keyword, so it is added in ``get_fields``."""

    member = serializers.UUIDField(
        required=False,
        help_text="A membership id: that member's statement. Without it, the chama's.",
    )
    to = serializers.DateField(
        required=False, help_text="Last day of the period, included (default: today)."
    )
    format = serializers.ChoiceField(choices=STATEMENT_FORMATS, default="json")

    def get_fields(self) -> dict[str, serializers.Field]:
        fields = super().get_fields()
        fields["from"] = serializers.DateField(
            required=False,
            help_text="First day of the period, included (default: the start of the books).",
        )
        return {name: fields[name] for name in ("member", "from", "to", "format")}

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        start, end = attrs.get("from"), attrs.get("to")
        if start is not None and end is not None and start > end:
            raise serializers.ValidationError(
                {
                    "to": serializers.ErrorDetail(
                        FinanceError.PERIOD_REVERSED.message, code=FinanceError.PERIOD_REVERSED
                    )
                }
            )
        return attrs


class StatementChamaOutputSerializer(serializers.Serializer):
    id = serializers.UUIDField(source="pk")
    name = serializers.CharField()
    code = serializers.CharField()


class StatementMemberOutputSerializer(serializers.Serializer):
    id = serializers.UUIDField(source="pk")
    member_code = serializers.CharField()
    full_name = serializers.CharField(source="user.full_name")


class StatementRowOutputSerializer(serializers.Serializer):
    date = serializers.DateField()
    entry_id = serializers.UUIDField()
    entry_type = serializers.ChoiceField(choices=EntryType.choices)
    type = serializers.CharField(help_text="The entry type as people read it.")
    memo = serializers.CharField()
    reference = serializers.CharField(help_text="External reference, e.g. the M-Pesa receipt.")
    amount_in = serializers.DecimalField(
        max_digits=16, decimal_places=2, help_text="Debits to the chama's cash accounts."
    )
    amount_out = serializers.DecimalField(
        max_digits=16, decimal_places=2, help_text="Credits to the chama's cash accounts."
    )
    balance = serializers.DecimalField(
        max_digits=16, decimal_places=2, help_text="Opening balance + Σ(in - out) so far."
    )


class MemberStatementRowOutputSerializer(serializers.Serializer):
    date = serializers.DateField()
    entry_id = serializers.UUIDField()
    entry_type = serializers.ChoiceField(choices=EntryType.choices)
    type = serializers.CharField(help_text="The entry type as people read it.")
    memo = serializers.CharField()
    reference = serializers.CharField(help_text="External reference, e.g. the M-Pesa receipt.")
    increase = money_field("What the entry added to the balance as the member reads it.")
    decrease = money_field("What the entry took from it.")
    balance = money_field("The account's balance after the entry.")


@extend_schema_serializer(many=False)  # served by the list route, but one document
class StatementOutputSerializer(serializers.Serializer):
    chama = StatementChamaOutputSerializer()
    member = StatementMemberOutputSerializer(allow_null=True)
    account_number = serializers.CharField(
        allow_null=True, help_text="The member's M-Pesa account number (chama + member code)."
    )
    currency = serializers.CharField()
    date_from = serializers.DateField(allow_null=True)
    date_to = serializers.DateField(allow_null=True)
    generated_at = serializers.DateTimeField()
    opening_balance = serializers.DecimalField(max_digits=16, decimal_places=2, source="opening")
    total_in = serializers.DecimalField(max_digits=16, decimal_places=2)
    total_out = serializers.DecimalField(max_digits=16, decimal_places=2)
    closing_balance = serializers.DecimalField(max_digits=16, decimal_places=2, source="closing")
    rows = StatementRowOutputSerializer(many=True)


class MemberStatementAccountOutputSerializer(serializers.Serializer):
    key = serializers.CharField(source="account.key")
    code = serializers.CharField(source="account.code")
    name = serializers.CharField(source="account.name")
    reads = serializers.ChoiceField(
        choices=["held", "owed", "received"],
        source="account.reads",
        help_text="held: the chama holds it for the member; owed: the member owes it; "
        "received: pots paid to the member so far.",
    )
    opening_balance = money_field(source="opening")
    total_increase = money_field()
    total_decrease = money_field()
    closing_balance = money_field(source="closing")
    rows = MemberStatementRowOutputSerializer(many=True)


@extend_schema_serializer(many=False)
class MemberStatementOutputSerializer(serializers.Serializer):
    chama = StatementChamaOutputSerializer()
    member = StatementMemberOutputSerializer()
    paybill = serializers.CharField(help_text="The paybill the member pays to.")
    account_number = serializers.CharField(
        help_text="The member's account number at the paybill (chama + member code)."
    )
    currency = serializers.CharField()
    date_from = serializers.DateField(allow_null=True)
    date_to = serializers.DateField(allow_null=True)
    generated_at = serializers.DateTimeField()
    position = MemberPositionOutputSerializer(help_text="Where the member stands today.")
    accounts = MemberStatementAccountOutputSerializer(many=True, source="sections")
