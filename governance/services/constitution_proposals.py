"""A constitution amended by the members' vote.

``PUT constitution/`` with ``by_vote`` stores the proposed version (a ``ConstitutionProposal``)
and opens an open-ballot vote on it (subject ``constitution``), of the kind the constitution in
force gives amendments (``voting.constitution_majority``) and its quorum (``voting.quorum``),
closing ``PROPOSAL_VOTE_DAYS`` later unless the chair names the deadline. The proposal is
checked exactly as a direct adoption: the adoption is rehearsed in a savepoint that is then
rolled back, so a proposal the chama could not adopt today is refused (400/409) with nothing
written. One proposal per chama is before the members at a time.

When the vote closes, passed adopts the proposal (``constitution_adopt`` with ``acting=None``
and the vote: version n+1, projected onto the settings and the loan policy); failed or without
quorum rejects it and changes nothing. A passed proposal that can no longer be adopted (the
chama changed meanwhile, e.g. more active members than its member limit) is rejected too and
logged, so that the vote closes rather than failing at every run of the job.
"""

import logging
import uuid
from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone

from core.exceptions import DomainError
from governance.choices import Language, ProposalStatus
from governance.constitution_rules import Rules, rules_from_data, rules_to_data
from governance.models import ConstitutionProposal, Vote, VoteResult
from governance.selectors.constitution import constitution_rules_get
from governance.services.constitution import constitution_adopt
from governance.services.votes import vote_open, vote_outcome
from groups.locks import chama_lock
from groups.models import Chama, Membership

logger = logging.getLogger(__name__)

CONSTITUTION_SUBJECT = "constitution"
# As a fine waiver or a dispute: a meeting or a week of their phones for the members to vote.
PROPOSAL_VOTE_DAYS = 7


class _Rehearsed(Exception):
    """Rolls the rehearsed adoption back, carrying the text it would have adopted."""

    def __init__(self, text: str) -> None:
        super().__init__(text)
        self.text = text


def _rehearse(*, chama: Chama, acting: Membership, rules: Rules, text: str, language: str) -> str:
    """Adopt in a savepoint and roll it back: every refusal a direct adoption would give, and
    the words it would adopt (the template's, filled from the rules, when ``text`` is empty)."""
    try:
        with transaction.atomic():
            version = constitution_adopt(
                chama=chama, acting=acting, rules=rules, text=text, language=language
            )
            raise _Rehearsed(version.text)
    except _Rehearsed as rehearsed:
        return rehearsed.text


@transaction.atomic
def constitution_propose(
    *,
    chama: Chama,
    acting: Membership,
    rules: Rules,
    text: str = "",
    language: str = Language.ENGLISH,
    closes_at: datetime | None = None,
) -> ConstitutionProposal:
    """The chair puts a new version to the members' vote (the proposal returned, its vote
    open). 403 ``chair_only`` for anyone else; the rules' refusals as a direct adoption,
    among them 409 ``constitution_proposal_open`` while another proposal is before the
    members (the rehearsed adoption refuses it, after the rules' 400s)."""
    chama = chama_lock(chama.pk)  # proposals and adoptions of one chama queue here
    text = _rehearse(chama=chama, acting=acting, rules=rules, text=text, language=language)
    voting = constitution_rules_get(chama=chama).voting  # the rules in force decide
    now = timezone.now()
    proposal_id = uuid.uuid4()
    vote = vote_open(
        chama=chama,
        acting=acting,
        title="Adopt the proposed new version of the constitution",
        description=f"Proposed by {acting.user.full_name} ({acting.member_code}).",
        kind=voting.constitution_majority.value,
        quorum=voting.quorum,
        opens_at=now,
        closes_at=closes_at or now + timedelta(days=PROPOSAL_VOTE_DAYS),
        anonymous=False,
        subject_type=CONSTITUTION_SUBJECT,
        subject_id=proposal_id,
    )
    return ConstitutionProposal.objects.create(
        id=proposal_id,
        chama=chama,
        rules=rules_to_data(rules),
        text=text,
        language=language,
        proposed_by=acting,
        vote=vote,
    )


@vote_outcome(CONSTITUTION_SUBJECT)
def constitution_proposal_decide(vote: Vote) -> None:
    """Inside the close's transaction (the vote locked, so the proposal is decided once):
    passed adopts the proposal with the vote; failed or no quorum rejects it."""
    proposal = ConstitutionProposal.objects.select_related("chama").get(vote=vote)
    if proposal.status != ProposalStatus.PROPOSED:
        return
    proposal.status = ProposalStatus.REJECTED
    if vote.result == VoteResult.PASSED:
        try:
            with transaction.atomic():
                proposal.version = constitution_adopt(
                    chama=proposal.chama,
                    acting=None,
                    vote=vote,
                    rules=rules_from_data(proposal.rules),
                    text=proposal.text,
                    language=proposal.language,
                )
                proposal.status = ProposalStatus.ADOPTED
        except DomainError as exc:
            logger.warning("Passed constitution proposal %s not adopted: %s", proposal.pk, exc)
    proposal.decided_at = timezone.now()
    proposal.save(update_fields=["status", "version", "decided_at", "updated_at"])
