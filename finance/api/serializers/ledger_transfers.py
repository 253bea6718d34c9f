from rest_framework import serializers

from core.api.serializers import InputSerializer
from core.money import MoneyField
from finance.choices import LedgerTransferStatus, TransferAccount
from finance.models import LedgerTransfer
from finance.services.ledger_transfers import MEMO_MAX, REASON_MAX
from groups.api.approvals import SIGNED_FIELDS, SignedOutputSerializer
from groups.choices import ApprovalKind

ACCOUNTS_HELP = "paybill (1010), bank (1020) or cash (1030)."


class LedgerTransferOfficialOutputSerializer(serializers.Serializer):
    id = serializers.UUIDField()
    full_name = serializers.CharField()


class LedgerTransferOutputSerializer(SignedOutputSerializer, serializers.ModelSerializer):
    approval_kind = ApprovalKind.TRANSFER
    pending_status = LedgerTransferStatus.REQUESTED

    from_account = serializers.ChoiceField(choices=TransferAccount.choices)
    to_account = serializers.ChoiceField(choices=TransferAccount.choices)
    amount = MoneyField(read_only=True)
    status = serializers.ChoiceField(choices=LedgerTransferStatus.choices)
    requested_by = LedgerTransferOfficialOutputSerializer()
    decided_by = LedgerTransferOfficialOutputSerializer(
        allow_null=True, help_text="Who approved or rejected it (the requester, if withdrawn)."
    )
    entry_id = serializers.UUIDField(
        allow_null=True, help_text="The journal entry that moved the money, once approved."
    )

    class Meta:
        model = LedgerTransfer
        fields = [
            "id",
            "from_account",
            "to_account",
            "amount",
            "memo",
            "status",
            "requested_by",
            "decided_by",
            "decided_at",
            "rejection_reason",
            "entry_id",
            "created_at",
            *SIGNED_FIELDS,
        ]
        read_only_fields = fields


class LedgerTransferRequestInputSerializer(InputSerializer):
    from_account = serializers.ChoiceField(
        choices=TransferAccount.choices, help_text=f"Where the money leaves: {ACCOUNTS_HELP}"
    )
    to_account = serializers.ChoiceField(
        choices=TransferAccount.choices, help_text=f"Where it arrives: {ACCOUNTS_HELP}"
    )
    amount = MoneyField()
    memo = serializers.CharField(max_length=MEMO_MAX, allow_blank=True, default="")


class LedgerTransferRejectInputSerializer(InputSerializer):
    reason = serializers.CharField(max_length=REASON_MAX, help_text="Why it is rejected.")
