from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = "Accounts"

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from accounts.models import NotificationPreference, User

        auditlog.register(User, exclude_fields=["password", "last_login"])
        auditlog.register(NotificationPreference, exclude_fields=["updated_at"])
