"""The round selector family: a round's summary (its pot in named units, its defaulters and
what each owes by part) and the accounts a payout could leave from, with the method to
suggest. Read by the round API, the payout services and the top-up watch."""

from dataclasses import dataclass
from decimal import Decimal
from uuid import UUID

from django.db.models import OuterRef, Subquery, Sum, Value
from django.db.models.functions import Coalesce

from core.money import ZERO, money
from finance import chart
from finance.choices import SETTLED_DUE_STATUSES, DueStatus, PayoutMethod, PayoutStatus
from finance.gateways import PAYOUT_GATEWAYS
from finance.models import Due, LedgerAccount, Payout, Round
from finance.selectors import MONEY_OUTPUT, normal_balance


@dataclass(frozen=True)
class DueOwed:
    """What a member still owes of one due, by the parts it splits into."""

    rotation: Decimal
    savings: Decimal
    welfare: Decimal
    total: Decimal


@dataclass(frozen=True)
class Defaulter:
    member_id: UUID
    full_name: str
    owes: DueOwed


@dataclass(frozen=True)
class PayingAccount:
    """An account an outflow can leave from, by the payout method that names it."""

    method: str
    code: str
    name: str
    holds: Decimal


# The order a payout method is suggested in: M-Pesa pays the recipient's phone directly.
SUGGESTED_ORDER = (PayoutMethod.MPESA, PayoutMethod.BANK, PayoutMethod.CASH)


def paying_accounts_get(*, chama_id: UUID) -> list[PayingAccount]:
    """What each available payout method would pay from, and what that account holds now."""
    gateways = [PAYOUT_GATEWAYS[m] for m in SUGGESTED_ORDER if m in PAYOUT_GATEWAYS]
    accounts = {
        a.code: a
        for a in LedgerAccount.objects.filter(
            chama_id=chama_id, code__in=[g.source_code for g in gateways], member=None, round=None
        )
    }
    return [
        PayingAccount(
            method=g.method,
            code=g.source_code,
            name=accounts[g.source_code].name,
            holds=normal_balance(accounts[g.source_code], accounts[g.source_code].cached_balance),
        )
        for g in gateways
        if g.source_code in accounts
    ]


def payout_method_suggest(accounts: list[PayingAccount], amount: Decimal) -> str | None:
    """The first method whose account covers ``amount`` (None when none does)."""
    return next((a.method for a in accounts if amount > ZERO and a.holds >= amount), None)


@dataclass(frozen=True)
class RoundSummary:
    """A round's pot in named units: ``expected_pot``, ``collected`` and ``pot_remaining``
    count the rotation parts of its dues (owed to the pot); ``pot_balance`` is what the pot
    holds now and ``paid_out`` what completed payouts took from it."""

    round: Round
    expected_pot: Decimal
    collected: Decimal
    pot_remaining: Decimal
    pot_balance: Decimal
    paid_out: Decimal
    is_disbursable: bool
    defaulters: list[Defaulter]
    paying_accounts: list[PayingAccount]
    suggested_method: str | None


def _pot_get(round: Round) -> tuple[Decimal, Decimal]:
    """What the round's pot holds now and what completed payouts took from it, in one query."""
    paid_out = (
        Payout.objects.filter(round=OuterRef("round_id"), status=PayoutStatus.COMPLETED)
        .order_by()
        .values("round")
        .annotate(total=Sum("amount"))
        .values("total")
    )
    pot = (
        LedgerAccount.objects.filter(code=chart.POT_PAYABLE, round=round)
        .annotate(paid_out=Coalesce(Subquery(paid_out, output_field=MONEY_OUTPUT), Value(ZERO)))
        .values_list("cached_balance", "paid_out")
        .first()
    )
    if pot is None:
        return ZERO, ZERO
    balance, taken = pot
    return -balance, money(taken)  # a liability: its credits are what it holds


def _owed(due: Due) -> DueOwed:
    return DueOwed(
        rotation=due.rotation_amount - due.paid_rotation,
        savings=due.savings_amount - due.paid_savings,
        welfare=due.welfare_amount - due.paid_welfare,
        total=due.remaining,
    )


def round_summary_get(*, round: Round) -> RoundSummary:
    """The pot a round expects and has collected (the rotation parts of its dues), what it
    holds and has paid out, and who still owes what. Disbursable once every due's rotation
    part is settled (or the due waived)."""
    dues = list(
        Due.objects.filter(round=round)
        .select_related("membership__user")
        .order_by("membership__seat", "membership__member_code")
    )
    expected = sum((due.rotation_amount for due in dues), ZERO)
    collected = sum((due.paid_rotation for due in dues), ZERO)
    pot_balance, paid_out = _pot_get(round)
    paying = paying_accounts_get(chama_id=round.chama_id)
    return RoundSummary(
        round=round,
        expected_pot=expected,
        collected=collected,
        pot_remaining=expected - collected,
        pot_balance=pot_balance,
        paid_out=paid_out,
        is_disbursable=all(
            due.paid_rotation == due.rotation_amount or due.status == DueStatus.WAIVED
            for due in dues
        ),
        defaulters=[
            Defaulter(
                member_id=due.membership_id,
                full_name=due.membership.user.full_name,
                owes=_owed(due),
            )
            for due in dues
            if due.status not in SETTLED_DUE_STATUSES
        ],
        paying_accounts=paying,
        suggested_method=payout_method_suggest(paying, pot_balance),
    )
