"""A round's pot after its payout: what it can still pay, the top-ups that pay it on, and the
cycle that completes once every pot is empty.

Money reaches a pot only through dues (``finance.services.dues``), which may happen at any
time: a defaulter paying after an early payout, a payment landing while a payout waits. What
a pot holds is read after the transaction's own balances are applied (``core.db`` checks run
after the ledger's), with the pot's row locked by that update, so a payout being approved at
the same moment either sees the money or has already left and leaves it to a top-up.
"""

import uuid
from decimal import Decimal
from typing import Any

from django.db.models import QuerySet, Sum

from accounts.models import User
from core.db import before_commit, gathered
from core.money import ZERO
from finance import chart
from finance.choices import CycleStatus, PayoutKind, PayoutMethod, PayoutStatus, RoundStatus
from finance.locks import cycle_lock
from finance.models import Cycle, LedgerAccount, Payout, Round
from finance.rounds import paying_accounts_get, payout_method_suggest
from finance.services.ledger import ledger_account_get, ledger_read_after_balances

TOP_UPS_HOOK = "finance.payouts.top_ups"


def round_label(rnd: Round) -> str:
    return f"{rnd.cycle.number}.{rnd.number}"


def pot_account(rnd: Round) -> LedgerAccount:
    return ledger_account_get(chama=rnd.chama, code=chart.POT_PAYABLE, round=rnd)


def pot_payable(rnd: Round, pot: LedgerAccount) -> Decimal:
    """What the pot holds that no payout is carrying yet: its balance (a liability, so its
    credits) less the payouts in flight, which leave it when M-Pesa confirms them."""
    in_flight = Payout.objects.filter(round=rnd, status=PayoutStatus.IN_FLIGHT).aggregate(
        total=Sum("amount")
    )["total"]
    return -pot.cached_balance - (in_flight or ZERO)


def payout_awaiting(rnd: Round) -> Payout | None:
    """The round's payout awaiting approval (at most one: a database constraint)."""
    return Payout.objects.filter(round=rnd, status=PayoutStatus.REQUESTED).first()


def top_up_make(
    *,
    rnd: Round,
    amount: Decimal,
    method: str,
    requested_by: User | None,
    automatic: bool,
) -> Payout:
    """A requested top-up to the round's recipient (the caller checked the round is paid, holds
    ``amount`` beyond what is in flight, and has no payout awaiting approval)."""
    return Payout.objects.create(
        chama=rnd.chama,
        round=rnd,
        recipient=rnd.recipient,
        kind=PayoutKind.TOP_UP,
        automatic=automatic,
        amount=amount,
        method=method,
        destination=rnd.recipient.receive_phone,
        requested_by=requested_by,
        external_id=uuid.uuid4().hex,
    )


def _top_up_propose(rnd: Round, proposed_by: User | None) -> Payout | None:
    if payout_awaiting(rnd) is not None:
        return None  # its approval pays the whole balance, this money too
    amount = pot_payable(rnd, pot_account(rnd))
    if amount <= ZERO:
        return None
    primary = rnd.payouts.filter(kind=PayoutKind.PRIMARY, status=PayoutStatus.COMPLETED).first()
    # Paid from an account that holds it (where the money arrived, usually), else as the pot
    # was: officials may reject it and request the top-up by another method.
    method = payout_method_suggest(paying_accounts_get(chama_id=rnd.chama_id), amount)
    return top_up_make(
        rnd=rnd,
        amount=amount,
        method=method or (primary.method if primary else PayoutMethod.CASH),
        requested_by=proposed_by,
        automatic=True,
    )


def _top_ups_propose_gathered() -> None:
    rows = gathered(TOP_UPS_HOOK)
    paid = {round_id for round_id, known_paid, _ in rows if known_paid}
    makers: dict[uuid.UUID, User | None] = {}
    for round_id, _, user in rows:
        if round_id in paid:
            makers.setdefault(round_id, user)
    rows.clear()
    if not makers:
        return
    rounds = (
        Round.objects.filter(pk__in=makers, status=RoundStatus.PAID)
        .select_related("chama", "cycle", "recipient")
        .order_by("pk")
    )
    for rnd in rounds:
        _top_up_propose(rnd, makers[rnd.pk])


def _rounds_paid_meanwhile() -> "QuerySet[Round, tuple[uuid.UUID]]":
    """Which of the watched rounds, open when they were read, are paid now."""
    unseen = {round_id for round_id, known_paid, _ in gathered(TOP_UPS_HOOK) if not known_paid}
    return Round.objects.filter(pk__in=unseen, status=RoundStatus.PAID).values_list("pk")


def _paid_meanwhile(rows: list[tuple[Any, ...]]) -> None:
    paid = {round_id for (round_id,) in rows}
    watched = gathered(TOP_UPS_HOOK)
    watched[:] = [(pk, known or pk in paid, by) for pk, known, by in watched]


def pot_top_ups_watch(*, rounds: list[Round], proposed_by: User | None) -> None:
    """Money moved in these rounds' pots in this transaction: at its end, once the balances
    are applied, a pot of a paid round still holding money gets a top-up proposed, unless one
    awaits approval. ``proposed_by`` (who recorded the money) is the top-up's maker.

    A round read as paid stays paid. One read as open may have been paid since by an approval
    that held the pot's lock first: which are is read under the pots' locks, with the
    statement that applies the balances (``ledger_read_after_balances``)."""
    if not rounds:
        return
    watched = [(rnd.pk, rnd.status == RoundStatus.PAID, proposed_by) for rnd in rounds]
    gathered(TOP_UPS_HOOK).extend(watched)
    if not all(known_paid for _, known_paid, _ in watched):
        ledger_read_after_balances(
            key=TOP_UPS_HOOK, read=_rounds_paid_meanwhile, use=_paid_meanwhile
        )
    before_commit(TOP_UPS_HOOK, _top_ups_propose_gathered, check=True)


def cycle_completion_watch(cycle: Cycle) -> None:
    """A round of ``cycle`` was just paid: at the transaction's end, once the balances are
    applied, the cycle completes if every round is paid and every pot is empty; otherwise it
    stays active until the top-ups drain it."""

    def complete() -> None:
        # Locked last, after the accounts: two rounds paid at once each see the other's.
        locked = cycle_lock(cycle.pk)
        done = (
            locked.status == CycleStatus.ACTIVE
            and not locked.rounds.exclude(status=RoundStatus.PAID).exists()
            and not LedgerAccount.objects.filter(code=chart.POT_PAYABLE, round__cycle=locked)
            .exclude(cached_balance=ZERO)
            .exists()
        )
        if done:
            locked.status = CycleStatus.COMPLETED
            locked.save(update_fields=["status", "updated_at"])
            cycle.status = locked.status

    before_commit(f"finance.payouts.cycle:{cycle.pk}", complete, check=True)
