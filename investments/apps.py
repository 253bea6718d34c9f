from django.apps import AppConfig


class InvestmentsConfig(AppConfig):
    name = "investments"
    verbose_name = "Investments"

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from investments import models

        for model in (models.ProfitDeclaration, models.ProfitShare):
            auditlog.register(model, exclude_fields=["updated_at"])
