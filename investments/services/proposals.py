"""Proposals to invest idle cash: made by the weekly scan for premium chamas or by an official,
decided by the constitution's ``investments.approval`` (the chair, or the members' vote),
executed once into a holding (investments.services.placements.holding_place).

Execution locks the proposal (investments.locks), checks the idle cash again as it is now,
and places it in the same transaction: two executions at once make one holding."""

from collections.abc import Mapping
from datetime import date, timedelta
from decimal import Decimal
from uuid import UUID

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from core.db import durable
from core.exceptions import ConflictError, ValidationFailed
from core.money import money
from governance.choices import InvestmentApproval
from governance.constitution_rules import Rules
from governance.models import Vote, VoteResult
from governance.selectors.constitution import constitution_rules_get
from governance.services.votes import vote_open, vote_outcome
from groups.choices import Plan, Role
from groups.models import Chama, Membership
from groups.rules import official_check
from investments import notifications
from investments.exceptions import InvestmentError, ProposalError
from investments.locks import proposal_lock
from investments.models import (
    InvestmentOption,
    InvestmentProposal,
    ProposalStatus,
)
from investments.selectors.idle_cash import IdleCash, idle_cash_for
from investments.selectors.options import tax_setting_on
from investments.selectors.proposals import (
    Projection,
    best_projection,
    option_rates_on,
    projection_of,
)
from investments.services.placements import PLACERS, holding_place, holding_terms

PROPOSAL_SUBJECT = "investment_proposal"
# As other decisions put to the members: a week of their phones to vote.
PROPOSAL_VOTE_DAYS = 7
# A proposal's projection is the rate and the idle cash of the day it was made. One nobody
# has decided (nor put to a vote) for a week, or one approved and not placed for a month,
# has been overtaken by events: the next scan expires it and proposes on that day's figures.
UNDECIDED_EXPIRY = timedelta(days=7)
UNPLACED_EXPIRY = timedelta(days=30)
REASON_MAX = 500
CHAIR = frozenset({Role.CHAIR})


def _proposal(
    chama: Chama,
    found: Projection,
    idle: IdleCash,
    created_by: Membership | None,
) -> InvestmentProposal:
    return InvestmentProposal(
        chama=chama,
        option=found.option,
        amount=found.amount,
        cost=found.cost,
        annual_rate=found.annual_rate,
        term_days=found.term_days,
        projected_gross=found.gross,
        projected_tax=found.tax,
        projected_net=found.net,
        reserve_kept=idle.kept.get("reserve", money(0)),
        idle_at_proposal=idle.idle,
        created_by=created_by,
    )


def proposals_propose(
    *, chamas: list[Chama], found: Mapping[UUID, IdleCash], rules: Mapping[UUID, Rules], on: date
) -> int:
    """The scan's proposals: for each premium chama whose idle cash reaches its
    constitution's ``proposal_minimum``, the best eligible option on what fits. One insert
    for all; a chama with an open proposal keeps it (the partial unique index decides).
    Returns how many were made."""
    eligible = [
        chama
        for chama in chamas
        if chama.plan == Plan.PREMIUM
        and found[chama.pk].idle >= rules[chama.pk].investments.proposal_minimum
    ]
    if not eligible:
        return 0
    options = list(InvestmentOption.objects.filter(is_active=True))
    rates, tax = option_rates_on(options, on), tax_setting_on(on)
    drafts = []
    for chama in eligible:
        best = best_projection(options, rates, tax, found[chama.pk].idle)
        if best is not None:
            drafts.append(_proposal(chama, best, found[chama.pk], created_by=None))
    open_before = InvestmentProposal.objects.filter(chama__in=eligible).count()
    InvestmentProposal.objects.bulk_create(drafts, ignore_conflicts=True)
    return InvestmentProposal.objects.filter(chama__in=eligible).count() - open_before


def proposals_expire() -> int:
    """Expire the proposals overtaken by events (see ``UNDECIDED_EXPIRY``): one UPDATE
    however many. A proposal whose vote is open waits for the vote. Returns how many
    expired."""
    now = timezone.now()
    return InvestmentProposal.objects.filter(
        Q(status=ProposalStatus.PROPOSED, vote__isnull=True, created_at__lte=now - UNDECIDED_EXPIRY)
        | Q(status=ProposalStatus.APPROVED, decided_at__lte=now - UNPLACED_EXPIRY)
    ).update(status=ProposalStatus.EXPIRED, updated_at=now)


def _exceeds(amount: Decimal, idle: IdleCash, currency: str) -> ConflictError:
    return ConflictError(
        ProposalError.EXCEEDS_IDLE_CASH,
        currency=currency,
        cost=f"{amount:,}",
        idle=f"{idle.idle:,}",
        field="amount",
    )


@transaction.atomic
def proposal_create(
    *, chama: Chama, acting: Membership, option: InvestmentOption, amount: Decimal
) -> InvestmentProposal:
    """An official proposes ``amount`` (a T-bill's face value) in ``option`` by hand. Refused:
    a closed option, an amount off the option's minimum and increments (400), a cost above
    the idle cash (409 exceeds_idle_cash), another proposal open (409 proposal_open)."""
    official_check(acting, chama_id=chama.pk, refused=ProposalError.OFFICIALS_ONLY)
    if not option.is_active:
        raise ValidationFailed(InvestmentError.OPTION_INACTIVE, field="option_id")
    today = timezone.localdate()
    terms = holding_terms(option=option, amount=amount, placed_on=today, currency=chama.currency)
    tax = tax_setting_on(today)
    assert tax is not None  # holding_terms refused a day without one
    found = projection_of(option, amount, terms.annual_rate, tax)
    idle = idle_cash_for(chama, on=today)
    if found.cost > idle.idle:
        raise _exceeds(found.cost, idle, chama.currency)
    try:
        with transaction.atomic():
            proposal = _proposal(chama, found, idle, created_by=acting)
            proposal.save(force_insert=True)
    except IntegrityError as exc:  # investments_proposal_one_open_per_chama
        raise ConflictError(ProposalError.PROPOSAL_OPEN) from exc
    notifications.investment_proposal(proposal)
    return proposal


def _undecided(proposal: InvestmentProposal) -> None:
    if proposal.status != ProposalStatus.PROPOSED:
        raise ConflictError(
            ProposalError.ALREADY_DECIDED, status=proposal.get_status_display().lower()
        )
    if proposal.vote_id is not None:
        raise ConflictError(ProposalError.VOTE_OPEN)


@durable
def proposal_approve(*, proposal: InvestmentProposal, acting: Membership) -> InvestmentProposal:
    """Approve by the constitution's rule. ``chair``: the chair approves, unless the chair
    proposed it (maker-checker: a proposal the scan made has no maker). ``vote``: an official
    puts it to the members (the proposal stays proposed with its vote; the vote's outcome
    approves or rejects it). Approving twice: 409 proposal_decided."""
    proposal = proposal_lock(proposal.pk)
    chama = proposal.chama
    official_check(acting, chama_id=chama.pk, refused=ProposalError.OFFICIALS_ONLY)
    _undecided(proposal)
    rules = constitution_rules_get(chama=chama)
    if rules.investments.approval == InvestmentApproval.VOTE:
        now = timezone.now()
        proposal.vote = vote_open(
            chama=chama,
            acting=acting,
            title=(
                f"Invest {chama.currency} {proposal.cost:,} in {proposal.option.name} "
                f"(net return {chama.currency} {proposal.projected_net:,})"
            )[:200],
            quorum=rules.voting.quorum,
            closes_at=now + timedelta(days=PROPOSAL_VOTE_DAYS),
            anonymous=False,
            subject_type=PROPOSAL_SUBJECT,
            subject_id=proposal.pk,
        )
        proposal.save(update_fields=["vote", "updated_at"])
        return proposal
    official_check(
        acting,
        chama_id=chama.pk,
        refused=ProposalError.CHAIR_APPROVES,
        roles=CHAIR,
        makers=[proposal.created_by.user_id] if proposal.created_by else [],
        maker_refused=ProposalError.SAME_OFFICIAL,
    )
    proposal.status = ProposalStatus.APPROVED
    proposal.approved_by = acting
    proposal.decided_at = timezone.now()
    proposal.save(update_fields=["status", "approved_by", "decided_at", "updated_at"])
    return proposal


@vote_outcome(PROPOSAL_SUBJECT)
def proposal_vote_decide(vote: Vote) -> None:
    """A passed vote approves its proposal; failed or without quorum rejects it. Runs in the
    vote's closing transaction."""
    proposal = proposal_lock(vote.subject_id)  # type: ignore[arg-type]  # a subject vote has one
    if proposal.status != ProposalStatus.PROPOSED:
        return
    passed = vote.result == VoteResult.PASSED
    proposal.status = ProposalStatus.APPROVED if passed else ProposalStatus.REJECTED
    proposal.decided_at = timezone.now()
    if not passed:
        proposal.rejection_reason = f"The members' vote: {vote.get_result_display().lower()}."
    proposal.save(update_fields=["status", "decided_at", "rejection_reason", "updated_at"])


@durable
def proposal_reject(
    *, proposal: InvestmentProposal, acting: Membership, reason: str
) -> InvestmentProposal:
    """An official turns a proposal down, saying why (while no vote decides it)."""
    proposal = proposal_lock(proposal.pk)
    official_check(acting, chama_id=proposal.chama_id, refused=ProposalError.OFFICIALS_ONLY)
    reason = reason.strip()
    if not reason:
        raise ValidationFailed(ProposalError.REASON_REQUIRED, field="reason")
    if len(reason) > REASON_MAX:
        raise ValidationFailed(ProposalError.TEXT_TOO_LONG, limit=REASON_MAX, field="reason")
    _undecided(proposal)
    proposal.status = ProposalStatus.REJECTED
    proposal.rejection_reason = reason
    proposal.decided_at = timezone.now()
    proposal.save(update_fields=["status", "rejection_reason", "decided_at", "updated_at"])
    return proposal


@durable
def proposal_execute(
    *,
    proposal: InvestmentProposal,
    acting: Membership,
    paying_account_code: str,
    method: str,
    broker_reference: str = "",
    confirmed_price: Decimal | None = None,
    confirmed_tax: Decimal | None = None,
) -> InvestmentProposal:
    """The treasurer or the chair places an approved proposal: refused unless approved (409
    proposal_not_approved), twice (409 proposal_executed), or when its cost is now above
    the idle cash (409 exceeds_idle_cash); else ``holding_place`` in this transaction,
    and the proposal is executed with its holding."""
    official_check(
        acting, chama_id=proposal.chama_id, refused=InvestmentError.OFFICIALS_ONLY, roles=PLACERS
    )
    proposal = proposal_lock(proposal.pk)
    if proposal.status == ProposalStatus.EXECUTED:
        raise ConflictError(InvestmentError.PROPOSAL_EXECUTED)
    if proposal.status != ProposalStatus.APPROVED:
        raise ConflictError(
            ProposalError.NOT_APPROVED, status=proposal.get_status_display().lower()
        )
    chama = proposal.chama
    idle = idle_cash_for(chama)
    if proposal.cost > idle.idle:
        raise _exceeds(proposal.cost, idle, chama.currency)
    holding = holding_place(
        chama=chama,
        option=proposal.option,
        amount_or_face=proposal.amount,
        paying_account_code=paying_account_code,
        method=method,
        acting=acting,
        broker_reference=broker_reference,
        confirmed_price=confirmed_price,
        confirmed_tax=confirmed_tax,
        proposal_id=proposal.pk,
        nested=True,
    )
    proposal.status = ProposalStatus.EXECUTED
    proposal.holding = holding
    proposal.executed_by = acting
    proposal.save(update_fields=["status", "holding", "executed_by", "updated_at"])
    return proposal
