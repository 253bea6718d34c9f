"""Back office for the books. The ledger is read-only; money moves only through admin actions
that call the same services as the API and report each refusal honestly."""

from collections.abc import Callable
from typing import Any

from django.contrib import admin, messages
from django.db.models import Model, QuerySet
from django.http import HttpRequest

from core.exceptions import DomainError, ErrorCode
from finance.exceptions import FinanceError
from finance.models import (
    Contribution,
    Cycle,
    Installment,
    JournalEntry,
    LedgerAccount,
    LedgerTransfer,
    Loan,
    LoanPolicy,
    Payout,
    Posting,
    Round,
    SuspenseReceipt,
    WelfareClaim,
    WelfarePolicy,
)
from finance.selectors import normal_balance
from finance.services.contributions import contribution_confirm
from finance.services.ledger_transfers import ledger_transfer_approve, ledger_transfer_reject
from finance.services.loans import loan_approve, loan_reject
from finance.services.payouts import payout_approve
from groups.admin import (
    CHAMA_ADMIN_INLINES,
    ChamaScopedAdminMixin,
    official_membership,
    staff_user,
)
from groups.models import Membership


class ReadOnlyAdminMixin:
    """Rows that only services write: viewable, never added, changed or deleted here."""

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


def run_service_action(
    modeladmin: admin.ModelAdmin,
    request: HttpRequest,
    queryset: QuerySet[Any],
    service: Callable[[Any, Membership | None], Model],
    done: str,
) -> None:
    """Call ``service`` for each selected row; report every success and every refusal."""
    succeeded = 0
    for obj in queryset:
        try:
            service(obj, official_membership(staff_user(request), obj.chama))
        except DomainError as exc:
            modeladmin.message_user(request, f"{obj}: {exc.message}", level=messages.ERROR)
        else:
            succeeded += 1
    if succeeded:
        modeladmin.message_user(request, f"{done}: {succeeded}.", level=messages.SUCCESS)


class PostingInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = Posting
    fields = ("account", "side", "amount")
    readonly_fields = ("account", "side", "amount")
    extra = 0


@admin.register(LedgerAccount)
class LedgerAccountAdmin(ReadOnlyAdminMixin, ChamaScopedAdminMixin, admin.ModelAdmin):
    list_display = ["code", "name", "type", "chama", "cached_balance"]
    list_filter = ["type", "code"]
    list_select_related = ["chama"]
    search_fields = ["code", "name", "chama__code"]


@admin.register(JournalEntry)
class JournalEntryAdmin(ReadOnlyAdminMixin, ChamaScopedAdminMixin, admin.ModelAdmin):
    list_display = ["effective_date", "entry_type", "memo", "chama", "external_ref", "created_at"]
    list_filter = ["entry_type", "effective_date"]
    list_select_related = ["chama"]
    search_fields = ["memo", "external_ref", "chama__code"]
    date_hierarchy = "effective_date"
    inlines = [PostingInline]


class ChamaBalanceInline(ReadOnlyAdminMixin, admin.TabularInline):
    """On a chama's page: what each of its chama-wide accounts holds (members' and rounds'
    sub-accounts are in the ledger accounts list)."""

    model = LedgerAccount
    fields = ("code", "name", "balance")
    readonly_fields = fields
    extra = 0
    verbose_name = "balance"
    verbose_name_plural = "balances (in each account's normal direction)"

    def get_queryset(self, request: HttpRequest) -> QuerySet[LedgerAccount]:
        return (
            super()
            .get_queryset(request)
            .filter(member__isnull=True, round__isnull=True)
            .order_by("code")
        )

    @admin.display(description="Balance")
    def balance(self, account: LedgerAccount) -> str:
        return f"{normal_balance(account, account.cached_balance):,}"


CHAMA_ADMIN_INLINES.append(ChamaBalanceInline)


class RoundInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = Round
    fields = ("number", "meeting_date", "recipient", "status")
    readonly_fields = ("number", "meeting_date", "recipient", "status")
    extra = 0


@admin.register(Cycle)
class CycleAdmin(ReadOnlyAdminMixin, ChamaScopedAdminMixin, admin.ModelAdmin):
    list_display = ["chama", "number", "start_date", "frequency", "status"]
    list_filter = ["status", "frequency"]
    list_select_related = ["chama"]
    inlines = [RoundInline]


@admin.register(Round)
class RoundAdmin(ReadOnlyAdminMixin, ChamaScopedAdminMixin, admin.ModelAdmin):
    list_display = ["chama", "cycle", "number", "meeting_date", "recipient", "status"]
    list_filter = ["status"]
    list_select_related = ["chama", "cycle__chama", "recipient__user", "recipient__chama"]


@admin.register(Contribution)
class ContributionAdmin(ReadOnlyAdminMixin, ChamaScopedAdminMixin, admin.ModelAdmin):
    list_display = ["paid_at", "membership", "amount", "method", "status", "mpesa_receipt", "chama"]
    list_filter = ["status", "method"]
    list_select_related = ["chama", "membership__user", "membership__chama"]
    search_fields = [
        "mpesa_receipt",
        "reference",
        "membership__member_code",
        "membership__user__full_name",
    ]
    date_hierarchy = "paid_at"
    actions = ["confirm"]

    @admin.action(description="Confirm selected pending contributions (the chair or the treasurer)")
    def confirm(self, request: HttpRequest, queryset: QuerySet[Contribution]) -> None:
        confirm_one = _as_official(
            contribution_confirm, FinanceError.CONTRIBUTIONS_RECONCILERS_ONLY
        )
        run_service_action(self, request, queryset, confirm_one, "Confirmed")


@admin.register(Payout)
class PayoutAdmin(ReadOnlyAdminMixin, ChamaScopedAdminMixin, admin.ModelAdmin):
    list_display = [
        "created_at",
        "round",
        "recipient",
        "kind",
        "amount",
        "method",
        "destination",
        "status",
    ]
    list_filter = ["status", "kind", "method"]
    list_select_related = [
        "round__cycle__chama",
        "round__chama",
        "recipient__user",
        "recipient__chama",
    ]
    actions = ["approve"]

    @admin.action(
        description="Approve selected payouts and top-ups: each pays its pot's balance now "
        "(you must not be who requested them)"
    )
    def approve(self, request: HttpRequest, queryset: QuerySet[Payout]) -> None:
        approve_one = _as_official(payout_approve, FinanceError.NOT_OFFICIAL_PAYOUTS)
        run_service_action(self, request, queryset, approve_one, "Approved")


@admin.register(LedgerTransfer)
class LedgerTransferAdmin(ReadOnlyAdminMixin, ChamaScopedAdminMixin, admin.ModelAdmin):
    """Requested through the API by the treasurer or the chair; decided here or there by
    another official."""

    list_display = [
        "created_at",
        "chama",
        "from_account",
        "to_account",
        "amount",
        "status",
        "requested_by",
        "decided_by",
    ]
    list_filter = ["status", "from_account", "to_account"]
    list_select_related = ["chama", "requested_by", "decided_by"]
    search_fields = ["memo", "chama__code", "chama__name", "requested_by__full_name"]
    date_hierarchy = "created_at"
    actions = ["approve", "reject"]

    @admin.action(description="Approve selected transfers (you must not be who requested them)")
    def approve(self, request: HttpRequest, queryset: QuerySet[LedgerTransfer]) -> None:
        approve_one = _as_official(
            ledger_transfer_approve, FinanceError.TRANSFER_OFFICIALS_ONLY, target="transfer"
        )
        run_service_action(self, request, queryset, approve_one, "Approved")

    @admin.action(description="Reject selected transfers")
    def reject(self, request: HttpRequest, queryset: QuerySet[LedgerTransfer]) -> None:
        reject_one = _as_official(
            ledger_transfer_reject,
            FinanceError.TRANSFER_OFFICIALS_ONLY,
            target="transfer",
            reason="Rejected in the back office",
        )
        run_service_action(self, request, queryset, reject_one, "Rejected")


@admin.register(WelfareClaim)
class WelfareClaimAdmin(ReadOnlyAdminMixin, ChamaScopedAdminMixin, admin.ModelAdmin):
    list_display = ["created_at", "membership", "claim_type", "amount", "status", "chama"]
    list_filter = ["status", "claim_type"]
    list_select_related = ["chama", "membership__user", "membership__chama"]


@admin.register(WelfarePolicy)
class WelfarePolicyAdmin(ReadOnlyAdminMixin, ChamaScopedAdminMixin, admin.ModelAdmin):
    """Set only by adopting a constitution (its welfare rules): read-only here."""

    list_display = [
        "chama",
        "bereavement_amount",
        "hospital_amount",
        "emergency_amount",
        "buffer",
    ]
    list_select_related = ["chama"]


@admin.register(SuspenseReceipt)
class SuspenseReceiptAdmin(ReadOnlyAdminMixin, ChamaScopedAdminMixin, admin.ModelAdmin):
    """Assigned through the API (suspense/{id}/assign/), which names the member and purpose."""

    list_display = [
        "paid_at",
        "receipt",
        "amount",
        "account_reference",
        "payer",
        "status",
        "membership",
        "chama",
    ]
    list_filter = ["status"]
    list_select_related = ["chama", "membership__user", "membership__chama"]
    search_fields = ["receipt", "account_reference", "payer", "chama__code"]
    date_hierarchy = "paid_at"


class InstallmentInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = Installment
    fields = (
        "number",
        "due_date",
        "principal",
        "interest",
        "total",
        "penalty_charged",
        "interest_waived",
        "status",
    )
    readonly_fields = fields
    extra = 0


@admin.register(LoanPolicy)
class LoanPolicyAdmin(ChamaScopedAdminMixin, admin.ModelAdmin):
    list_display = [
        "chama",
        "interest_method",
        "interest_rate",
        "interest_rate_period",
        "max_term_months",
        "early_repayment",
        "credit_discount_min_score",
    ]
    list_select_related = ["chama"]
    fieldsets = [
        (None, {"fields": ["chama"]}),
        (
            "Interest",
            {
                "fields": [
                    "interest_method",
                    "interest_rate",
                    "interest_rate_period",
                    ("interest_rate_min", "interest_rate_max"),
                ]
            },
        ),
        (
            "Limits",
            {"fields": ["min_principal", "max_term_months", "max_savings_multiple"]},
        ),
        ("Guarantors", {"fields": ["guarantors_required", "guarantee_cover"]}),
        ("Fees", {"fields": ["processing_fee_rate"]}),
        (
            "Late installments",
            {
                "fields": [
                    "penalty_type",
                    "penalty_amount",
                    "penalty_rate",
                    "penalty_period_days",
                    "grace_days",
                    "default_after_days",
                ]
            },
        ),
        ("Early repayment", {"fields": ["early_repayment", "early_repayment_rebate_percent"]}),
        (
            "Credit-score discount",
            {"fields": ["credit_discount_min_score", "credit_discount_percent"]},
        ),
    ]


@admin.register(Loan)
class LoanAdmin(ReadOnlyAdminMixin, ChamaScopedAdminMixin, admin.ModelAdmin):
    # The rate beside the principal: an approval in bulk shows what each loan charges.
    list_display = [
        "created_at",
        "membership",
        "principal",
        "rate",
        "interest_method",
        "term_months",
        "status",
        "chama",
    ]
    list_filter = ["status", "interest_method"]
    list_select_related = ["chama", "membership__user", "membership__chama"]
    search_fields = ["membership__member_code", "membership__user__full_name"]
    inlines = [InstallmentInline]
    actions = ["approve", "reject"]

    @admin.display(description="rate", ordering="interest_rate")
    def rate(self, loan: Loan) -> str:
        period = loan.get_interest_rate_period_display().lower()
        return f"{loan.interest_rate * 100:.2f}% {period}"

    @admin.action(description="Approve selected loans (not ones you applied for)")
    def approve(self, request: HttpRequest, queryset: QuerySet[Loan]) -> None:
        approve_one = _as_official(loan_approve, FinanceError.NOT_OFFICIAL_LOANS)
        run_service_action(self, request, queryset, approve_one, "Approved")

    @admin.action(description="Reject selected loans")
    def reject(self, request: HttpRequest, queryset: QuerySet[Loan]) -> None:
        reject_one = _as_official(
            loan_reject, FinanceError.NOT_OFFICIAL_LOANS, reason="Rejected in the back office"
        )
        run_service_action(self, request, queryset, reject_one, "Rejected")


def _as_official(
    service: Callable[..., Model],
    refused: ErrorCode,
    *,
    target: str | None = None,
    **arguments: Any,
) -> Callable[[Model, Membership | None], Model]:
    """A decision service called on one row (passed as ``target``, by default the model's
    name) as the signed-in official, ``acting`` in their office; the platform admin holds
    none and decides nothing."""

    def call(row: Model, office: Membership | None) -> Model:
        if office is None:
            raise DomainError(refused)
        name = target or str(row._meta.model_name)
        return service(**{name: row}, acting=office, **arguments)

    return call
