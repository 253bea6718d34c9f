from django.apps import AppConfig


class GroupsConfig(AppConfig):
    name = "groups"
    verbose_name = "Chamas"

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from groups.models import Chama, Membership, Signature

        auditlog.register(Chama, exclude_fields=["member_sequence", "updated_at"])
        auditlog.register(Membership, exclude_fields=["updated_at"])
        auditlog.register(Signature, exclude_fields=["updated_at"])
