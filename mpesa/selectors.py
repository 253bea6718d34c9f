"""Reads of the M-Pesa app."""

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

from django.db.models import QuerySet
from django.utils import timezone

from finance.choices import ContributionStatus
from finance.models import Contribution, LoanRepayment
from groups.models import Chama, Membership
from mpesa.choices import B2CStatus, C2BStatus
from mpesa.models import B2CRequest, C2BPayment, StkRequest
from mpesa.statements import StatementRow, row_amount, statement_period


def stk_request_list(*, chama: Chama, membership: Membership | None = None) -> QuerySet[StkRequest]:
    """A chama's payment prompts; a member's own when ``membership`` is given."""
    requests = StkRequest.objects.filter(chama=chama).select_related("membership__user")
    return requests.filter(membership=membership) if membership is not None else requests


@dataclass(frozen=True)
class Receipt:
    receipt: str
    on: date
    amount: Decimal
    what: str


@dataclass
class StatementReconciliation:
    period: tuple[date, date] | None
    matched: int = 0
    missing_in_hazina: list[Receipt] = field(default_factory=list)
    missing_in_statement: list[Receipt] = field(default_factory=list)
    amount_differs: list[tuple[Receipt, Receipt]] = field(default_factory=list)


def c2b_payment_list(*, chama: Chama) -> QuerySet[C2BPayment]:
    return C2BPayment.objects.filter(chama=chama)


def _books(chama: Chama, start: date, end: date) -> dict[str, Receipt]:
    """Every M-Pesa receipt in the chama's books between two dates, money in and out."""
    rows: list[tuple[str, str | None, datetime | None, Decimal]] = []
    rows += [
        ("contribution", *row)
        for row in Contribution.objects.filter(
            chama=chama,
            mpesa_receipt__isnull=False,
            paid_at__date__range=(start, end),
            status__in=[ContributionStatus.CONFIRMED, ContributionStatus.REVERSED],
        ).values_list("mpesa_receipt", "paid_at", "amount")
    ]
    rows += [
        ("loan repayment", *row)
        for row in LoanRepayment.objects.filter(
            loan__chama=chama, mpesa_receipt__isnull=False, paid_at__date__range=(start, end)
        ).values_list("mpesa_receipt", "paid_at", "amount")
    ]
    rows += [
        ("suspense", *row)
        for row in C2BPayment.objects.filter(
            chama=chama, status=C2BStatus.SUSPENSE, trans_time__date__range=(start, end)
        ).values_list("trans_id", "trans_time", "amount")
    ]
    rows += [
        ("payout", *row)
        for row in B2CRequest.objects.filter(
            chama=chama, status=B2CStatus.SUCCEEDED, completed_at__date__range=(start, end)
        ).values_list("receipt", "completed_at", "amount")
    ]
    books: dict[str, Receipt] = {}
    for what, receipt, at, amount in rows:
        if receipt and at:
            books[receipt] = Receipt(receipt, timezone.localdate(at), amount, what)
    return books


def statement_reconcile(*, chama: Chama, rows: list[StatementRow]) -> StatementReconciliation:
    """Compare a statement export with the chama's books over the statement's dates: receipts
    only on one side, and receipts whose amounts differ. Rows of other chamas on the same
    paybill are left out (account number of another chama, receipt not in our books)."""
    period = statement_period(rows)
    report = StatementReconciliation(period=period)
    if period is None:
        return report
    books = _books(chama, *period)
    seen: set[str] = set()
    for row in rows:
        ours = row.account.startswith(chama.code) or row.receipt in books
        if not ours or row.receipt in seen:
            continue
        seen.add(row.receipt)
        theirs = Receipt(row.receipt, row.completed_at.date(), row_amount(row), row.details)
        booked = books.get(row.receipt)
        if booked is None:
            report.missing_in_hazina.append(theirs)
        elif booked.amount != theirs.amount:
            report.amount_differs.append((booked, theirs))
        else:
            report.matched += 1
    report.missing_in_statement = [r for key, r in sorted(books.items()) if key not in seen]
    return report
