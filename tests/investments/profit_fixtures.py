"""Profit made through the services: members who saved (contributions), investment income
realised (the maturity's entry, posted through the ledger writer as the maturity job posts
it), and the constitution's profit rules adopted."""

from dataclasses import replace
from datetime import date, datetime, time
from decimal import Decimal

from django.utils import timezone

from core.db import durable_atomic
from finance import chart
from finance.choices import EntryType, PaymentMethod
from finance.models import JournalEntry
from finance.services.contributions import contribution_record
from finance.services.ledger import credit, debit, ledger_account_get, ledger_post
from governance.selectors.constitution import constitution_rules_get
from governance.services.constitution import constitution_adopt
from groups.models import Membership
from investments.models import ProfitDeclaration
from investments.services.profits import profit_declare
from tests.governance.meetings_fixtures import Club

# money.md's worked split: contributions by seat, and the parts of 10,000.00.
MONEY_MD_WEIGHTS = ["36000", "36000", "27000", "46500", "18000", "36000", "10500"]
MONEY_MD_PARTS = [
    "1714.29",
    "1714.29",
    "1285.71",
    "2214.29",
    "857.14",
    "1714.28",
    "500.00",
]


def profit_rules_adopt(
    club: Club, *, basis: str = "savings", payout: str = "member_choice"
) -> None:
    """The chair adopts a constitution whose investments section says ``basis`` and ``payout``."""
    rules = constitution_rules_get(chama=club.chama)
    rules = replace(
        rules,
        investments=replace(rules.investments, profit_basis=basis, profit_payout=payout),
    )
    constitution_adopt(chama=club.chama, acting=club.chair, rules=rules)
    club.chama.refresh_from_db()


def save(member: Membership, amount: str, on: date | None = None) -> None:
    """``member`` pays ``amount`` in cash (on the day given): their savings or credit."""
    paid_at = None
    if on is not None:
        paid_at = timezone.make_aware(datetime.combine(on, time(10, 0)))
    contribution_record(
        chama=member.chama,
        membership=member,
        amount=Decimal(amount),
        method=PaymentMethod.CASH,
        paid_at=paid_at,
    )


def income_realise(club: Club, *, gross: str, tax: str = "0.00") -> JournalEntry:
    """A holding matures into the bank: Dr 1020 net, 5400 tax withheld · Cr 4300 gross."""
    chama = club.chama
    gross_amount, tax_amount = Decimal(gross), Decimal(tax)
    with durable_atomic():
        return ledger_post(
            chama=chama,
            entry_type=EntryType.TRANSFER,
            lines=[
                debit(ledger_account_get(chama=chama, code=chart.BANK), gross_amount - tax_amount),
                debit(ledger_account_get(chama=chama, code=chart.WITHHOLDING_TAX), tax_amount),
                credit(ledger_account_get(chama=chama, code=chart.INVESTMENT_INCOME), gross_amount),
            ],
            memo="Investment matured (income and tax)",
        )


def declare(
    club: Club,
    net: str,
    tax: str = "0.00",
    *,
    source: str = "91-day T-bill",
    start: date = date(2026, 1, 1),
    end: date | None = None,
    acting: Membership | None = None,
) -> ProfitDeclaration:
    return profit_declare(
        chama=club.chama,
        net=Decimal(net),
        tax=Decimal(tax),
        source_label=source,
        period_start=start,
        period_end=end or timezone.localdate(),
        acting=acting or club.treasurer,
    )
