"""Every row lock in finance, always taken in this order so concurrent services never deadlock:

    chama (groups.locks) → round → membership → contribution / payout / welfare claim / loan
    / fines (oldest first) → suspense receipt → ledger transfer → ledger accounts by pk → cycle

A cycle is locked only to complete it, at the end of the transaction that paid its last pot.

``of=("self",)`` locks only the named row, not the rows it is joined to for reading, and
``no_key=True`` (FOR NO KEY UPDATE) lets other transactions still insert rows that reference
it: a posting's entry naming the member must not wait on that member's lock.
"""

from collections.abc import Iterable
from typing import Literal, overload
from uuid import UUID

from django.db.models import Subquery

from finance.choices import UNPAID_FINE_STATUSES
from finance.models import (
    Contribution,
    Cycle,
    Fine,
    LedgerAccount,
    LedgerTransfer,
    Loan,
    Payout,
    Round,
    SuspenseReceipt,
    WelfareClaim,
)
from groups.models import Membership


def round_lock(round_id: UUID) -> Round:
    return (
        Round.objects.select_for_update(of=("self",), no_key=True)
        .select_related("chama", "cycle")
        .get(pk=round_id)
    )


def cycle_lock(cycle_id: UUID) -> Cycle:
    return Cycle.objects.select_for_update(of=("self",)).get(pk=cycle_id)


@overload
def membership_lock(membership_id: UUID) -> Membership: ...
@overload
def membership_lock(membership_id: UUID, *, missing_ok: Literal[True]) -> Membership | None: ...
def membership_lock(membership_id: UUID, *, missing_ok: bool = False) -> Membership | None:
    """Serialises everything that applies money to one member's dues and credit. With
    ``missing_ok``, an id that names no member (a request's) gives None."""
    try:
        # get(), not first(): one row by its key needs no ORDER BY to build or to sort.
        return (
            Membership.objects.select_for_update(of=("self",), no_key=True)
            .select_related("chama", "user")
            .get(pk=membership_id)
        )
    except Membership.DoesNotExist:
        if missing_ok:
            return None
        raise


def borrower_lock(loan_id: UUID, chama_id: UUID) -> Membership | None:
    """The borrower of a loan of this chama, locked as ``membership_lock`` locks (None when the
    chama has no such loan): a request that names only the loan takes the member first, as
    the lock order says, in one query."""
    loan = Loan.objects.filter(pk=loan_id, chama_id=chama_id).values("membership_id")
    borrower = (
        Membership.objects.select_for_update(of=("self",), no_key=True)
        .select_related("chama", "user")
        .filter(pk=Subquery(loan))
        .first()
    )
    return borrower


def contribution_lock(contribution_id: UUID) -> Contribution:
    return (
        Contribution.objects.select_for_update(of=("self",))
        .select_related("entry")
        .get(pk=contribution_id)
    )


def loan_lock(loan_id: UUID) -> Loan:
    return (
        Loan.objects.select_for_update(of=("self",), no_key=True)
        .select_related("chama", "membership__user")
        .get(pk=loan_id)
    )


def payout_lock(payout_id: UUID) -> Payout:
    return (
        Payout.objects.select_for_update(of=("self",)).select_related("recipient").get(pk=payout_id)
    )


def welfare_claim_lock(claim_id: UUID) -> WelfareClaim:
    return (
        WelfareClaim.objects.select_for_update(of=("self",))
        .select_related("chama", "membership__user")
        .get(pk=claim_id)
    )


def fine_lock(fine_id: UUID) -> Fine:
    """One fine, paid or waived once at a time (its member's lock is taken first)."""
    return (
        Fine.objects.select_for_update(of=("self",))
        .select_related("chama", "membership__user")
        .get(pk=fine_id)
    )


def fines_unpaid_lock(membership_id: UUID) -> list[Fine]:
    """A member's unpaid fines, oldest first (the order a payment settles them), locked in
    that order."""
    return list(
        Fine.objects.select_for_update(of=("self",))
        .filter(membership_id=membership_id, status__in=UNPAID_FINE_STATUSES)
        .order_by("created_at", "pk")
    )


def suspense_receipt_lock(receipt_id: UUID) -> SuspenseReceipt:
    return (
        SuspenseReceipt.objects.select_for_update(of=("self",))
        .select_related("chama")
        .get(pk=receipt_id)
    )


def ledger_transfer_lock(transfer_id: UUID) -> LedgerTransfer:
    """Serialises the decisions on one transfer: it is approved (and posted) or rejected once."""
    return (
        LedgerTransfer.objects.select_for_update(of=("self",))
        .select_related("chama")
        .get(pk=transfer_id)
    )


def ledger_accounts_lock(account_ids: Iterable[UUID]) -> None:
    """Lock the accounts whose balance cache an entry moves, in pk order."""
    list(
        LedgerAccount.objects.select_for_update()
        .filter(pk__in=list(account_ids))
        .order_by("pk")
        .values_list("pk", flat=True)
    )
