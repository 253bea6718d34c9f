"""The 48-hour dispute: an expense above the chair threshold that the officials have not
approved within 48 hours goes to the members.

The hourly job (``expense_escalation``) opens, once per expense, an anonymous vote of every
active member (the auditor observes), simple majority, with the constitution's dispute quorum
(70% by default), closing ``DISPUTE_DAYS`` later. While it is open the expense is disputed and
takes no signatures. When the vote closes (the votes' close job, or the chair), its outcome
decides the expense: passed approves it (Dr 5100 · Cr 2400, as the last signature would);
failed rejects it; no quorum rejects it too: money leaves only with someone's approval, and
neither the officials nor enough members gave it. The treasurer may record it again.
"""

import logging
from datetime import datetime, timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from governance.locks import expense_lock
from governance.models import Expense, ExpenseStatus, Vote, VoteKind, VoteResult
from governance.selectors.constitution import constitution_rules_get
from governance.selectors.expenses import expense_list_escalation_due
from governance.services.expenses import expense_approval_post, expense_rejection_record
from governance.services.votes import vote_open, vote_outcome

logger = logging.getLogger(__name__)

EXPENSE_SUBJECT = "expense"
# A week: every chama meets at least monthly, most weekly; the members have a meeting or
# seven days of their phones to vote.
DISPUTE_DAYS = 7
REJECTED_BY_VOTE = "Rejected by the members in the dispute vote."
REJECTED_NO_QUORUM = "The members' dispute vote did not reach its quorum: not approved."


@transaction.atomic
def expense_dispute_open(*, expense: Expense, quorum: Decimal, now: datetime) -> Vote | None:
    """Take one pending expense to the members: open its dispute vote and mark it disputed.
    None when it is no longer pending or already had its vote (a repeated run)."""
    expense = expense_lock(expense.pk)
    if expense.status != ExpenseStatus.PENDING or expense.dispute_vote_id is not None:
        return None
    chama = expense.chama
    vote = vote_open(
        chama=chama,
        acting=None,
        title=(
            f"Dispute: {expense.get_category_display().lower()} expense of "
            f"{chama.currency} {expense.amount:,} to {expense.payee}"
        )[:200],
        description=(
            f"The officials did not approve this expense within 48 hours of "
            f"{timezone.localtime(expense.created_at):%Y-%m-%d %H:%M}. Yes approves it; no "
            f"rejects it. {expense.description}"
        )[:4000],
        kind=VoteKind.SIMPLE,
        quorum=quorum,
        closes_at=now + timedelta(days=DISPUTE_DAYS),
        anonymous=True,
        subject_type=EXPENSE_SUBJECT,
        subject_id=expense.pk,
    )
    expense.status = ExpenseStatus.DISPUTED
    expense.dispute_vote = vote
    expense.save(update_fields=["status", "dispute_vote", "updated_at"])
    return vote


def expense_escalation(*, now: datetime | None = None) -> int:
    """Open a dispute vote for every expense due one (``expense_list_escalation_due``, one
    query); return how many opened. Each chama's rules are read once; each vote opens in its
    own transaction, so one that fails (a chama with nobody to vote) is logged and tried again
    on the next run without holding back the others. Running it twice opens nothing the
    second time: a disputed expense is no longer pending."""
    now = now or timezone.now()
    quorums: dict[object, Decimal] = {}
    opened = 0
    for expense in expense_list_escalation_due(now=now):
        chama = expense.chama
        if chama.pk not in quorums:
            quorums[chama.pk] = constitution_rules_get(chama=chama).voting.dispute_quorum
        try:
            vote = expense_dispute_open(expense=expense, quorum=quorums[chama.pk], now=now)
        except Exception:  # one chama's failure must not stop the others
            logger.exception("No dispute vote could be opened for expense %s", expense.pk)
            continue
        opened += vote is not None
    return opened


@vote_outcome(EXPENSE_SUBJECT)
def expense_dispute_decide(vote: Vote) -> None:
    """The closed dispute vote decides its expense, inside the close's durable transaction
    (the vote locked first, then the expense). A vote that is not the expense's open dispute
    (opened by hand on it, or decided already) changes nothing."""
    expense = expense_lock(vote.subject_id)  # type: ignore[arg-type]  # a subject vote has one
    if expense.status != ExpenseStatus.DISPUTED or expense.dispute_vote_id != vote.pk:
        return
    if vote.result == VoteResult.PASSED:
        expense_approval_post(expense, recorded_by=None)
    elif vote.result == VoteResult.FAILED:
        expense_rejection_record(expense, reason=REJECTED_BY_VOTE)
    else:
        expense_rejection_record(expense, reason=REJECTED_NO_QUORUM)
