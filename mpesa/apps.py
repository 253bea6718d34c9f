from django.apps import AppConfig


class MpesaConfig(AppConfig):
    name = "mpesa"
    verbose_name = "M-Pesa"

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from finance.gateways import payout_gateway_register
        from mpesa import checks, models  # noqa: F401  (checks: registers the production checks)
        from mpesa.services import b2c, c2b, stk  # noqa: F401  (register callback processors)

        # finance never imports mpesa: it receives M-Pesa payouts through this gateway.
        payout_gateway_register(b2c.DarajaB2CGateway())
        for model in (models.StkRequest, models.C2BPayment, models.B2CRequest):
            auditlog.register(model, exclude_fields=["updated_at"])
        # Stored as it came (the row is its own record of arrival); what came of it is audited.
        auditlog.register(models.DarajaCallback, include_fields=["outcome", "detail", "reference"])
