"""The signatures of an object awaiting approval, as its output shows them."""

from decimal import Decimal
from typing import Any, ClassVar

from rest_framework import serializers

from core.api.serializers import InputSerializer
from groups.approvals import COMMENT_MAX, ApprovalProgress, approval_progress, approval_rule_get
from groups.choices import SignatureDecision


class SignatureOutputSerializer(serializers.Serializer):
    member_id = serializers.UUIDField(source="membership_id")
    full_name = serializers.CharField(source="membership.user.full_name")
    decision = serializers.ChoiceField(choices=SignatureDecision.choices)
    comment = serializers.CharField()
    signed_at = serializers.DateTimeField(source="created_at")


class SignedOutputSerializer(serializers.Serializer):
    """Adds an object's signatures and what it still needs. A subclass names its kind, the
    status in which it waits for signatures and the field holding the amount the chair
    threshold is compared with; the object's selector prefetches ``signatures`` and selects
    its ``chama`` (whose rules count), so a page costs one query more, not one per row."""

    approval_kind: ClassVar[str]
    pending_status: ClassVar[str]
    approval_amount: ClassVar[str] = "amount"

    signatures = SignatureOutputSerializer(
        source="signatures.all", many=True, help_text="Officials' signatures, oldest first."
    )
    signatures_required = serializers.SerializerMethodField(
        help_text="Approvals the chama's rule asks for (the chair among them when "
        "chair_signature_required)."
    )
    signatures_missing = serializers.SerializerMethodField(
        help_text="Approvals still needed; 0 once decided."
    )
    chair_signature_required = serializers.SerializerMethodField(
        help_text="True when the amount is above the rule's chair threshold."
    )

    def _progress(self, obj: Any) -> ApprovalProgress:
        rule = approval_rule_get(obj.chama, self.approval_kind)
        amount: Decimal = getattr(obj, self.approval_amount)
        return approval_progress(rule, amount=amount, signatures=obj.signatures.all())

    def get_signatures_required(self, obj: Any) -> int:
        return approval_rule_get(obj.chama, self.approval_kind).signatures

    def get_signatures_missing(self, obj: Any) -> int:
        if obj.status != self.pending_status:
            return 0
        return self._progress(obj).missing

    def get_chair_signature_required(self, obj: Any) -> bool:
        return approval_rule_get(obj.chama, self.approval_kind).chair_required(
            getattr(obj, self.approval_amount)
        )


SIGNED_FIELDS = [
    "signatures",
    "signatures_required",
    "signatures_missing",
    "chair_signature_required",
]


class SignatureCommentInputSerializer(InputSerializer):
    comment = serializers.CharField(
        max_length=COMMENT_MAX,
        allow_blank=True,
        default="",
        help_text="Why you sign, shown with your signature.",
    )
