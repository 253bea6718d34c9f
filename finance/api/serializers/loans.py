from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.utils import timezone
from rest_framework import serializers

from core.api.serializers import InputSerializer, datetime_text, decimal_text
from core.money import ExactDecimalField, MoneyField
from finance.choices import (
    EarlyRepayment,
    GuaranteeStatus,
    InstallmentStatus,
    InterestMethod,
    LoanStatus,
    PaymentMethod,
    PayoutMethod,
    RatePeriod,
)
from finance.exceptions import FinanceError
from finance.models import Loan
from groups.api.approvals import SIGNED_FIELDS, SignedOutputSerializer
from groups.api.fields import ChamaMemberField, chama_member_get
from groups.choices import ApprovalKind
from groups.models import Membership


def amount_out(**kwargs: Any) -> serializers.DecimalField:
    return serializers.DecimalField(max_digits=16, decimal_places=2, **kwargs)


class RateField(ExactDecimalField):
    """A rate as a decimal fraction with its period beside it: "0.10" is 10%."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("min_value", Decimal("0"))
        kwargs.setdefault("max_value", Decimal("1"))
        super().__init__(max_digits=9, decimal_places=6, **kwargs)


class LoanTermsInputSerializer(InputSerializer):
    principal = MoneyField()
    term_months = serializers.IntegerField(min_value=1, max_value=60)
    interest_rate = RateField(required=False)
    interest_rate_period = serializers.ChoiceField(choices=RatePeriod.choices, required=False)
    interest_method = serializers.ChoiceField(choices=InterestMethod.choices, required=False)


class LoanQuoteInputSerializer(LoanTermsInputSerializer):
    member_id = ChamaMemberField(
        source="membership",
        required=False,
        help_text="Officials quote for a member; a member quotes for themselves.",
    )


class GuarantorInputSerializer(serializers.Serializer):
    member_id = serializers.UUIDField()
    amount = MoneyField()


class LoanApplyInputSerializer(LoanQuoteInputSerializer):
    guarantors = GuarantorInputSerializer(many=True, required=False, max_length=20)  # type: ignore[call-arg]
    purpose = serializers.CharField(max_length=255, required=False, allow_blank=True)

    def validate_guarantors(self, guarantors: list[dict[str, Any]]) -> list[tuple[Membership, Any]]:
        """The guarantors as the service takes them: (the member, the amount guaranteed)."""
        chama = self.context["view"].chama
        return [
            (chama_member_get(chama, g["member_id"], field="guarantors"), g["amount"])
            for g in guarantors
        ]


class ScheduleRowOutputSerializer(serializers.Serializer):
    number = serializers.IntegerField()
    due_date = serializers.DateField()
    principal = amount_out()
    interest = amount_out()
    total = amount_out()


def percent_out(**kwargs: Any) -> serializers.DecimalField:
    return serializers.DecimalField(max_digits=5, decimal_places=2, **kwargs)


class EligibilityReasonOutputSerializer(serializers.Serializer):
    code = serializers.ChoiceField(
        choices=[
            reason.value
            for reason in (
                FinanceError.ACTIVE_LOAN_EXISTS,
                FinanceError.EXCEEDS_SAVINGS_MULTIPLE,
                FinanceError.EXCEEDS_CASH,
            )
        ]
    )
    detail = serializers.CharField()
    blocking = serializers.BooleanField(
        help_text="False: the loan may be applied for, but not paid out until the cash is there."
    )


class LoanQuoteOutputSerializer(serializers.Serializer):
    """A ``services.loans.LoanQuote``: the terms, the rate after any credit-score discount."""

    principal = amount_out(source="terms.principal")
    term_months = serializers.IntegerField(source="terms.term_months")
    interest_method = serializers.ChoiceField(
        choices=InterestMethod.choices, source="terms.interest_method"
    )
    interest_rate_period = serializers.ChoiceField(
        choices=RatePeriod.choices, source="terms.interest_rate_period"
    )
    base_interest_rate = RateField(
        source="terms.base_interest_rate", help_text="The rate before the discount."
    )
    credit_score = serializers.IntegerField(
        source="terms.credit_score", allow_null=True, help_text="The member's score, 0-100."
    )
    credit_discount_percent = percent_out(
        source="terms.credit_discount_percent",
        help_text="The discount the score earns, as a percent of the rate (0.00: none).",
    )
    interest_rate = RateField(
        source="terms.interest_rate", help_text="The rate the schedule charges."
    )
    total_repayable = amount_out()
    total_interest = amount_out()
    schedule = ScheduleRowOutputSerializer(many=True)
    eligible = serializers.BooleanField(
        source="eligibility.eligible", help_text="Whether an application would be accepted now."
    )
    max_principal = amount_out(
        source="eligibility.max_principal",
        help_text="The most the member may borrow now (0.00 while a loan is live).",
    )
    member_funds = amount_out(
        source="eligibility.member_funds", help_text="The member's savings and credit."
    )
    cash_available = amount_out(
        source="eligibility.cash_available",
        help_text="What the chama's paybill, bank and cash hold now.",
    )
    reasons = EligibilityReasonOutputSerializer(source="eligibility.reasons", many=True)


class LoanPayoffQueryInputSerializer(InputSerializer):
    date = serializers.DateField(required=False, help_text="The payoff date (default: today).")


class LoanPayoffOutputSerializer(serializers.Serializer):
    """A ``loan_math.Payoff``: ``total`` settles the loan if paid on ``date``."""

    date = serializers.DateField(source="on")
    early_repayment = serializers.ChoiceField(choices=EarlyRepayment.choices, source="rule")
    guarantors_outstanding = amount_out(
        source="guarantors",
        help_text="What recovery took from the guarantors' savings and is not yet refunded: "
        "a repayment gives it back first.",
    )
    penalties_outstanding = amount_out(source="penalties")
    principal_outstanding = amount_out(source="principal")
    interest_due = amount_out(source="interest")
    interest_waived = amount_out()
    total = amount_out()


class InstallmentOutputSerializer(ScheduleRowOutputSerializer):
    penalty_charged = amount_out()
    interest_waived = amount_out()
    paid = amount_out(help_text="Principal, interest, penalties and fees paid.")
    principal_recovered = amount_out(help_text="Principal taken from the guarantors instead.")
    principal_written_off = amount_out()
    penalty_written_off = amount_out()
    status = serializers.ChoiceField(choices=InstallmentStatus.choices)


class GuaranteeOutputSerializer(serializers.Serializer):
    id = serializers.UUIDField()
    member_id = serializers.UUIDField(source="guarantor_id")
    full_name = serializers.CharField(source="guarantor.user.full_name")
    amount = amount_out()
    status = serializers.ChoiceField(choices=GuaranteeStatus.choices)
    recovered = amount_out(help_text="Taken from the guarantor's savings by recovery.")
    refunded = amount_out(help_text="Given back to them from the borrower's repayments.")


# A list page reads these columns (and the list's annotations) and writes its rows itself
# (``loan_rows``), as the contributions list does.
LOAN_OUTPUT_FIELDS = [
    "id",
    "member_id",
    "member_code",
    "full_name",
    "principal",
    "interest_rate",
    "interest_rate_period",
    "interest_method",
    "term_months",
    "base_interest_rate",
    "credit_discount_percent",
    "early_repayment",
    "early_repayment_rebate_percent",
    "processing_fee",
    "purpose",
    "status",
    "total_repayable",
    "total_interest",
    "amount_repaid",
    "outstanding",
    "decided_at",
    "disbursed_at",
    "disbursement_failure_reason",
    "created_at",
]
_SOURCES = {
    "member_id": "membership_id",
    "member_code": "membership__member_code",
    "full_name": "membership__user__full_name",
}
LOAN_COLUMNS = tuple(_SOURCES.get(name, name) for name in LOAN_OUTPUT_FIELDS)
_AS_IS = (
    *("interest_rate_period", "interest_method", "term_months", "early_repayment"),
    *("purpose", "status", "disbursement_failure_reason"),
)
_TIMES = ("decided_at", "disbursed_at", "created_at")
# Each model decimal keeps its own places (rates 6, percents and money 2); derived sums are 2.
_PLACES = {
    name: Loan._meta.get_field(name).decimal_places  # type: ignore[union-attr]
    for name in (
        "principal",
        "interest_rate",
        "base_interest_rate",
        "credit_discount_percent",
        "early_repayment_rebate_percent",
        "processing_fee",
    )
} | {"total_repayable": 2, "total_interest": 2, "amount_repaid": 2, "outstanding": 2}


def loan_rows(values: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    """``LoanOutputSerializer(many=True).data`` for rows of ``loan_list`` read with
    ``.values(*LOAN_COLUMNS)``, field for field (a test holds them equal)."""
    rows = []
    tz = timezone.get_current_timezone()
    for v in values:
        row: dict[str, Any] = {
            "id": str(v["id"]),
            "member_id": str(v["membership_id"]),
            "member_code": v["membership__member_code"],
            "full_name": v["membership__user__full_name"],
        }
        row |= {name: decimal_text(v[name], places) for name, places in _PLACES.items()}
        row |= {name: v[name] for name in _AS_IS}
        row |= {name: datetime_text(v[name], tz) for name in _TIMES}
        rows.append({name: row[name] for name in LOAN_OUTPUT_FIELDS})
    return rows


class LoanOutputSerializer(serializers.ModelSerializer):
    member_id = serializers.UUIDField(source="membership_id")
    member_code = serializers.CharField(source="membership.member_code")
    full_name = serializers.CharField(source="membership.user.full_name")
    status = serializers.ChoiceField(choices=LoanStatus.choices)
    interest_rate_period = serializers.ChoiceField(choices=RatePeriod.choices)
    interest_method = serializers.ChoiceField(choices=InterestMethod.choices)
    early_repayment = serializers.ChoiceField(choices=EarlyRepayment.choices)
    total_repayable = amount_out(read_only=True)
    total_interest = amount_out(read_only=True)
    amount_repaid = amount_out(read_only=True)
    outstanding = amount_out(read_only=True)

    class Meta:
        model = Loan
        fields = LOAN_OUTPUT_FIELDS
        read_only_fields = fields


class LoanDetailOutputSerializer(SignedOutputSerializer, LoanOutputSerializer):
    """A loan's page: the list's row with its schedule, guarantors and signatures."""

    approval_kind = ApprovalKind.LOAN
    pending_status = LoanStatus.APPLIED
    approval_amount = "principal"
    schedule = InstallmentOutputSerializer(source="installments", many=True)
    guarantors = GuaranteeOutputSerializer(source="guarantees", many=True)

    class Meta(LoanOutputSerializer.Meta):
        fields = [*LoanOutputSerializer.Meta.fields, "schedule", "guarantors", *SIGNED_FIELDS]
        read_only_fields = fields


class LoanDecisionInputSerializer(InputSerializer):
    reason = serializers.CharField(max_length=255, allow_blank=True, default="")


class LoanDisburseInputSerializer(InputSerializer):
    method = serializers.ChoiceField(
        choices=PayoutMethod.choices,
        help_text="cash or bank: paid at once; mpesa (B2C): in flight until M-Pesa confirms.",
    )


class LoanRepaymentInputSerializer(InputSerializer):
    amount = MoneyField()
    method = serializers.ChoiceField(choices=PaymentMethod.choices)
    mpesa_receipt = serializers.CharField(max_length=20, required=False, allow_blank=True)
    paid_at = serializers.DateTimeField(required=False)


class LoanRepaymentOutputSerializer(serializers.Serializer):
    id = serializers.UUIDField()
    amount = amount_out()
    method = serializers.ChoiceField(choices=PaymentMethod.choices)
    mpesa_receipt = serializers.CharField(allow_null=True)
    paid_at = serializers.DateTimeField()
    excess = amount_out()
    refunded = amount_out(help_text="Given back to the guarantors first, for what recovery took.")
    recovered = amount_out(help_text="On a written-off loan: bad debts recovered (income).")
    entry_id = serializers.UUIDField()
