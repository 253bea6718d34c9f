"""Money-market funds: interest accrues daily on the balance at the fund's annual rate over
the day basis, added up unrounded, and is credited once a month, rounded to the cent, net of
withholding tax (money.md):

    Dr 1200 (holding)  net
    Dr 5400            tax
    Cr 4300            gross

A month is credited at most once per holding (MmfCredit, unique per holding and month); the
balance a month accrues on includes every earlier month's credit (monthly compounding). The
rate of a month is the fund's rate on the month's first day held.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from uuid import UUID, uuid4

from django.utils import timezone

from core.audit import audit_write
from finance import chart
from finance.choices import EntryType
from finance.models import LedgerAccount
from finance.services.ledger import credit, debit
from finance.services.ledger_bulk import EntryDraft, ledger_accounts_bulk, ledger_post_many
from investments import math
from investments.models import Holding, InvestmentOption, MmfCredit
from investments.selectors import option_rate_on

INCOME_CODES = (chart.WITHHOLDING_TAX, chart.INVESTMENT_INCOME)


@dataclass
class Credited:
    rows: list[MmfCredit]
    drafts: list[EntryDraft]
    net: Decimal


def months_to_credit(holding: Holding, *, through: date) -> list[date]:
    """The first days of the months the holding has earned in and not been credited for,
    ending with the month that contains ``through`` only when ``through`` is that month's
    last day."""
    start = holding.last_credited_on + timedelta(days=1) if holding.last_credited_on else None
    month = math.month_start(start or holding.placed_on)
    months = []
    while math.next_month(month) <= through + timedelta(days=1):
        months.append(month)
        month = math.next_month(month)
    return months


def _credit_months(
    holding: Holding,
    months: Iterable[date],
    *,
    balance: Decimal,
    accounts: dict[str, LedgerAccount],
    rates: dict[tuple[InvestmentOption, date], Decimal | None],
    until: date | None = None,
) -> Credited:
    """The credits of ``months`` (the last cut short at ``until``, a redemption's day)."""
    done = Credited([], [], Decimal("0.00"))
    for month in months:
        first = max(month, holding.placed_on)
        end = math.next_month(month) if until is None else min(math.next_month(month), until)
        days = (end - first).days
        if days <= 0:
            continue
        key = (holding.option, first)
        if key not in rates:
            rates[key] = option_rate_on(holding.option, first)
        rate = rates[key] or holding.annual_rate
        gross = math.mmf_accrual(balance, rate, days, holding.day_basis)
        tax = math.withholding(gross, holding.withholding_rate)
        net = gross - tax
        row = MmfCredit(
            holding=holding, month=month, days=days, balance=balance, gross=gross, tax=tax, net=net
        )
        if gross:
            draft = EntryDraft(
                chama=holding.chama,
                entry_type=EntryType.INVESTMENT_INCOME,
                lines=[
                    debit(holding.ledger_account, net),
                    debit(accounts[chart.WITHHOLDING_TAX], tax),
                    credit(accounts[chart.INVESTMENT_INCOME], gross),
                ],
                effective_date=end - timedelta(days=1),
                memo=f"{holding.option.name}: interest for {month:%B %Y}",
                idempotency_key=f"holding:{holding.pk}:credit:{month:%Y-%m}",
                id=uuid4(),
            )
            row.entry_id = draft.id
            done.drafts.append(draft)
        done.rows.append(row)
        done.net += net
        balance += net
        holding.last_credited_on = end - timedelta(days=1)
    return done


def income_accounts(holdings: Iterable[Holding]) -> dict[tuple[UUID, str], LedgerAccount]:
    """Each chama's 4300, 5400 and 1020, in one read."""
    keys = {
        (h.chama_id, code, None)
        for h in holdings
        for code in (chart.INVESTMENT_INCOME, chart.WITHHOLDING_TAX, chart.BANK)
    }
    return {(chama_id, code): a for (chama_id, code, _), a in ledger_accounts_bulk(keys).items()}


def fund_credits_post(
    holdings: list[Holding], *, through: date, until: date | None = None
) -> dict[UUID, Decimal]:
    """Credit the locked fund ``holdings`` every month they are owed through ``through``
    (and, with ``until``, the part of the next month up to that day), inside the caller's
    durable transaction, in a constant number of statements. Returns the net credited per
    holding id."""
    if not holdings:
        return {}
    shared = income_accounts(holdings)
    rates: dict[tuple[InvestmentOption, date], Decimal | None] = {}
    rows: list[MmfCredit] = []
    drafts: list[EntryDraft] = []
    credited: dict[UUID, Decimal] = {}
    for holding in holdings:
        months = months_to_credit(holding, through=through)
        if until is not None:
            months.append(math.month_start(until))
            months = sorted(set(months))
        done = _credit_months(
            holding,
            months,
            balance=holding.ledger_account.cached_balance,
            accounts={code: shared[(holding.chama_id, code)] for code in INCOME_CODES},
            rates=rates,
            until=until,
        )
        rows += done.rows
        drafts += done.drafts
        credited[holding.pk] = done.net
    ledger_post_many(drafts=drafts)
    MmfCredit.objects.bulk_create(rows)
    audit_write(created=rows)
    now = timezone.now()
    for holding in holdings:
        holding.updated_at = now
    Holding.objects.bulk_update(holdings, ["last_credited_on", "updated_at"])
    return credited
