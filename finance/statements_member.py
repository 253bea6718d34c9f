"""A member's statement: the member's own accounts, each with a running balance that reads the
way a member thinks of it, and the member's position today at the top.

The sections, in this order (``MEMBER_ACCOUNTS``):

* held for the member (credit-normal liabilities, shown positive): savings 2100-M, credit
  2500-M (money paid ahead), profit payable 2300-M — a credit adds, a debit takes;
* owed by the member (debit-normal assets, shown positive): loan principal 1100-M, fines and
  penalties 1120-M — a debit adds to what they owe, a credit (a repayment) takes from it;
* pots received: the debits of the pots of the rounds the member receives by a payout entry
  (money paid to them), the balance being the total received so far.

Each section has its opening balance (Σ before ``date_from``, zero without one), its rows
(``increase``, ``decrease``, ``balance``), its totals and its closing balance. The chama's cash
accounts never show: a pot received is money paid to the member, not a debt.

Queries: the openings (one grouped aggregate, only with ``date_from``), the rows (one, the
running balances computed by the database: ``Window(Sum(...))`` partitioned by account code)
and the member's position (``finance.positions``), whatever the length of the history.
"""

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from uuid import UUID

from django.db.models import Case, F, QuerySet, Sum, When, Window
from django.utils import timezone

from core.money import ZERO, money
from finance import chart
from finance.choices import EntryType, Side
from finance.models import Posting
from finance.positions import (
    HELD_CODES,
    OWED_CODES,
    MemberPosition,
    member_position_get,
    pot_receipts,
)
from finance.selectors import MONEY_OUTPUT
from finance.statements import paybill_number
from groups.models import Chama, Membership

HELD, OWED, RECEIVED = "held", "owed", "received"


@dataclass(frozen=True)
class MemberAccount:
    key: str
    code: str
    name: str
    reads: str  # HELD, OWED or RECEIVED


MEMBER_ACCOUNTS = (
    MemberAccount("savings", chart.MEMBER_SAVINGS, "Savings", HELD),
    MemberAccount("credit", chart.MEMBER_CREDIT, "Credit (paid ahead)", HELD),
    MemberAccount("profit", chart.PROFIT_PAYABLE, "Profit payable", HELD),
    MemberAccount("loan", chart.LOANS_RECEIVABLE, "Loan principal owed", OWED),
    MemberAccount("fines", chart.FINES_RECEIVABLE, "Fines and penalties owed", OWED),
    MemberAccount("pots", chart.POT_PAYABLE, "Pots received", RECEIVED),
)


@dataclass(frozen=True)
class MemberStatementRow:
    date: date
    entry_id: UUID
    entry_type: str
    type: str
    memo: str
    reference: str
    increase: Decimal
    decrease: Decimal
    balance: Decimal


@dataclass(frozen=True)
class AccountSection:
    account: MemberAccount
    opening: Decimal
    rows: list[MemberStatementRow]

    @property
    def total_increase(self) -> Decimal:
        return sum((row.increase for row in self.rows), ZERO)

    @property
    def total_decrease(self) -> Decimal:
        return sum((row.decrease for row in self.rows), ZERO)

    @property
    def closing(self) -> Decimal:
        return self.opening + self.total_increase - self.total_decrease


@dataclass(frozen=True)
class MemberStatement:
    chama: Chama
    member: Membership
    date_from: date | None
    date_to: date | None
    sections: list[AccountSection]
    position: MemberPosition
    generated_at: datetime

    @property
    def currency(self) -> str:
        return self.chama.currency

    @property
    def account_number(self) -> str:
        """What the member types as the account number at the chama's paybill."""
        return f"{self.chama.code}{self.member.member_code}"

    @property
    def paybill(self) -> str:
        return paybill_number()


# A posting as the member reads it: what it adds to (+) or takes from (-) the account.
AS_READ = Case(
    When(account__code__in=HELD_CODES, side=Side.CREDIT, then=F("amount")),
    When(account__code__in=HELD_CODES, then=-F("amount")),
    When(account__code__in=OWED_CODES, side=Side.DEBIT, then=F("amount")),
    When(account__code__in=OWED_CODES, then=-F("amount")),
    default=F("amount"),  # a pot received
    output_field=MONEY_OUTPUT,
)


def _postings(member: Membership) -> QuerySet[Posting]:
    own = Posting.objects.filter(
        account__chama_id=member.chama_id,
        account__member=member,
        account__code__in=HELD_CODES + OWED_CODES,
    )
    return (own | pot_receipts(membership=member)).annotate(as_read=AS_READ)


def _openings(member: Membership, before: date) -> dict[str, Decimal]:
    earlier = (
        _postings(member)
        .filter(entry__effective_date__lt=before)
        .order_by()
        .values("account__code")
        .annotate(total=Sum("as_read", output_field=MONEY_OUTPUT))
    )
    return {row["account__code"]: money(row["total"]) for row in earlier}


def member_statement_get(
    *,
    chama: Chama,
    member: Membership,
    date_from: date | None = None,
    date_to: date | None = None,
) -> MemberStatement:
    """``member``'s statement for the period, both ends included (see the module)."""
    if member.chama_id != chama.pk:
        raise ValueError("the member belongs to another chama")
    openings = {} if date_from is None else _openings(member, date_from)
    postings = _postings(member)
    if date_from is not None:
        postings = postings.filter(entry__effective_date__gte=date_from)
    if date_to is not None:
        postings = postings.filter(entry__effective_date__lte=date_to)
    order = [
        F("entry__effective_date").asc(),
        F("entry__created_at").asc(),
        F("entry_id").asc(),
        F("id").asc(),
    ]
    records = (
        postings.annotate(
            running=Window(
                Sum("as_read", output_field=MONEY_OUTPUT),
                partition_by=[F("account__code")],
                order_by=order,
            )
        )
        .order_by("account__code", *order)
        .values(
            "account__code",
            "entry_id",
            "entry__effective_date",
            "entry__entry_type",
            "entry__memo",
            "entry__external_ref",
            "as_read",
            "running",
        )
    )
    rows: dict[str, list[MemberStatementRow]] = {}
    for record in records:
        code, as_read = record["account__code"], money(record["as_read"])
        rows.setdefault(code, []).append(
            MemberStatementRow(
                date=record["entry__effective_date"],
                entry_id=record["entry_id"],
                entry_type=record["entry__entry_type"],
                type=EntryType(record["entry__entry_type"]).label,
                memo=record["entry__memo"],
                reference=record["entry__external_ref"] or "",
                increase=max(as_read, ZERO),
                decrease=max(-as_read, ZERO),
                balance=money(openings.get(code, ZERO) + record["running"]),
            )
        )
    return MemberStatement(
        chama=chama,
        member=member,
        date_from=date_from,
        date_to=date_to,
        sections=[
            AccountSection(account, openings.get(account.code, ZERO), rows.get(account.code, []))
            for account in MEMBER_ACCOUNTS
        ],
        position=member_position_get(membership=member),
        generated_at=timezone.now(),
    )
