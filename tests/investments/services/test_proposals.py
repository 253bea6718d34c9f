"""Proposals: made by the scan or by hand within idle cash, approved by the constitution's
rule, executed once into a holding. Umoja (tests/investments/idle_fixtures.py) has 107,500
idle today; the seeded money-market fund pays 12% a year (from 2025), the best option on it."""

from datetime import timedelta
from decimal import Decimal

import pytest

from core.exceptions import ConflictError, PermissionDeniedError, ValidationFailed
from finance.models import JournalEntry
from finance.services.loans import loan_apply, loan_approve
from governance.choices import InvestmentApproval
from governance.models import Vote, VoteChoice
from governance.services.ballots import ballot_cast
from governance.services.votes import vote_close
from investments.choices import OptionKind
from investments.models import Holding, InvestmentOption, InvestmentProposal, ProposalStatus
from investments.services.idle_cash import idle_cash_scan
from investments.services.proposals import (
    proposal_approve,
    proposal_create,
    proposal_execute,
    proposal_reject,
)
from tests.investments.fixtures import legs
from tests.investments.idle_fixtures import TODAY, at, investment_rules_adopt

pytestmark = pytest.mark.django_db


def fund() -> InvestmentOption:
    return InvestmentOption.objects.get(kind=OptionKind.MONEY_MARKET)


def tbill_91() -> InvestmentOption:
    return InvestmentOption.objects.get(kind=OptionKind.TBILL_91)


def scanned(umoja) -> InvestmentProposal:
    with at(TODAY):
        idle_cash_scan()
    return InvestmentProposal.objects.get(chama=umoja.chama)


def test_the_scan_proposes_the_best_option_once(umoja):
    with at(TODAY):
        first = idle_cash_scan()
        second = idle_cash_scan()

    proposal = InvestmentProposal.objects.get(chama=umoja.chama)
    assert (first.proposals_made, second.proposals_made) == (1, 0)
    # A year in the fund: 107,500 x 12% = 12,900.00, tax 15% = 1,935.00. The 364-day bill's
    # 100,000 face would cost 89,791.87 + its tax and net less than 8,700 in the year.
    assert proposal.option == fund()
    assert (proposal.amount, proposal.cost, proposal.term_days) == (
        Decimal("107500.00"),
        Decimal("107500.00"),
        365,
    )
    assert (proposal.projected_gross, proposal.projected_tax, proposal.projected_net) == (
        Decimal("12900.00"),
        Decimal("1935.00"),
        Decimal("10965.00"),
    )
    assert (proposal.reserve_kept, proposal.idle_at_proposal) == (
        Decimal("10000.00"),
        Decimal("107500.00"),
    )
    assert proposal.created_by is None
    assert proposal.status == ProposalStatus.PROPOSED


def test_a_hand_proposal_of_a_tbill_shows_its_price_and_tax(umoja):
    with at(TODAY):
        proposal = proposal_create(
            chama=umoja.chama, acting=umoja.treasurer, option=tbill_91(), amount=Decimal("100000")
        )

    # Independently: 100,000 / (1 + 0.096 x 91 / 365) = 97,662.52; discount 2,337.48;
    # tax 15% = 350.62 paid up front with the price.
    price = (Decimal("100000") / (1 + Decimal("0.096") * 91 / 365)).quantize(Decimal("0.01"))
    assert price == Decimal("97662.52")
    assert proposal.cost == Decimal("98013.14")  # the price and its tax
    assert (proposal.projected_gross, proposal.projected_tax, proposal.projected_net) == (
        Decimal("2337.48"),
        Decimal("350.62"),
        Decimal("1986.86"),
    )
    assert proposal.created_by == umoja.treasurer


@pytest.mark.parametrize(
    ("kind", "amount", "error", "message"),
    [
        (
            OptionKind.MONEY_MARKET,
            "107501.00",
            ConflictError,
            "This would take KES 107,501.00 of cash; the chama's idle cash is KES 107,500.00.",
        ),
        (
            OptionKind.MONEY_MARKET,
            "999.00",
            ValidationFailed,
            "The least Money-market fund (demo) takes is KES 1,000.00.",
        ),
        (
            OptionKind.TBILL_91,
            "120000.00",
            ValidationFailed,
            "Above KES 100,000.00, 91-day Treasury bill goes up in multiples of KES 50,000.00.",
        ),
    ],
)
def test_bad_hand_proposals_are_refused_and_write_nothing(umoja, kind, amount, error, message):
    option = InvestmentOption.objects.get(kind=kind)
    with at(TODAY), pytest.raises(error) as refused:
        proposal_create(
            chama=umoja.chama, acting=umoja.treasurer, option=option, amount=Decimal(amount)
        )

    assert refused.value.message == message
    assert not InvestmentProposal.objects.exists()


def test_a_second_open_proposal_is_refused(umoja):
    scanned(umoja)
    with at(TODAY), pytest.raises(ConflictError) as refused:
        proposal_create(
            chama=umoja.chama, acting=umoja.treasurer, option=fund(), amount=Decimal("1000")
        )

    assert refused.value.code == "proposal_open"
    assert InvestmentProposal.objects.count() == 1


def test_the_chair_approves_once(umoja):
    proposal = scanned(umoja)

    with pytest.raises(PermissionDeniedError) as treasurer:
        proposal_approve(proposal=proposal, acting=umoja.treasurer)
    approved = proposal_approve(proposal=proposal, acting=umoja.chair)
    with pytest.raises(ConflictError) as twice:
        proposal_approve(proposal=proposal, acting=umoja.chair)

    assert treasurer.value.message == "This chama's constitution has the chair approve investments."
    assert (approved.status, approved.approved_by) == (ProposalStatus.APPROVED, umoja.chair)
    assert twice.value.code == "proposal_decided"
    assert twice.value.message == (
        "Only a proposal awaiting a decision can be approved or rejected; this one is "
        "approved, awaiting execution."
    )


def test_the_chair_does_not_approve_her_own_proposal(umoja):
    with at(TODAY):
        proposal = proposal_create(
            chama=umoja.chama, acting=umoja.chair, option=fund(), amount=Decimal("50000")
        )

    with pytest.raises(PermissionDeniedError) as refused:
        proposal_approve(proposal=proposal, acting=umoja.chair)

    assert refused.value.code == "same_official"
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.PROPOSED


def test_by_vote_the_members_decide(umoja):
    with at(TODAY):
        investment_rules_adopt(umoja, approval=InvestmentApproval.VOTE)
    proposal = scanned(umoja)

    opened = proposal_approve(proposal=proposal, acting=umoja.secretary)
    with pytest.raises(ConflictError) as again:
        proposal_approve(proposal=proposal, acting=umoja.chair)
    vote = Vote.objects.get(pk=opened.vote_id)
    for role in ("chair", "treasurer", "secretary", "member"):
        ballot_cast(vote=vote, acting=umoja.members[role], choice=VoteChoice.YES)
    vote_close(vote=vote, acting=umoja.chair)

    proposal.refresh_from_db()
    assert opened.status == ProposalStatus.PROPOSED
    assert again.value.code == "proposal_vote_open"
    assert (proposal.status, proposal.vote_id) == (ProposalStatus.APPROVED, vote.pk)


def test_a_failed_vote_rejects(umoja):
    with at(TODAY):
        investment_rules_adopt(umoja, approval=InvestmentApproval.VOTE)
    proposal = scanned(umoja)
    vote = Vote.objects.get(pk=proposal_approve(proposal=proposal, acting=umoja.chair).vote_id)
    for role in ("chair", "treasurer", "secretary"):
        ballot_cast(vote=vote, acting=umoja.members[role], choice=VoteChoice.NO)

    vote_close(vote=vote, acting=umoja.chair)

    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.REJECTED
    assert proposal.rejection_reason == "The members' vote: failed."


def test_rejected_with_a_reason(umoja):
    proposal = proposal_reject(proposal=scanned(umoja), acting=umoja.secretary, reason="Later")

    assert (proposal.status, proposal.rejection_reason) == (ProposalStatus.REJECTED, "Later")


def test_execution_places_the_holding_once(umoja):
    proposal = scanned(umoja)
    with at(TODAY), pytest.raises(ConflictError) as unapproved:
        proposal_execute(
            proposal=proposal, acting=umoja.treasurer, paying_account_code="1030", method="manual"
        )
    proposal_approve(proposal=proposal, acting=umoja.chair)
    entries = JournalEntry.objects.count()

    with at(TODAY):
        executed = proposal_execute(
            proposal=proposal,
            acting=umoja.treasurer,
            paying_account_code="1030",
            method="manual",
            broker_reference="DAM-2026-0042",
        )
        with pytest.raises(ConflictError) as twice:
            proposal_execute(
                proposal=proposal,
                acting=umoja.treasurer,
                paying_account_code="1030",
                method="manual",
            )

    assert unapproved.value.message == (
        "Only an approved proposal can be executed; this one is proposed, awaiting a decision."
    )
    holding = Holding.objects.get()
    assert (executed.status, executed.holding, holding.proposal_id) == (
        ProposalStatus.EXECUTED,
        holding,
        proposal.pk,
    )
    assert JournalEntry.objects.count() == entries + 1
    assert sorted(legs(holding.placement_entry_id)) == sorted(
        [("D", "1200", Decimal("107500.00")), ("C", "1030", Decimal("107500.00"))]
    )
    assert twice.value.code == "proposal_executed"


def test_execution_rechecks_the_idle_cash_now(umoja):
    proposal = scanned(umoja)
    proposal_approve(proposal=proposal, acting=umoja.chair)
    with at(TODAY):
        loan = loan_apply(
            chama=umoja.chama,
            membership=umoja.treasurer,
            acting=umoja.treasurer,
            principal=Decimal("5000.00"),
            term_months=3,
        )
        loan_approve(loan=loan, acting=umoja.chair)  # 5,000 more must be kept
        with pytest.raises(ConflictError) as refused:
            proposal_execute(
                proposal=proposal,
                acting=umoja.treasurer,
                paying_account_code="1030",
                method="manual",
            )

    assert refused.value.message == (
        "This would take KES 107,500.00 of cash; the chama's idle cash is KES 102,500.00."
    )
    assert not Holding.objects.exists()
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.APPROVED


def test_next_week_a_decided_proposal_makes_room_for_a_new_one(umoja):
    proposal_reject(proposal=scanned(umoja), acting=umoja.chair, reason="Not now")

    with at(TODAY + timedelta(days=7)):
        made = idle_cash_scan().proposals_made

    assert made == 1
    assert InvestmentProposal.objects.filter(status=ProposalStatus.PROPOSED).count() == 1


def test_a_week_undecided_the_next_scan_expires_it_and_proposes_afresh(umoja):
    stale = scanned(umoja)

    with at(TODAY + timedelta(days=6)):
        assert idle_cash_scan().proposals_made == 0
    with at(TODAY + timedelta(days=7)):
        assert idle_cash_scan().proposals_made == 1

    stale.refresh_from_db()
    assert stale.status == ProposalStatus.EXPIRED
    assert InvestmentProposal.objects.get(status=ProposalStatus.PROPOSED) != stale


def test_a_proposal_being_voted_on_waits_for_its_vote(umoja):
    with at(TODAY):
        investment_rules_adopt(umoja, approval=InvestmentApproval.VOTE)
        proposal = proposal_approve(proposal=scanned(umoja), acting=umoja.treasurer)

    with at(TODAY + timedelta(days=14)):
        assert idle_cash_scan().proposals_made == 0

    proposal.refresh_from_db()
    assert (proposal.status, proposal.vote_id is not None) == (ProposalStatus.PROPOSED, True)


def test_approved_and_not_placed_for_a_month_it_expires(umoja):
    with at(TODAY):
        proposal = proposal_approve(proposal=scanned(umoja), acting=umoja.chair)

    with at(TODAY + timedelta(days=29)):
        idle_cash_scan()
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.APPROVED

    with at(TODAY + timedelta(days=30)):
        idle_cash_scan()
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.EXPIRED
