"""Expenses as the API reads and writes them."""

from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from core.api.serializers import InputSerializer
from core.money import MoneyField
from finance.choices import TransferAccount
from governance.api.serializers.meetings import MemberRefOutputSerializer
from governance.models import Document, Expense, ExpenseCategory, ExpenseStatus
from governance.services.expenses import DESCRIPTION_MAX, PAYEE_MAX, REASON_MAX
from groups.api.approvals import SIGNED_FIELDS, SignedOutputSerializer
from groups.choices import ApprovalKind


class ExpenseReceiptOutputSerializer(serializers.ModelSerializer):
    class Meta:
        model = Document
        fields = ["id", "title", "content_type", "size"]
        read_only_fields = fields


class ExpenseOutputSerializer(SignedOutputSerializer, serializers.ModelSerializer):
    """An expense with its receipt, its signatures and what it still needs, its dispute vote
    (if it went to one) and its two journal entries once posted."""

    approval_kind = ApprovalKind.EXPENSE
    pending_status = ExpenseStatus.PENDING

    category = serializers.ChoiceField(choices=ExpenseCategory.choices)
    amount = MoneyField(read_only=True)
    status = serializers.ChoiceField(choices=ExpenseStatus.choices)
    receipt = ExpenseReceiptOutputSerializer(
        help_text="The receipt document (download it from documents/{id}/download/)."
    )
    created_by = MemberRefOutputSerializer(help_text="The treasurer who recorded it.")
    approved_entry_id = serializers.UUIDField(
        allow_null=True, help_text="Dr 5100 operating expenses · Cr 2400, once approved."
    )
    dispute_vote_id = serializers.UUIDField(
        allow_null=True,
        help_text="The members' dispute vote, when it was not approved within 48 hours.",
    )
    paid_from = serializers.ChoiceField(choices=TransferAccount.choices, allow_blank=True)
    paid_by = MemberRefOutputSerializer(allow_null=True)
    paid_entry_id = serializers.UUIDField(
        allow_null=True, help_text="Dr 2400 · Cr the account it was paid from, once paid."
    )

    class Meta:
        model = Expense
        fields = [
            "id",
            "category",
            "payee",
            "amount",
            "description",
            "status",
            "receipt",
            "created_by",
            "created_at",
            "approved_at",
            "approved_entry_id",
            "rejected_at",
            "rejection_reason",
            "dispute_vote_id",
            "paid_from",
            "paid_at",
            "paid_by",
            "paid_entry_id",
            *SIGNED_FIELDS,
        ]
        read_only_fields = fields


class ExpenseFieldsInputSerializer(InputSerializer):
    category = serializers.ChoiceField(choices=ExpenseCategory.choices)
    payee = serializers.CharField(max_length=PAYEE_MAX, help_text="Who is paid.")
    amount = MoneyField()


class ExpenseCreateInputSerializer(ExpenseFieldsInputSerializer):
    """An expense whose receipt was uploaded before (documents/, kind receipt)."""

    description = serializers.CharField(max_length=DESCRIPTION_MAX, allow_blank=True, default="")
    receipt_id = serializers.UUIDField(help_text="A receipt document of this chama.")


@extend_schema_field({"type": "string", "maxLength": DESCRIPTION_MAX, "pattern": "^[^\\u0000]*$"})
class FormTextField(serializers.Field):
    """Text sent as a form field, described as the one plain string it can be: a form carries
    every value as text, and an empty field reads as left out (its default). Not a CharField,
    whose schema would offer a second, empty shape beside a non-empty one."""

    default_error_messages = {
        "invalid": "Not a valid string.",
        "max_length": "Ensure this field has no more than {max_length} characters.",
        "null_characters_not_allowed": "Null characters are not allowed.",
    }

    def __init__(self, *, max_length: int, **kwargs: Any) -> None:
        self.max_length = max_length
        super().__init__(**kwargs)

    def to_internal_value(self, data: Any) -> str:
        if not isinstance(data, str):
            self.fail("invalid")
        if "\x00" in data:
            self.fail("null_characters_not_allowed")
        text = data.strip()
        if len(text) > self.max_length:
            self.fail("max_length", max_length=self.max_length)
        return text

    def to_representation(self, value: Any) -> Any:
        return value


class ExpenseUploadInputSerializer(ExpenseFieldsInputSerializer):
    """An expense with its receipt uploaded with it (multipart/form-data)."""

    receipt = serializers.FileField(
        help_text="The receipt (PDF, PNG, JPEG...); its type is read from its bytes."
    )
    description = FormTextField(max_length=DESCRIPTION_MAX, default="")


class ExpenseApproveInputSerializer(InputSerializer):
    comment = serializers.CharField(
        max_length=REASON_MAX, allow_blank=True, default="", help_text="Shown with your signature."
    )


class ExpenseRejectInputSerializer(InputSerializer):
    reason = serializers.CharField(max_length=REASON_MAX, help_text="Why it is rejected.")


class ExpensePayInputSerializer(InputSerializer):
    account = serializers.ChoiceField(
        choices=TransferAccount.choices,
        help_text="Where the money leaves: paybill (1010), bank (1020) or cash (1030).",
    )
