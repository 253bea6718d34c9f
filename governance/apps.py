from django.apps import AppConfig


class GovernanceConfig(AppConfig):
    name = "governance"
    verbose_name = "Governance"

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from governance import models
        from governance.services import (
            constitution_proposals,  # noqa: F401  the "constitution" vote outcome
            expense_disputes,  # noqa: F401  the "expense" vote outcome
            fine_waivers,  # noqa: F401  the "fine_waiver" vote outcome
        )
        from governance.services.constitution import constitution_joined
        from groups.services import MEMBER_JOINED_HOOKS

        MEMBER_JOINED_HOOKS.append(constitution_joined)
        auditlog.register(models.Meeting, exclude_fields=["updated_at", "attendance"])
        auditlog.register(models.Attendance, exclude_fields=["updated_at"])
        # The file's name, type, size and digest are audited; its bytes never are.
        auditlog.register(models.Document, exclude_fields=["updated_at", "file"])
        # Ballot is deliberately not registered: an audit row carries the actor and the time,
        # which would tie a secret ballot to its voter. A vote's result and tallies are
        # audited on the vote; who voted (never what, when anonymous) on the participation.
        for model in (
            models.Vote,
            models.VoteParticipation,
            models.VoteProxy,
            models.ConstitutionVersion,
            models.ConstitutionAcceptance,
            models.ConstitutionProposal,
            models.Expense,
            models.CreditScoreRun,
            models.AnomalyRun,
        ):
            auditlog.register(model, exclude_fields=["updated_at"])
        # An alert's decision (who, when, the note) is what the audit trail must show.
        auditlog.register(models.AnomalyAlert, exclude_fields=["updated_at"])
