"""Proposals to invest a chama's idle cash: made by the weekly scan for premium chamas (or by
an official by hand), decided by the constitution's rule (the chair, or the members' vote),
executed once into a holding."""

from django.db import models
from django.db.models import F, Q

from core.models import BaseModel
from core.money import cents_equal, money_field
from governance.models import Vote
from groups.models import Chama, Membership
from investments.models.holdings import Holding
from investments.models.options import InvestmentOption


class ProposalStatus(models.TextChoices):
    PROPOSED = "proposed", "Proposed, awaiting a decision"
    APPROVED = "approved", "Approved, awaiting execution"
    REJECTED = "rejected", "Rejected"
    EXECUTED = "executed", "Executed (placed)"
    EXPIRED = "expired", "Expired"


OPEN_PROPOSAL_STATUSES = (ProposalStatus.PROPOSED, ProposalStatus.APPROVED)


class InvestmentProposal(BaseModel):
    """Put ``amount`` of idle cash in ``option``: a T-bill's face value, else the principal.
    ``cost`` is what leaves the chama's cash (a T-bill's price plus the withholding tax paid
    up front with it); the projection (gross return, tax, net return over ``term_days`` at
    ``annual_rate``) is Hazina's computation on the day it was proposed.

    Invariants (constraints): at most one open (proposed or approved) proposal per chama;
    amounts positive and the net return the gross less the tax; an executed proposal has its
    holding and only it; an approved or executed one says who or which vote approved it.
    ``created_by`` is None when the scan proposed it.
    """

    chama = models.ForeignKey(Chama, on_delete=models.PROTECT, related_name="proposals")
    option = models.ForeignKey(InvestmentOption, on_delete=models.PROTECT, related_name="+")
    amount = money_field(help_text="A T-bill's face value; otherwise the amount placed.")
    cost = money_field(help_text="What leaves the chama's cash when it is executed.")
    annual_rate = models.DecimalField(max_digits=7, decimal_places=6)
    term_days = models.PositiveIntegerField()
    projected_gross = money_field()
    projected_tax = money_field()
    projected_net = money_field()
    reserve_kept = money_field(help_text="The constitution's reserve kept back from idle cash.")
    idle_at_proposal = money_field()
    status = models.CharField(
        max_length=10, choices=ProposalStatus.choices, default=ProposalStatus.PROPOSED
    )
    created_by = models.ForeignKey(
        Membership, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    approved_by = models.ForeignKey(
        Membership, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    vote = models.ForeignKey(
        Vote, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    rejection_reason = models.CharField(max_length=500, blank=True)
    holding = models.OneToOneField(
        Holding, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    executed_by = models.ForeignKey(
        Membership, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["chama"],
                condition=Q(status__in=OPEN_PROPOSAL_STATUSES),
                name="investments_proposal_one_open_per_chama",
            ),
            models.CheckConstraint(
                condition=Q(status__in=ProposalStatus.values),
                name="investments_proposal_status_valid",
            ),
            models.CheckConstraint(
                condition=Q(amount__gt=0, cost__gt=0, term_days__gt=0)
                & Q(projected_gross__gte=0, projected_tax__gte=0, reserve_kept__gte=0)
                & Q(idle_at_proposal__gte=0)
                & cents_equal("projected_net", F("projected_gross") - F("projected_tax")),
                name="investments_proposal_amounts_valid",
            ),
            models.CheckConstraint(
                condition=Q(status=ProposalStatus.EXECUTED, holding__isnull=False)
                | (~Q(status=ProposalStatus.EXECUTED) & Q(holding__isnull=True)),
                name="investments_proposal_executed_iff_holding",
            ),
            models.CheckConstraint(
                condition=~Q(status__in=[ProposalStatus.APPROVED, ProposalStatus.EXECUTED])
                | Q(approved_by__isnull=False)
                | Q(vote__isnull=False),
                name="investments_proposal_approved_by_someone",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.option.name} {self.amount} for {self.chama_id} ({self.status})"
