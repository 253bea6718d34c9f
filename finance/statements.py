"""The chama's statement: money in and out of its cash accounts, with a running balance (a
member's statement is ``finance.statements_member``).

A statement lists the journal entries of a period that moved money through the chama's cash
accounts — 1010 M-Pesa paybill, 1020 bank, 1030 cash at hand (``CASH_CODES``). For each entry

* ``amount_in``  = Σ its debit postings on those accounts (money received),
* ``amount_out`` = Σ its credit postings on them (money paid out),
* ``balance``    = opening + cumulative Σ(in - out), ordered by (effective_date, created_at, id),
  the cumulative sum computed by the database: ``Window(Sum(...))`` over the entries' rows,
  each carrying its own Σ in and Σ out (correlated subqueries on the entry's postings).

* Opening balance = Σ(in - out) before ``date_from`` (one aggregate query; zero without a
  ``date_from``, when the statement starts with the books), read as the cash accounts' cached
  balances less the movements since ``date_from`` (see ``statement_opening_get``), so its cost
  follows the period, not the history.
* Closing balance = opening + Σ in - Σ out of the period.

Entries with no cash movement — member credit applied to dues (Dr 2500-M, Cr 2200-R...), a B2C
payout confirmed by M-Pesa (Dr 2200-R, Cr 1090: the cash left when it was sent) — are left out:
the chama's statement is its cash book.

Two queries, whatever the number of entries: the opening aggregate (only with ``date_from``)
and the rows.
"""

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from uuid import UUID

from django.conf import settings
from django.db.models import (
    Case,
    F,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
    Window,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from core.money import ZERO, money
from finance import chart
from finance.choices import EntryType, Side
from finance.models import JournalEntry, LedgerAccount, Posting
from finance.selectors import MONEY_OUTPUT
from groups.models import Chama, Membership

CASH_CODES = (chart.MPESA_PAYBILL, chart.BANK, chart.CASH)


def paybill_number() -> str:
    """The paybill members pay to (the C2B shortcode), with their account number."""
    return str(settings.MPESA_C2B_SHORTCODE)


@dataclass(frozen=True)
class StatementRow:
    date: date
    entry_id: UUID
    entry_type: str
    type: str  # the entry type as people read it ("Pot payout sent (in flight)")
    memo: str
    reference: str  # the entry's external reference: an M-Pesa receipt, say; "" when none
    amount_in: Decimal
    amount_out: Decimal
    balance: Decimal


@dataclass(frozen=True)
class Statement:
    chama: Chama
    date_from: date | None
    date_to: date | None
    opening: Decimal
    total_in: Decimal
    total_out: Decimal
    closing: Decimal
    rows: list[StatementRow]
    generated_at: datetime

    @property
    def currency(self) -> str:
        return self.chama.currency

    # No member's: the JSON document answers null for both, and the file renderers shared with
    # the member's statement read them.
    @property
    def member(self) -> None:
        return None

    @property
    def account_number(self) -> None:
        return None


def _per_entry(amount: Case | F) -> Coalesce:
    """Σ ``amount`` over the outer entry's postings on the cash accounts (0.00 when none).

    A correlated subquery: each entry's few postings are found through the posting's entry
    index, so a statement costs what its own entries cost, whatever the size of the books (a
    join grouped by entry lets the planner scan every posting instead).
    """
    total = (
        Posting.objects.filter(entry=OuterRef("pk"), account__code__in=CASH_CODES)
        .order_by()
        .values("entry")
        .annotate(total=Sum(amount, output_field=MONEY_OUTPUT))
        .values("total")
    )
    return Coalesce(Subquery(total), Value(ZERO), output_field=MONEY_OUTPUT)


def _side(side: Side) -> Case:
    return Case(When(side=side, then=F("amount")), default=Value(ZERO))


# in - out: debits to the cash accounts are money in, credits money out.
NET = Case(When(side=Side.DEBIT, then=F("amount")), default=-F("amount"))


def _net_of(entries: QuerySet[JournalEntry]) -> Subquery:
    """Σ(in - out) of these entries, as a scalar subquery."""
    return Subquery(
        entries.order_by()
        .values("chama")
        .annotate(net=Sum(_per_entry(NET), output_field=MONEY_OUTPUT))
        .values("net")
    )


def statement_opening_get(*, chama: Chama, before: date) -> Decimal:
    """Σ(in - out) on the chama's cash accounts before ``before``: one query.

    Summing every earlier cash posting would cost more as the books grow; instead it is the
    cash accounts' cached balances (Σ of all their postings, updated with every posting and
    proved nightly) less what moved on or after ``before`` — the cost of the period, not of the
    history. One statement, so both parts read the same snapshot.
    """
    since = JournalEntry.objects.filter(chama=chama, effective_date__gte=before)
    opening = LedgerAccount.objects.filter(
        chama=chama, code__in=CASH_CODES, member=None, round=None
    ).aggregate(
        opening=Coalesce(Sum("cached_balance"), Value(ZERO), output_field=MONEY_OUTPUT)
        - Coalesce(_net_of(since), Value(ZERO), output_field=MONEY_OUTPUT)
    )["opening"]
    return money(opening)


def statement_get(
    *, chama: Chama, date_from: date | None = None, date_to: date | None = None
) -> Statement:
    """The chama's statement for the period, both ends included."""
    opening = ZERO
    if date_from is not None:
        opening = statement_opening_get(chama=chama, before=date_from)
    entries = JournalEntry.objects.filter(chama=chama)
    if date_from is not None:
        entries = entries.filter(effective_date__gte=date_from)
    if date_to is not None:
        entries = entries.filter(effective_date__lte=date_to)
    entries = entries.annotate(
        amount_in=_per_entry(_side(Side.DEBIT)), amount_out=_per_entry(_side(Side.CREDIT))
    )
    # The chama's cash book: only entries that moved cash. (A filter on the amounts, not
    # EXISTS: PostgreSQL turns EXISTS into a semi-join over every cash posting.)
    entries = entries.filter(Q(amount_in__gt=0) | Q(amount_out__gt=0))
    order = [F("effective_date").asc(), F("created_at").asc(), F("id").asc()]
    records = (
        # The running Σ(in - out), by the database over the entries' rows.
        entries.annotate(
            net=Window(Sum(_per_entry(NET), output_field=MONEY_OUTPUT), order_by=order)
        )
        .order_by(*order)
        .values(
            "id",
            "effective_date",
            "entry_type",
            "memo",
            "external_ref",
            "amount_in",
            "amount_out",
            "net",
        )
    )
    # SQLite hands back computed decimals unscaled (10000, not 10000.00): fix them to the cent.
    rows = [
        StatementRow(
            date=record["effective_date"],
            entry_id=record["id"],
            entry_type=record["entry_type"],
            type=EntryType(record["entry_type"]).label,
            memo=record["memo"],
            reference=record["external_ref"] or "",
            amount_in=money(record["amount_in"]),
            amount_out=money(record["amount_out"]),
            balance=money(opening + record["net"]),
        )
        for record in records
    ]
    total_in = sum((row.amount_in for row in rows), ZERO)
    total_out = sum((row.amount_out for row in rows), ZERO)
    return Statement(
        chama=chama,
        date_from=date_from,
        date_to=date_to,
        opening=opening,
        total_in=total_in,
        total_out=total_out,
        closing=opening + total_in - total_out,
        rows=rows,
        generated_at=timezone.now(),
    )


def statement_member_get(*, chama: Chama, member_id: UUID) -> Membership | None:
    """A membership of this chama (any status: a former member still has a statement)."""
    return (
        Membership.objects.select_related("user", "chama").filter(chama=chama, pk=member_id).first()
    )
