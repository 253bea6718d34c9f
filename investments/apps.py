from django.apps import AppConfig


class InvestmentsConfig(AppConfig):
    name = "investments"
    verbose_name = "Investments"

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from investments import models
        from investments.services import proposals  # noqa: F401  the "investment_proposal" vote outcome

        for model in (models.IdleCashSnapshot, models.InvestmentProposal):
            auditlog.register(model, exclude_fields=["updated_at"])
