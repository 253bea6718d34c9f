"""A chama's constitution: numbered versions, never changed once adopted, and the members'
acceptance of them."""

from django.db import models
from django.db.models import Q
from django.utils import timezone

from core.models import BaseModel
from governance.choices import Language, ProposalStatus
from groups.models import Chama, Membership


class ConstitutionVersion(BaseModel):
    """Version ``number`` of a chama's constitution (1, 2, ... per chama; the highest is in
    force). A version is never edited: a change is a new version, adopted by the chair or by
    a vote (``vote``), whose rules governance projects onto the chama's settings in the
    same transaction (governance.services.constitution). ``rules`` is the JSON of
    governance.constitution_rules.Rules, validated before it is stored."""

    chama = models.ForeignKey(Chama, on_delete=models.PROTECT, related_name="constitution_versions")
    number = models.PositiveIntegerField()
    rules = models.JSONField()
    text = models.TextField(blank=True, max_length=50_000)
    language = models.CharField(max_length=2, choices=Language.choices, default=Language.ENGLISH)
    adopted_by = models.ForeignKey(
        Membership,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="The chair who adopted it; empty when a vote or the platform did.",
    )
    vote = models.ForeignKey(
        "governance.Vote",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="The vote that adopted it, if one did.",
    )
    adopted_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["chama", "-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["chama", "number"], name="governance_constitutionversion_number_unique"
            ),
            models.CheckConstraint(
                condition=Q(number__gte=1), name="governance_constitutionversion_number_positive"
            ),
        ]

    def __str__(self) -> str:
        return f"Constitution v{self.number} of {self.chama_id}"


class ConstitutionAcceptance(BaseModel):
    """A member's acceptance of one version: recorded once (accepting again changes nothing).

    A member added to a chama that has adopted a constitution has the version in force
    recorded as theirs to accept when they join (``accepted_at`` empty: pending); their own
    ``POST constitution/accept/`` fills ``accepted_at``, never an official. One row per
    (member, version)."""

    membership = models.ForeignKey(
        Membership, on_delete=models.PROTECT, related_name="constitution_acceptances"
    )
    version = models.ForeignKey(
        ConstitutionVersion, on_delete=models.PROTECT, related_name="acceptances"
    )
    accepted_at = models.DateTimeField(default=timezone.now, null=True, blank=True)

    class Meta:
        ordering = ["version", "accepted_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["membership", "version"], name="governance_constitutionacceptance_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.membership_id} accepted {self.version_id}"


class ConstitutionProposal(BaseModel):
    """A new version put to the members' vote (``PUT constitution/`` with ``by_vote``).

    Invariants: at most one ``proposed`` proposal per chama (a partial unique constraint);
    ``rules`` passed the same checks as a direct adoption before it was stored; ``vote`` is the
    vote (subject ``constitution``, subject id this proposal's id) that decides it, one
    proposal per vote; ``version`` is set exactly when the proposal is ``adopted`` (the version
    its passed vote adopted, whose ``vote`` is the same vote). A rejected proposal changed
    nothing."""

    chama = models.ForeignKey(
        Chama, on_delete=models.PROTECT, related_name="constitution_proposals"
    )
    rules = models.JSONField()
    text = models.TextField(blank=True, max_length=50_000)
    language = models.CharField(max_length=2, choices=Language.choices, default=Language.ENGLISH)
    proposed_by = models.ForeignKey(Membership, on_delete=models.PROTECT, related_name="+")
    vote = models.OneToOneField(
        "governance.Vote", on_delete=models.PROTECT, related_name="constitution_proposal"
    )
    status = models.CharField(
        max_length=10, choices=ProposalStatus.choices, default=ProposalStatus.PROPOSED
    )
    version = models.OneToOneField(
        ConstitutionVersion,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="proposal",
        help_text="The version the passed vote adopted.",
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["chama", "-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["chama"],
                condition=Q(status=ProposalStatus.PROPOSED),
                name="governance_constitutionproposal_one_open",
            ),
            models.CheckConstraint(
                condition=Q(status__in=ProposalStatus.values),
                name="governance_constitutionproposal_status_valid",
            ),
            models.CheckConstraint(
                condition=Q(status=ProposalStatus.ADOPTED, version__isnull=False)
                | (~Q(status=ProposalStatus.ADOPTED) & Q(version__isnull=True)),
                name="governance_constitutionproposal_version_iff_adopted",
            ),
            models.CheckConstraint(
                condition=Q(status=ProposalStatus.PROPOSED, decided_at__isnull=True)
                | (~Q(status=ProposalStatus.PROPOSED) & Q(decided_at__isnull=False)),
                name="governance_constitutionproposal_decided_iff_closed",
            ),
        ]

    def __str__(self) -> str:
        return f"Constitution proposal {self.pk} of {self.chama_id} ({self.status})"
