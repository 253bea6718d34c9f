from django.apps import AppConfig


class FinanceConfig(AppConfig):
    name = "finance"
    verbose_name = "Finance"

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from finance import models
        from finance.selectors import membership_list_with_compliance
        from finance.services.ledger import ledger_chart_open
        from groups.selectors import MEMBERSHIP_LIST_ANNOTATORS
        from groups.services import CHAMA_CREATED_HOOKS

        CHAMA_CREATED_HOOKS.append(lambda chama: ledger_chart_open(chama=chama))
        MEMBERSHIP_LIST_ANNOTATORS.append(membership_list_with_compliance)
        for model in (
            models.Cycle,
            models.Round,
            models.Due,
            models.Contribution,
            models.Payout,
            models.WelfareClaim,
            models.WelfarePolicy,
            models.LoanPolicy,
            models.Loan,
            models.Guarantee,
            models.Installment,
            models.LoanRepayment,
            models.SuspenseReceipt,
            models.LedgerTransfer,
            models.Fine,
            models.FinePayment,
            # Written in bulk by the money services, which audit them through core.audit;
            # registered so that any other save of them is audited too.
            models.DueAllocation,
            models.RepaymentAllocation,
            models.LoanPenalty,
            models.FineAllocation,
        ):
            # A reverse one-to-one would cost auditlog a query on every save.
            auditlog.register(model, exclude_fields=["updated_at", "suspense_receipt"])
        # Ledger rows never change: their creation is their audit trail.
        auditlog.register(models.LedgerAccount, include_fields=["name"])
