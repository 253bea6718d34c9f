from django.apps import AppConfig


class MpesaConfig(AppConfig):
    name = "mpesa"
    verbose_name = "Mpesa"
