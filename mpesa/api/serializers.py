from decimal import Decimal

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from core.api.openapi import decimal_schema
from core.api.serializers import InputSerializer
from core.money import MoneyField
from core.phone import PhoneField
from groups.api.fields import ChamaMemberField
from mpesa.choices import C2BStatus, PaymentPurpose, StkStatus
from mpesa.models import C2BPayment, StkRequest
from mpesa.services.stk import STK_MAX


@extend_schema_field(decimal_schema(low=Decimal(1), high=STK_MAX, places=2, whole=True))
class StkAmountField(MoneyField):
    """Whole shillings from 1 to 250,000, what M-Pesa takes: the prompt's service refuses any
    other amount (``invalid_amount``), and the schema states the range."""


class StkPushInputSerializer(InputSerializer):
    member_id = ChamaMemberField(
        source="membership",
        required=False,
        help_text="Officials only: the member who pays. Default: yourself.",
    )
    amount = StkAmountField(help_text="Whole shillings, 1 to 250,000.")
    phone = PhoneField(
        required=False, help_text="The phone to prompt. Default: the member's M-Pesa number."
    )
    purpose = serializers.ChoiceField(
        choices=PaymentPurpose.choices, default=PaymentPurpose.CONTRIBUTION
    )


class StkRequestOutputSerializer(serializers.ModelSerializer):
    member_id = serializers.UUIDField(source="membership_id")
    member_code = serializers.CharField(source="membership.member_code")
    purpose = serializers.ChoiceField(choices=PaymentPurpose.choices)
    status = serializers.ChoiceField(choices=StkStatus.choices)
    loan_id = serializers.UUIDField(allow_null=True)
    contribution_id = serializers.UUIDField(allow_null=True)
    repayment_id = serializers.UUIDField(allow_null=True)

    class Meta:
        model = StkRequest
        fields = [
            "id",
            "checkout_request_id",
            "member_id",
            "member_code",
            "purpose",
            "loan_id",
            "amount",
            "phone",
            "account_reference",
            "status",
            "failure_reason",
            "receipt",
            "contribution_id",
            "repayment_id",
            "created_at",
            "completed_at",
        ]
        read_only_fields = fields


class C2BPaymentOutputSerializer(serializers.ModelSerializer):
    member_id = serializers.UUIDField(source="membership_id", allow_null=True)
    status = serializers.ChoiceField(choices=C2BStatus.choices)
    purpose = serializers.CharField()
    entry_id = serializers.UUIDField(allow_null=True)

    class Meta:
        model = C2BPayment
        fields = [
            "id",
            "trans_id",
            "trans_time",
            "amount",
            "bill_ref_number",
            "msisdn",
            "payer_name",
            "member_id",
            "purpose",
            "status",
            "entry_id",
            "detail",
        ]
        read_only_fields = fields


class StatementUploadInputSerializer(InputSerializer):
    file = serializers.FileField(help_text="The CSV export of the M-Pesa org portal statement.")


class StatementReceiptSerializer(serializers.Serializer):
    receipt = serializers.CharField()
    on = serializers.DateField()
    amount = serializers.DecimalField(max_digits=14, decimal_places=2)
    what = serializers.CharField()


class AmountDiffersSerializer(serializers.Serializer):
    hazina = StatementReceiptSerializer()
    statement = StatementReceiptSerializer()


class StatementReconciliationOutputSerializer(serializers.Serializer):
    period_start = serializers.DateField(allow_null=True)
    period_end = serializers.DateField(allow_null=True)
    matched = serializers.IntegerField()
    missing_in_hazina = StatementReceiptSerializer(many=True)
    missing_in_statement = StatementReceiptSerializer(many=True)
    amount_differs = AmountDiffersSerializer(many=True)
