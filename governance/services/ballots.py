"""Casting a ballot, in person or by proxy, and giving a proxy.

A ballot is two rows written in one transaction: the participation (that the member voted,
once — the unique constraint holds it under any race) and the ballot (the choice, with no
member, no time, a random key). For an anonymous vote nothing else ties them together; an
open vote also writes the choice on the participation. The vote row is locked first, so a
ballot never slips in after the close has counted.
"""

from django.db import IntegrityError, transaction
from django.utils import timezone

from core.exceptions import ConflictError, PermissionDeniedError, ValidationFailed
from governance.exceptions import VoteError
from governance.locks import vote_lock
from governance.models import Ballot, Vote, VoteChoice, VoteParticipation, VoteProxy, VoteStatus
from governance.selectors.votes import is_voter
from groups.models import Membership


def _check_open(vote: Vote) -> None:
    now = timezone.now()
    if vote.status != VoteStatus.OPEN:
        raise ConflictError(VoteError.CLOSED)
    if now < vote.opens_at:
        raise ConflictError(VoteError.NOT_OPEN_YET, opens_at=vote.opens_at.isoformat())
    if now >= vote.closes_at:
        raise ConflictError(VoteError.DEADLINE_PASSED, closes_at=vote.closes_at.isoformat())


def _voter_for(vote: Vote, acting: Membership, membership: Membership | None) -> Membership:
    """Whose ballot ``acting`` casts: their own, or that of a member whose proxy they hold."""
    if not is_voter(vote, acting):
        raise PermissionDeniedError(VoteError.NOT_A_VOTER)
    if membership is None or membership.pk == acting.pk:
        return acting
    held = VoteProxy.objects.filter(vote=vote, grantor=membership, holder=acting).exists()
    if not held or not is_voter(vote, membership):
        raise PermissionDeniedError(VoteError.PROXY_NOT_HELD)
    return membership


@transaction.atomic
def ballot_cast(
    *, vote: Vote, acting: Membership, choice: str, membership: Membership | None = None
) -> Vote:
    """``acting`` votes ``choice``, for themselves or (``membership``) for a member whose
    proxy they hold. Returns the vote; what was chosen is not returned."""
    if choice not in VoteChoice.values:
        raise ValidationFailed(VoteError.INVALID_CHOICE, field="choice")
    vote = vote_lock(vote.pk)
    voter = _voter_for(vote, acting, membership)
    _check_open(vote)
    if VoteParticipation.objects.filter(vote=vote, membership=voter).exists():
        raise ConflictError(VoteError.ALREADY_VOTED)
    try:
        with transaction.atomic():
            VoteParticipation.objects.create(
                vote=vote,
                membership=voter,
                cast_by=acting if voter.pk != acting.pk else None,
                choice="" if vote.anonymous else choice,
            )
    except IntegrityError as exc:  # governance_voteparticipation_one_per_member
        raise ConflictError(VoteError.ALREADY_VOTED) from exc
    Ballot.objects.create(vote=vote, choice=choice)
    return vote


@transaction.atomic
def vote_proxy_grant(*, vote: Vote, acting: Membership, holder: Membership) -> VoteProxy:
    """``acting`` authorises ``holder`` to cast their ballot in ``vote``."""
    vote = vote_lock(vote.pk)
    if not is_voter(vote, acting):
        raise PermissionDeniedError(VoteError.NOT_A_VOTER)
    if holder.pk == acting.pk:
        raise ValidationFailed(VoteError.PROXY_SELF, field="holder_id")
    if not is_voter(vote, holder):
        raise ValidationFailed(VoteError.HOLDER_NOT_A_VOTER, field="holder_id")
    _check_open(vote)
    if VoteParticipation.objects.filter(vote=vote, membership=acting).exists():
        raise ConflictError(VoteError.ALREADY_VOTED)
    try:
        with transaction.atomic():
            return VoteProxy.objects.create(vote=vote, grantor=acting, holder=holder)
    except IntegrityError as exc:  # governance_voteproxy_one_per_grantor
        raise ConflictError(VoteError.PROXY_EXISTS) from exc
