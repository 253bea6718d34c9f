"""The money-moves events finance tells members about, each after its transaction commits
(groups.notifications resolves the recipients; accounts.notifications holds the texts).
Each reads only ids from the objects it is given: nothing is queried before the commit."""

from collections.abc import Iterable
from decimal import Decimal
from functools import partial
from typing import Any
from uuid import UUID

from finance import chart
from finance.models import Contribution, Fine, Installment, LedgerAccount, Loan, Payout
from groups.models import Membership
from groups.notifications import amount_text, member_name, notify_after_commit


def _savings(chama_id: UUID, membership_id: UUID) -> Decimal:
    # Member savings is credit-normal: the cached balance (debits - credits) is minus it.
    balance = (
        LedgerAccount.objects.filter(
            chama_id=chama_id, code=chart.MEMBER_SAVINGS, member_id=membership_id
        )
        .values_list("cached_balance", flat=True)
        .first()
    )
    return -(balance or Decimal("0"))


def contribution_received(contribution: Contribution) -> None:
    """A receipt with the member's new position, once per contribution."""
    chama_id, membership_id = contribution.chama_id, contribution.membership_id
    amount, receipt = contribution.amount, contribution.mpesa_receipt or contribution.reference

    def context() -> dict[str, Any]:
        return {
            "amount": amount_text(amount),
            "receipt": receipt or "-",
            "total_saved": amount_text(_savings(chama_id, membership_id)),
        }

    notify_after_commit(
        event="contribution_received",
        chama_id=chama_id,
        members=[membership_id],
        context=context,
        key=f"contribution_received:{contribution.pk}",
    )


def approval_awaiting(
    *, chama_id: UUID, subject: str, amount: Decimal, makers: Iterable[UUID], key: str
) -> None:
    """The officials other than the decision's makers: their signature is awaited."""
    notify_after_commit(
        event="approval_awaiting",
        chama_id=chama_id,
        officials=True,
        exclude=makers,
        context={"subject": subject, "amount": amount_text(amount)},
        key=key,
    )


def _guarantee_context(borrower_id: UUID, amount: Decimal) -> dict[str, Any]:
    return {"borrower": member_name(borrower_id), "amount": amount_text(amount)}


def loan_applied(loan: Loan, guarantors: Iterable[tuple[Membership, Decimal]]) -> None:
    """Each guarantor is asked to guarantee; the officials (not the borrower) to sign."""
    borrower_id = loan.membership_id
    for guarantor, amount in guarantors:
        notify_after_commit(
            event="guarantor_request",
            chama_id=loan.chama_id,
            members=[guarantor.pk],
            context=partial(_guarantee_context, borrower_id, amount),
            key=f"guarantor_request:{loan.pk}:{guarantor.pk}",
        )
    approval_awaiting(
        chama_id=loan.chama_id,
        subject="A loan",
        amount=loan.principal,
        makers=[borrower_id],
        key=f"approval_awaiting:loan:{loan.pk}",
    )


def loan_approved(loan: Loan) -> None:
    notify_after_commit(
        event="loan_approved",
        chama_id=loan.chama_id,
        members=[loan.membership_id],
        context={"amount": amount_text(loan.principal)},
        key=f"loan_approved:{loan.pk}",
    )


def loan_disbursed(loan: Loan) -> None:
    loan_id, principal = loan.pk, loan.principal

    def context() -> dict[str, Any]:
        first = (
            Installment.objects.filter(loan_id=loan_id)
            .order_by("number")
            .values_list("due_date", flat=True)
            .first()
        )
        return {"amount": amount_text(principal), "first_due": first.isoformat() if first else "-"}

    notify_after_commit(
        event="loan_disbursed",
        chama_id=loan.chama_id,
        members=[loan.membership_id],
        context=context,
        key=f"loan_disbursed:{loan.pk}",
    )


def loan_repaid(loan: Loan) -> None:
    notify_after_commit(
        event="loan_repaid",
        chama_id=loan.chama_id,
        members=[loan.membership_id],
        context={"amount": amount_text(loan.principal)},
        key=f"loan_repaid:{loan.pk}",
    )


def fine_issued(fine: Fine) -> None:
    notify_after_commit(
        event="fine_issued",
        chama_id=fine.chama_id,
        members=[fine.membership_id],
        context={"amount": amount_text(fine.amount), "reason": fine.reason},
        key=f"fine_issued:{fine.pk}",
    )


def payout_made(payout: Payout, reference: str) -> None:
    notify_after_commit(
        event="payout_made",
        chama_id=payout.chama_id,
        members=[payout.recipient_id],
        context={"amount": amount_text(payout.amount), "reference": reference},
        key=f"payout_made:{payout.pk}",
    )
