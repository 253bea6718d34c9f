from django.apps import AppConfig


class InvestmentsConfig(AppConfig):
    name = "investments"
    verbose_name = "Investments"
