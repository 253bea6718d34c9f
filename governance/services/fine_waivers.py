"""Waiving a fine as the constitution says: an official waives up to its
``fines.waiver_vote_threshold`` alone; a larger waiver goes to the members.

``POST fines/{id}/waive/`` on a fine whose unpaid part (what the waiver would forgive) is over
the threshold opens an open-ballot vote of the active members instead (subject ``fine_waiver``,
the constitution's quorum, simple majority, closing ``WAIVER_VOTE_DAYS`` later), its description
the official's reason. When the vote closes, passed waives what is then left of the fine
(``fine_waive`` with ``acting=None``: the chama decided, Dr 4200 · Cr 1120-M); failed or
without quorum leaves it owed. A fine paid in full meanwhile is left as it is.
"""

from datetime import timedelta

from django.utils import timezone

from core.db import durable
from core.exceptions import ConflictError
from finance.choices import UNPAID_FINE_STATUSES
from finance.exceptions import FineError
from finance.models import Fine
from finance.services.fines import fine_waive, fine_waive_check
from finance.services.fines.issuing import REASON_MAX, fine_reason_clean
from governance.models import Vote, VoteKind, VoteResult
from governance.selectors.constitution import constitution_rules_get
from governance.services.votes import vote_open, vote_outcome
from groups.models import Membership

FINE_WAIVER_SUBJECT = "fine_waiver"
# As a dispute: a meeting or seven days of their phones for the members to vote.
WAIVER_VOTE_DAYS = 7


@durable
def fine_waive_request(*, fine: Fine, acting: Membership, reason: str) -> Fine | Vote:
    """An official asks to waive what is left of ``fine``, saying why: waived at once up to
    the constitution's threshold (the fine returned), else put to the members' vote (the vote
    returned; one open vote per fine, ``409 subject_vote_open`` for another)."""
    fine_waive_check(fine=fine, acting=acting)
    reason = fine_reason_clean(reason, required=FineError.WAIVE_REASON_REQUIRED)
    if fine.status not in UNPAID_FINE_STATUSES:
        raise ConflictError(FineError.SETTLED, status=fine.get_status_display().lower())
    chama = fine.chama
    rules = constitution_rules_get(chama=chama)
    threshold = rules.fines.waiver_vote_threshold
    if threshold is None or fine.unpaid <= threshold:
        return fine_waive(fine=fine, acting=acting, reason=reason, nested=True)
    member, now = fine.membership, timezone.now()
    return vote_open(
        chama=chama,
        acting=acting,
        title=(
            f"Waive {chama.currency} {fine.unpaid:,} of the fine on {member.member_code} "
            f"({fine.reason})"
        )[:200],
        description=reason,
        kind=VoteKind.SIMPLE,
        quorum=rules.voting.quorum,
        opens_at=now,
        closes_at=now + timedelta(days=WAIVER_VOTE_DAYS),
        anonymous=False,
        subject_type=FINE_WAIVER_SUBJECT,
        subject_id=fine.pk,
    )


@vote_outcome(FINE_WAIVER_SUBJECT)
def fine_waiver_decide(vote: Vote) -> None:
    """A passed waiver vote waives what is left of its fine, inside the close's durable
    transaction; any other result, or a fine settled meanwhile, changes nothing."""
    if vote.result != VoteResult.PASSED:
        return
    fine = Fine.objects.select_related("membership").get(pk=vote.subject_id)  # type: ignore[misc]  # a subject vote has one
    if fine.status not in UNPAID_FINE_STATUSES:
        return
    reason = f"Waived by the members' vote: {vote.description or vote.title}"
    fine_waive(fine=fine, acting=None, reason=reason[:REASON_MAX], nested=True)
