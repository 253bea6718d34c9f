"""Votes: motions the members of a chama decide by ballot.

How a secret ballot is held (docs/features/votes.md): who voted and what was chosen are two
tables that share nothing but the vote. ``VoteParticipation`` says that a member voted (and who
cast it, for a proxy); ``Ballot`` holds a choice and its vote only — no member, no timestamp,
a random UUID key, so neither its columns nor its order (rows are only ever read ordered by
choice) lead back to a voter. An open vote also writes the choice on the participation, since
there the members see who chose what. Ballots are never audit-logged (an audit row carries the
actor and the time); the vote's result is.
"""

import uuid
from decimal import Decimal

from django.db import models
from django.db.models import Q

from core.models import BaseModel
from groups.models import Chama, Membership


class VoteKind(models.TextChoices):
    SIMPLE = "simple", "Simple majority (more than half of the yes and no ballots)"
    TWO_THIRDS = "two_thirds", "Two-thirds (at least 2/3 of the yes and no ballots)"
    UNANIMOUS = "unanimous", "Unanimous (no ballot against, at least one for)"


class VoteStatus(models.TextChoices):
    OPEN = "open", "Open"
    CLOSED = "closed", "Closed"


class VoteResult(models.TextChoices):
    PASSED = "passed", "Passed"
    FAILED = "failed", "Failed"
    NO_QUORUM = "no_quorum", "No quorum"


class VoteChoice(models.TextChoices):
    YES = "yes", "Yes"
    NO = "no", "No"
    ABSTAIN = "abstain", "Abstain"


class Vote(BaseModel):
    """A motion. ``electorate`` is the number of members who could vote when it opened (active,
    not the auditor); the quorum is a share of it. Tallies and result are written once, when it
    closes, and never change again.

    Invariants (constraints): 0 < quorum <= 1; opens_at < closes_at; an open vote has no result
    and no tallies; a closed one has a result, a closing time and its tallies; a subject is a
    type and an id together; a subject has at most one open vote.
    """

    chama = models.ForeignKey(Chama, on_delete=models.PROTECT, related_name="votes")
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True, max_length=4000)
    kind = models.CharField(max_length=10, choices=VoteKind.choices)
    quorum = models.DecimalField(
        max_digits=4, decimal_places=3, help_text="Share of the electorate that must vote, 0-1."
    )
    electorate = models.PositiveIntegerField(
        help_text="Members who could vote when the vote opened (active, not the auditor)."
    )
    opens_at = models.DateTimeField()
    closes_at = models.DateTimeField(db_index=True)
    anonymous = models.BooleanField(help_text="Secret ballot: choices are never tied to voters.")
    status = models.CharField(max_length=6, choices=VoteStatus.choices, default=VoteStatus.OPEN)
    result = models.CharField(max_length=9, choices=VoteResult.choices, blank=True)
    yes_count = models.PositiveIntegerField(null=True, blank=True)
    no_count = models.PositiveIntegerField(null=True, blank=True)
    abstain_count = models.PositiveIntegerField(null=True, blank=True)
    subject_type = models.CharField(max_length=32, blank=True)
    subject_id = models.UUIDField(null=True, blank=True)
    opened_by = models.ForeignKey(
        Membership, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    closed_by = models.ForeignKey(
        Membership, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-opens_at", "-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(quorum__gt=Decimal("0"), quorum__lte=Decimal("1")),
                name="governance_vote_quorum_share",
            ),
            models.CheckConstraint(
                condition=Q(closes_at__gt=models.F("opens_at")),
                name="governance_vote_closes_after_opening",
            ),
            models.CheckConstraint(
                condition=Q(kind__in=VoteKind.values), name="governance_vote_kind_valid"
            ),
            models.CheckConstraint(
                condition=Q(
                    status=VoteStatus.OPEN,
                    result="",
                    closed_at__isnull=True,
                    yes_count__isnull=True,
                    no_count__isnull=True,
                    abstain_count__isnull=True,
                )
                | Q(
                    status=VoteStatus.CLOSED,
                    result__in=VoteResult.values,
                    closed_at__isnull=False,
                    yes_count__isnull=False,
                    no_count__isnull=False,
                    abstain_count__isnull=False,
                ),
                name="governance_vote_result_when_closed",
            ),
            models.CheckConstraint(
                condition=Q(subject_type="", subject_id__isnull=True)
                | (~Q(subject_type="") & Q(subject_id__isnull=False)),
                name="governance_vote_subject_whole",
            ),
            models.UniqueConstraint(
                fields=["chama", "subject_type", "subject_id"],
                condition=Q(status=VoteStatus.OPEN, subject_id__isnull=False),
                name="governance_vote_one_open_per_subject",
            ),
        ]
        indexes = [models.Index(fields=["status", "closes_at"], name="governance_vote_due")]

    def __str__(self) -> str:
        return f"{self.title} ({self.chama.code})"

    @property
    def ballots_cast(self) -> int | None:
        if self.yes_count is None or self.no_count is None or self.abstain_count is None:
            return None
        return self.yes_count + self.no_count + self.abstain_count


class VoteProxy(BaseModel):
    """``grantor`` authorises ``holder`` to cast the grantor's ballot in one vote. One proxy
    per grantor and vote; nobody holds their own."""

    vote = models.ForeignKey(Vote, on_delete=models.PROTECT, related_name="proxies")
    grantor = models.ForeignKey(Membership, on_delete=models.PROTECT, related_name="+")
    holder = models.ForeignKey(Membership, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["vote", "created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["vote", "grantor"], name="governance_voteproxy_one_per_grantor"
            ),
            models.CheckConstraint(
                condition=~Q(grantor=models.F("holder")), name="governance_voteproxy_not_self"
            ),
        ]

    def __str__(self) -> str:
        return f"Proxy for {self.grantor_id} held by {self.holder_id}"


class VoteParticipation(BaseModel):
    """That ``membership`` voted in ``vote`` — once, whatever races (the unique constraint).
    ``cast_by`` is the proxy holder who cast it, or null when the member voted in person.
    ``choice`` is written for an open vote only: in an anonymous one it stays empty and the
    choice lives in a ``Ballot`` no query can join back to this row."""

    vote = models.ForeignKey(Vote, on_delete=models.PROTECT, related_name="participations")
    membership = models.ForeignKey(Membership, on_delete=models.PROTECT, related_name="+")
    cast_by = models.ForeignKey(
        Membership, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    choice = models.CharField(max_length=7, choices=VoteChoice.choices, blank=True)

    class Meta:
        ordering = ["vote", "membership__member_code"]
        constraints = [
            models.UniqueConstraint(
                fields=["vote", "membership"], name="governance_voteparticipation_one_per_member"
            ),
            models.CheckConstraint(
                condition=Q(choice="") | Q(choice__in=VoteChoice.values),
                name="governance_voteparticipation_choice_valid",
            ),
            models.CheckConstraint(
                condition=Q(cast_by__isnull=True) | ~Q(cast_by=models.F("membership")),
                name="governance_voteparticipation_proxy_not_self",
            ),
        ]

    def __str__(self) -> str:
        return f"Participation in {self.vote_id}"


class Ballot(models.Model):
    """One choice in one vote, and nothing else: no member, no timestamps, a random key.
    Counted when the vote closes; never audit-logged, never ordered by anything but choice."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    vote = models.ForeignKey(Vote, on_delete=models.PROTECT, related_name="ballots")
    choice = models.CharField(max_length=7, choices=VoteChoice.choices)

    class Meta:
        ordering = ["vote", "choice"]
        constraints = [
            models.CheckConstraint(
                condition=Q(choice__in=VoteChoice.values), name="governance_ballot_choice_valid"
            ),
        ]

    def __str__(self) -> str:
        return "Ballot"
