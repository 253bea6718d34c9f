"""Reads of votes. Nothing here joins a ballot to anyone: ballots are only ever counted."""

from django.db.models import (
    Count,
    Exists,
    IntegerField,
    OuterRef,
    QuerySet,
    Subquery,
    UUIDField,
    Value,
)
from django.db.models.functions import Coalesce

from governance.models import Vote, VoteParticipation
from groups.choices import MembershipStatus, Role
from groups.models import Chama, Membership


def electorate_of(*, chama: Chama) -> QuerySet[Membership]:
    """Who votes in a vote opened now: the active members; the auditor observes."""
    return Membership.objects.filter(chama=chama, status=MembershipStatus.ACTIVE).exclude(
        role=Role.AUDITOR
    )


def is_voter(vote: Vote, membership: Membership) -> bool:
    """``membership`` may vote in ``vote``: an active member of its chama, not the auditor,
    who was a member when it opened (the electorate it was counted against)."""
    return (
        membership.chama_id == vote.chama_id
        and membership.status == MembershipStatus.ACTIVE
        and membership.role != Role.AUDITOR
        and membership.created_at <= vote.created_at
    )


def _turnout() -> Coalesce:
    counted = (
        VoteParticipation.objects.filter(vote=OuterRef("pk"))
        .order_by()
        .values("vote")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))


def vote_list(*, chama: Chama, viewer: Membership | None = None) -> QuerySet[Vote]:
    """The chama's votes, newest first, each with its turnout so far and, for ``viewer``,
    whether they have voted (``my_voted``), who cast it (``my_cast_by_id``) and, on an open
    ballot only, what they chose (``my_choice``: an anonymous vote never stores it)."""
    votes = Vote.objects.filter(chama=chama).annotate(turnout=_turnout())
    if viewer is None:
        return votes
    mine = VoteParticipation.objects.filter(vote=OuterRef("pk"), membership=viewer)
    return votes.annotate(
        my_voted=Exists(mine),
        my_cast_by_id=Subquery(mine.values("cast_by_id")[:1], output_field=UUIDField()),
        my_choice=Subquery(mine.values("choice")[:1]),
    )


def vote_participation_list(*, vote: Vote) -> QuerySet[VoteParticipation]:
    """Who voted in ``vote``, with their members (and the proxy who cast it)."""
    return VoteParticipation.objects.filter(vote=vote).select_related(
        "membership__user", "cast_by__user"
    )
