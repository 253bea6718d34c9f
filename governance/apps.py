from django.apps import AppConfig


class GovernanceConfig(AppConfig):
    name = "governance"
    verbose_name = "Governance"

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from governance import models

        for model in (models.ConstitutionVersion, models.ConstitutionAcceptance):
            auditlog.register(model, exclude_fields=["updated_at"])
