"""Votes: an official (or the system, for a dispute) opens a motion; the chair closes it, or
the job does at its deadline; closing counts the ballots, decides and hands the decision to
the outcome registered for the vote's subject, in the same transaction.

Ballots and proxies are in governance.services.ballots.
"""

import logging
from collections.abc import Callable
from datetime import datetime
from decimal import Decimal, InvalidOperation
from uuid import UUID

from django.db import IntegrityError, transaction
from django.db.models import Count
from django.utils import timezone

from core.db import durable
from core.exceptions import ConflictError, ValidationFailed
from governance import notifications
from governance.exceptions import VoteError
from governance.locks import vote_lock
from governance.models import Ballot, Vote, VoteChoice, VoteKind, VoteStatus
from governance.selectors.constitution import constitution_rules_get
from governance.selectors.votes import electorate_of
from governance.vote_math import vote_decide
from groups.choices import Role
from groups.models import Chama, Membership
from groups.rules import official_check

logger = logging.getLogger(__name__)

TITLE_MAX = 200
DESCRIPTION_MAX = 4000
CHAIR = frozenset({Role.CHAIR})

VoteOutcome = Callable[[Vote], None]
# subject_type -> what a decided vote on such a subject does ("expense", "fine_waiver"...).
VOTE_OUTCOMES: dict[str, VoteOutcome] = {}


def vote_outcome(subject_type: str) -> Callable[[VoteOutcome], VoteOutcome]:
    """Register what a closed vote on ``subject_type`` does with its result. The handler runs
    inside the close's durable transaction (a money service it calls takes ``nested=True``);
    if it raises, the vote stays open and the job tries again on its next run."""

    def register(handler: VoteOutcome) -> VoteOutcome:
        VOTE_OUTCOMES[subject_type] = handler
        return handler

    return register


def _clean_text(value: str, *, limit: int, field: str) -> str:
    value = value.strip()
    if len(value) > limit:
        raise ValidationFailed(VoteError.TEXT_TOO_LONG, limit=f"{limit:,}", field=field)
    return value


def _clean_quorum(quorum: Decimal) -> Decimal:
    try:
        valid = quorum.is_finite() and Decimal("0") < quorum <= Decimal("1")
        valid = valid and quorum == quorum.quantize(Decimal("0.001"))
    except InvalidOperation:
        valid = False
    if not valid:
        raise ValidationFailed(VoteError.INVALID_QUORUM, field="quorum")
    return quorum


def _check_subject(subject_type: str, subject_id: UUID | None) -> None:
    if not subject_type and subject_id is None:
        return
    if subject_type not in VOTE_OUTCOMES or subject_id is None:
        raise ValidationFailed(
            VoteError.UNKNOWN_SUBJECT, subject_type=subject_type or "(none)", field="subject_type"
        )


@transaction.atomic
def vote_open(
    *,
    chama: Chama,
    acting: Membership | None,
    title: str,
    description: str = "",
    kind: str | None = None,
    quorum: Decimal | None = None,
    closes_at: datetime,
    anonymous: bool,
    subject_type: str = "",
    subject_id: UUID | None = None,
    opens_at: datetime | None = None,
) -> Vote:
    """Open a motion. ``acting`` None: opened by the system (a job). The electorate is counted
    now: the chama's active members other than the auditor. ``kind`` and ``quorum`` left out
    are the constitution's (its voting rules' majority and quorum)."""
    if acting is not None:
        official_check(acting, chama_id=chama.pk, refused=VoteError.OFFICIALS_ONLY)
    title = _clean_text(title, limit=TITLE_MAX, field="title")
    if not title:
        raise ValidationFailed(VoteError.TITLE_REQUIRED, field="title")
    description = _clean_text(description, limit=DESCRIPTION_MAX, field="description")
    if kind is None or quorum is None:
        voting = constitution_rules_get(chama=chama).voting
        kind = voting.majority.value if kind is None else kind
        quorum = voting.quorum if quorum is None else quorum
    if kind not in VoteKind.values:
        raise ValidationFailed(VoteError.INVALID_KIND, field="kind")
    quorum = _clean_quorum(quorum)
    now = timezone.now()
    opens_at = opens_at or now
    if closes_at <= opens_at or closes_at <= now:
        raise ValidationFailed(VoteError.INVALID_WINDOW, field="closes_at")
    _check_subject(subject_type, subject_id)
    electorate = electorate_of(chama=chama).count()
    if electorate == 0:
        raise ConflictError(VoteError.NO_ELECTORATE)
    try:
        with transaction.atomic():
            vote = Vote.objects.create(
                chama=chama,
                title=title,
                description=description,
                kind=kind,
                quorum=quorum,
                electorate=electorate,
                opens_at=opens_at,
                closes_at=closes_at,
                anonymous=anonymous,
                subject_type=subject_type,
                subject_id=subject_id,
                opened_by=acting,
            )
    except IntegrityError as exc:  # governance_vote_one_open_per_subject
        raise ConflictError(VoteError.SUBJECT_VOTE_OPEN, subject_type=subject_type) from exc
    notifications.vote_opened(vote)
    return vote


def vote_tally(vote: Vote) -> dict[str, int]:
    """The ballots of ``vote`` counted by choice (one grouped query)."""
    counted = dict(
        Ballot.objects.filter(vote=vote)
        .order_by()
        .values_list("choice")
        .annotate(n=Count("id"))
        .values_list("choice", "n")
    )
    return {choice: counted.get(choice, 0) for choice in VoteChoice.values}


@durable
def vote_close(*, vote: Vote, acting: Membership | None) -> Vote:
    """Count and decide. The chair may close at any time (the motion was put at a meeting and
    everyone present voted); the system (``acting`` None) closes only once the deadline has
    passed. A closed vote is returned unchanged: its result is final."""
    if acting is not None:
        official_check(acting, chama_id=vote.chama_id, refused=VoteError.CHAIR_ONLY, roles=CHAIR)
    vote = vote_lock(vote.pk)
    if vote.status == VoteStatus.CLOSED:
        return vote
    now = timezone.now()
    if acting is None and now < vote.closes_at:
        return vote
    tally = vote_tally(vote)
    vote.yes_count = tally[VoteChoice.YES]
    vote.no_count = tally[VoteChoice.NO]
    vote.abstain_count = tally[VoteChoice.ABSTAIN]
    vote.result = vote_decide(
        kind=vote.kind,
        quorum=vote.quorum,
        electorate=vote.electorate,
        yes=vote.yes_count,
        no=vote.no_count,
        abstain=vote.abstain_count,
    )
    vote.status = VoteStatus.CLOSED
    vote.closed_at = now
    vote.closed_by = acting
    # A plain save: auditlog records the result, the tallies and who closed it.
    vote.save(
        update_fields=[
            "status",
            "result",
            "yes_count",
            "no_count",
            "abstain_count",
            "closed_at",
            "closed_by",
            "updated_at",
        ]
    )
    if vote.subject_type:
        VOTE_OUTCOMES[vote.subject_type](vote)
    notifications.vote_result(vote)
    return vote


def votes_close_due(*, now: datetime | None = None) -> int:
    """Close every open vote whose deadline has passed; return how many closed. The due votes
    are found in one query; each closes in its own transaction, so a subject's outcome that
    fails leaves that vote open for the next run without holding back the others. Running it
    twice closes nothing the second time."""
    now = now or timezone.now()
    due = list(
        Vote.objects.filter(status=VoteStatus.OPEN, closes_at__lte=now).only(
            "pk", "chama_id", "closes_at"
        )
    )
    closed = 0
    for vote in due:
        try:
            closed += vote_close(vote=vote, acting=None).status == VoteStatus.CLOSED
        except Exception:  # one subject's failing outcome must not stop the others
            logger.exception("Vote %s could not be closed", vote.pk)
    return closed
