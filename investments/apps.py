from django.apps import AppConfig


class InvestmentsConfig(AppConfig):
    name = "investments"
    verbose_name = "Investments"

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from finance.gateways import TransferKind
        from finance.services.transfers import transfer_handler_register
        from investments import models
        from investments.services import proposals  # noqa: F401  the "investment_proposal" vote outcome
        from investments.services.transfers import HANDLER

        # M-Pesa's answers about a placement come back through finance's router.
        transfer_handler_register(TransferKind.INVESTMENT, HANDLER)
        for model in (
            models.InvestmentOption,
            models.OptionRate,
            models.TaxSetting,
            models.Holding,
            models.MmfCredit,
            models.IdleCashSnapshot,
            models.InvestmentProposal,
            models.SavingsGoal,
            models.ProfitDeclaration,
            models.ProfitShare,
        ):
            auditlog.register(model, exclude_fields=["updated_at"])
