"""The member-position selector family: where one member stands, read straight from the ledger
and the dues, loans and claims tables (DESIGN §3.3).

``member_position_get`` costs seven queries whatever the length of the member's history: the
member's account balances (cached, proved nightly), the active cycle's rounds, the dues owed,
the pots received, the live loans' installments, the unpaid fines and the welfare claims.

Fines and late loan penalties share fines receivable (1120-M): the unpaid fines are read from
their rows, and the penalties are what the account holds beyond them.
"""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any
from uuid import UUID

from django.db.models import OuterRef, Q, QuerySet, Subquery, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone

from core.money import ZERO, money
from finance import chart
from finance.choices import (
    LIVE_LOAN_STATUSES,
    REPAYING_LOAN_STATUSES,
    SETTLED_DUE_STATUSES,
    UNPAID_FINE_STATUSES,
    CycleStatus,
    EntryType,
    LoanStatus,
    RoundStatus,
    Side,
)
from finance.models import Due, Fine, Installment, LedgerAccount, Posting, Round, WelfareClaim
from finance.positions_score import CreditScoreShown, credit_score_shown
from finance.selectors import MONEY_OUTPUT
from groups.models import Membership

# The member's own accounts: what the chama holds for them (credit-normal liabilities) and
# what they owe it (debit-normal assets).
HELD_CODES = (chart.MEMBER_SAVINGS, chart.MEMBER_CREDIT, chart.PROFIT_PAYABLE)
OWED_CODES = (chart.LOANS_RECEIVABLE, chart.FINES_RECEIVABLE)
# A pot reaches its recipient when the pot account pays out: a manual payout, or M-Pesa's
# confirmation of a B2C one (the send only moved the money into 1090).
POT_PAID_TYPES = (EntryType.PAYOUT, EntryType.PAYOUT_COMPLETED)
SHOWN_LOAN_STATUSES = (*LIVE_LOAN_STATUSES, LoanStatus.DEFAULTED)


@dataclass(frozen=True)
class DueOwed:
    cycle: int
    round: int
    due_date: date
    expected: Decimal
    paid: Decimal
    owed: Decimal
    status: str


@dataclass(frozen=True)
class DuesGroup:
    dues: list[DueOwed]

    @property
    def count(self) -> int:
        return len(self.dues)

    @property
    def amount(self) -> Decimal:
        return sum((due.owed for due in self.dues), ZERO)


@dataclass(frozen=True)
class PotReceived:
    cycle: int
    round: int
    date: date
    amount: Decimal


@dataclass(frozen=True)
class PotExpected:
    cycle: int
    round: int
    meeting_date: date
    expected_pot: Decimal


@dataclass(frozen=True)
class NextInstallment:
    number: int
    due_date: date
    amount: Decimal  # what is still owed on it, penalties included
    days_overdue: int


@dataclass(frozen=True)
class LoanStanding:
    id: UUID
    status: str
    principal: Decimal
    outstanding: Decimal
    next_installment: NextInstallment | None


@dataclass(frozen=True)
class ClaimStanding:
    id: UUID
    claim_type: str
    status: str
    amount: Decimal
    submitted_at: date


@dataclass(frozen=True)
class FineOwed:
    id: UUID
    kind: str
    reason: str
    issued_at: date
    amount: Decimal
    paid: Decimal
    owed: Decimal


@dataclass(frozen=True)
class MemberPosition:
    member: Membership
    as_of: date
    savings: Decimal
    credit: Decimal
    profit: Decimal
    fines: list[FineOwed]
    penalties_owed: Decimal
    this_round: DuesGroup
    arrears: DuesGroup
    pots_received: list[PotReceived]
    next_pot: PotExpected | None
    loans: list[LoanStanding]
    welfare_claims: list[ClaimStanding]

    @property
    def total_funds(self) -> Decimal:
        """What the chama holds for the member that counts as theirs: savings and credit."""
        return self.savings + self.credit

    @property
    def fines_owed(self) -> Decimal:
        return sum((fine.owed for fine in self.fines), ZERO)

    @property
    def pots_total(self) -> Decimal:
        return sum((pot.amount for pot in self.pots_received), ZERO)

    @property
    def credit_score(self) -> CreditScoreShown | None:
        """Stored on the membership by the monthly scoring: no query of its own."""
        return credit_score_shown(self.member)


def member_balances_get(*, membership: Membership) -> dict[str, Decimal]:
    """Each of the member's accounts as it reads for them (held or owed, positive), by code."""
    cached = dict(
        LedgerAccount.objects.filter(
            chama_id=membership.chama_id, member=membership, code__in=HELD_CODES + OWED_CODES
        ).values_list("code", "cached_balance")
    )
    return {
        code: money(-cached.get(code, ZERO) if code in HELD_CODES else cached.get(code, ZERO))
        for code in HELD_CODES + OWED_CODES
    }


def pot_receipts(*, membership: Membership) -> QuerySet[Posting]:
    """The postings that paid the member's pots: debits of the pots of the rounds they
    receive, by a payout entry (a reversed contribution debits a pot too, but pays no one)."""
    return Posting.objects.filter(
        account__chama_id=membership.chama_id,
        account__code=chart.POT_PAYABLE,
        account__round__recipient=membership,
        side=Side.DEBIT,
        entry__entry_type__in=POT_PAID_TYPES,
    )


def _active_rounds(membership: Membership) -> list[dict[str, Any]]:
    pot = (
        Due.objects.filter(round=OuterRef("pk"))
        .order_by()
        .values("round")
        .annotate(total=Sum("rotation_amount"))
        .values("total")
    )
    rounds: list[Any] = list(
        Round.objects.filter(chama_id=membership.chama_id, cycle__status=CycleStatus.ACTIVE)
        .annotate(expected_pot=Coalesce(Subquery(pot, output_field=MONEY_OUTPUT), ZERO))
        .order_by("number")
        .values(
            "pk",
            "number",
            "cycle__number",
            "meeting_date",
            "recipient_id",
            "status",
            "expected_pot",
        )
    )
    return rounds


def _current_round(rounds: list[dict[str, Any]], today: date) -> dict[str, Any] | None:
    """The round being collected for: the next meeting on or after today, or the last one
    once every meeting of the cycle has passed."""
    upcoming = [r for r in rounds if r["meeting_date"] >= today]
    return upcoming[0] if upcoming else (rounds[-1] if rounds else None)


def _dues_owed(
    membership: Membership, current: dict[str, Any] | None, today: date
) -> list[dict[str, Any]]:
    fallen = Q(due_date__lt=today)
    if current is not None:
        fallen |= Q(round_id=current["pk"])
    dues: list[Any] = list(
        Due.objects.filter(fallen, membership=membership)
        .exclude(status__in=SETTLED_DUE_STATUSES)
        .order_by("due_date", "round__number")
        .values(
            "round_id",
            "round__number",
            "round__cycle__number",
            "due_date",
            "expected_amount",
            "paid_rotation",
            "paid_savings",
            "paid_welfare",
            "status",
        )
    )
    return dues


def _due(row: dict[str, Any]) -> DueOwed:
    paid = row["paid_rotation"] + row["paid_savings"] + row["paid_welfare"]
    return DueOwed(
        cycle=row["round__cycle__number"],
        round=row["round__number"],
        due_date=row["due_date"],
        expected=row["expected_amount"],
        paid=paid,
        owed=row["expected_amount"] - paid,
        status=row["status"],
    )


def installment_owed(inst: Installment) -> Decimal:
    return inst.total + inst.penalty_charged - inst.interest_waived - inst.paid


def _loans(membership: Membership, today: date) -> list[LoanStanding]:
    """The member's live or defaulted loans, from their installments (one query)."""
    installments = (
        Installment.objects.filter(
            loan__membership=membership, loan__status__in=SHOWN_LOAN_STATUSES
        )
        .select_related("loan")
        .order_by("loan__created_at", "loan_id", "number")
    )
    by_loan: dict[UUID, list[Installment]] = {}
    for inst in installments:
        by_loan.setdefault(inst.loan_id, []).append(inst)
    standings = []
    for schedule in by_loan.values():
        loan = schedule[0].loan
        repaying = loan.status in REPAYING_LOAN_STATUSES
        owing = [i for i in schedule if installment_owed(i) > ZERO] if repaying else []
        following = None
        if owing:
            first = owing[0]
            following = NextInstallment(
                number=first.number,
                due_date=first.due_date,
                amount=installment_owed(first),
                days_overdue=max((today - first.due_date).days, 0),
            )
        standings.append(
            LoanStanding(
                id=loan.pk,
                status=loan.status,
                principal=loan.principal,
                outstanding=sum((installment_owed(i) for i in owing), ZERO),
                next_installment=following,
            )
        )
    return standings


def _fines_owed(membership: Membership) -> list[FineOwed]:
    """The member's fines with something left to pay, oldest first (the order a payment to
    the paybill's ``F`` account settles them)."""
    rows = (
        Fine.objects.filter(membership=membership, status__in=UNPAID_FINE_STATUSES)
        .order_by("created_at", "pk")
        .values("pk", "kind", "reason", "created_at", "amount", "paid_amount")
    )
    return [
        FineOwed(
            id=row["pk"],
            kind=row["kind"],
            reason=row["reason"],
            issued_at=timezone.localdate(row["created_at"]),
            amount=row["amount"],
            paid=row["paid_amount"],
            owed=row["amount"] - row["paid_amount"],
        )
        for row in rows
    ]


def member_position_get(*, membership: Membership, today: date | None = None) -> MemberPosition:
    """Where ``membership`` stands today: money held for them, dues owed this round and in
    arrears, pots received and expected, loans, fines and welfare claims."""
    today = today or timezone.localdate()
    balances = member_balances_get(membership=membership)
    rounds = _active_rounds(membership)
    current = _current_round(rounds, today)
    dues = _dues_owed(membership, current, today)
    current_pk = current["pk"] if current is not None else None
    received = [
        PotReceived(
            cycle=row["account__round__cycle__number"],
            round=row["account__round__number"],
            date=row["entry__effective_date"],
            amount=row["amount"],
        )
        for row in pot_receipts(membership=membership)
        .order_by("entry__effective_date", "entry__created_at", "pk")
        .values(
            "account__round__cycle__number",
            "account__round__number",
            "entry__effective_date",
            "amount",
        )
    ]
    own_round = next(
        (
            r
            for r in rounds
            if r["recipient_id"] == membership.pk and r["status"] != RoundStatus.PAID
        ),
        None,
    )
    claims = WelfareClaim.objects.filter(membership=membership).order_by("-created_at")
    fines = _fines_owed(membership)
    return MemberPosition(
        member=membership,
        as_of=today,
        savings=balances[chart.MEMBER_SAVINGS],
        credit=balances[chart.MEMBER_CREDIT],
        profit=balances[chart.PROFIT_PAYABLE],
        fines=fines,
        penalties_owed=balances[chart.FINES_RECEIVABLE] - sum((f.owed for f in fines), ZERO),
        this_round=DuesGroup([_due(d) for d in dues if d["round_id"] == current_pk]),
        arrears=DuesGroup([_due(d) for d in dues if d["round_id"] != current_pk]),
        pots_received=received,
        next_pot=None
        if own_round is None
        else PotExpected(
            cycle=own_round["cycle__number"],
            round=own_round["number"],
            meeting_date=own_round["meeting_date"],
            expected_pot=money(own_round["expected_pot"]),
        ),
        loans=_loans(membership, today),
        welfare_claims=[
            ClaimStanding(
                id=c["pk"],
                claim_type=c["claim_type"],
                status=c["status"],
                amount=c["amount"],
                submitted_at=timezone.localdate(c["created_at"]),
            )
            for c in claims.values("pk", "claim_type", "status", "amount", "created_at")
        ],
    )
