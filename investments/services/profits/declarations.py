"""Declaring profit: realised investment income closed to surplus and split among the active
members (Dr 4300 · Cr 5400, 3300, then Dr 3300 · Cr 2300-M), by the constitution's basis,
with the largest-remainder method so the parts sum exactly to the whole."""

import uuid
from collections.abc import Sequence
from datetime import date
from decimal import Decimal
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from core.db import durable
from core.exceptions import ConflictError, ValidationFailed
from core.money import MAX_AMOUNT, ZERO, money
from finance import chart
from finance.choices import EntryType, Side
from finance.locks import ledger_accounts_lock
from finance.models import JournalEntry, LedgerAccount
from finance.services.ledger import AccountKey, credit, debit, ledger_accounts_get, ledger_post
from finance.splits import largest_remainder_split
from governance.choices import ProfitPayout
from governance.selectors.constitution import constitution_rules_get
from groups.choices import Role
from groups.models import Chama, Membership
from groups.rules import official_check
from investments import notifications
from investments.exceptions import ProfitError
from investments.models import Holding, ProfitDeclaration, ProfitShare, ShareChoice
from investments.selectors.profits import (
    profit_income_available,
    profit_members_list,
    profit_weights_get,
)
from investments.services.profits.savings import savings_credit_post

SOURCE_MAX = 80
DECLARERS = frozenset({Role.CHAIR, Role.TREASURER})
# The share's way for each rule, at declaration: member_choice leaves it to the member.
CHOICE_FOR_PAYOUT = {
    ProfitPayout.PAID_OUT: ShareChoice.PAID_OUT,
    ProfitPayout.SAVINGS: ShareChoice.SAVINGS,
    ProfitPayout.MEMBER_CHOICE: ShareChoice.PENDING,
}


def _clean_net(net: Decimal) -> Decimal:
    if not net.is_finite() or net <= ZERO or net > MAX_AMOUNT or money(net) != net:
        raise ValidationFailed(ProfitError.INVALID_NET, maximum=f"{MAX_AMOUNT:,}", field="net")
    return money(net)


def _clean_tax(tax: Decimal) -> Decimal:
    if not tax.is_finite() or tax < ZERO or tax > MAX_AMOUNT or money(tax) != tax:
        raise ValidationFailed(ProfitError.INVALID_TAX, maximum=f"{MAX_AMOUNT:,}", field="tax")
    return money(tax)


def _clean_source(source_label: str) -> str:
    label = source_label.strip()
    if not label or len(label) > SOURCE_MAX:
        raise ValidationFailed(ProfitError.SOURCE_REQUIRED, limit=SOURCE_MAX, field="source_label")
    return label


def _clean_period(period_start: date, period_end: date) -> None:
    if period_start > period_end or period_end > timezone.localdate():
        raise ValidationFailed(ProfitError.INVALID_PERIOD, field="period_end")


def _check_available(chama: Chama, *, net: Decimal, tax: Decimal) -> None:
    """The books must hold what is declared: the net within the income realised and not yet
    declared (4300 less 5400), the tax within the tax booked (5400)."""
    available = profit_income_available(chama=chama)
    if net > available.net:
        raise ConflictError(
            ProfitError.EXCEEDS_INCOME,
            currency=chama.currency,
            available=f"{max(available.net, ZERO):,}",
            requested=f"{net:,}",
        )
    if tax > available.tax:
        raise ConflictError(
            ProfitError.EXCEEDS_TAX,
            currency=chama.currency,
            available=f"{max(available.tax, ZERO):,}",
            requested=f"{tax:,}",
        )


def _accounts(
    chama: Chama, members: Sequence[Membership], *, to_savings: bool
) -> dict[AccountKey, LedgerAccount]:
    """Every account the declaration moves, opened if new and locked in pk order before the
    income is read: a second declaration waits here, then reads the first one's closing."""
    keys: list[AccountKey] = [
        (chart.INVESTMENT_INCOME, None, None),
        (chart.WITHHOLDING_TAX, None, None),
        (chart.UNDISTRIBUTED_SURPLUS, None, None),
    ]
    keys += [(chart.PROFIT_PAYABLE, m, None) for m in members]
    if to_savings:
        keys += [(chart.MEMBER_SAVINGS, m, None) for m in members]
    accounts = ledger_accounts_get(chama=chama, keys=keys)
    ledger_accounts_lock(account.pk for account in accounts.values())
    return accounts


def _post(
    chama: Chama,
    declaration_id: uuid.UUID,
    *,
    net: Decimal,
    tax: Decimal,
    label: str,
    accounts: dict[AccountKey, LedgerAccount],
    parts: list[tuple[Membership, Decimal]],
    recorded_by: Any,
) -> tuple[JournalEntry, JournalEntry]:
    def chama_account(code: str) -> LedgerAccount:
        return accounts[(code, None, None)]

    surplus = chama_account(chart.UNDISTRIBUTED_SURPLUS)
    closing = ledger_post(
        chama=chama,
        entry_type=EntryType.PROFIT_CLOSED,
        lines=[
            debit(chama_account(chart.INVESTMENT_INCOME), net + tax),
            credit(chama_account(chart.WITHHOLDING_TAX), tax),
            credit(surplus, net),
        ],
        memo=f"Investment income closed to surplus: {label}",
        idempotency_key=f"profit:{declaration_id}:closed",
        recorded_by=recorded_by,
    )
    entry = ledger_post(
        chama=chama,
        entry_type=EntryType.PROFIT_DECLARED,
        lines=[
            debit(surplus, net),
            *(credit(accounts[(chart.PROFIT_PAYABLE, m, None)], part) for m, part in parts),
        ],
        memo=f"Profit declared: {label}",
        idempotency_key=f"profit:{declaration_id}:declared",
        recorded_by=recorded_by,
    )
    return closing, entry


def _declare(
    *,
    chama: Chama,
    net: Decimal,
    tax: Decimal,
    source_label: str,
    period_start: date,
    period_end: date,
    acting: Membership | None,
    holding: Holding | None,
    income_entry: JournalEntry | None = None,
) -> ProfitDeclaration:
    net, tax = _clean_net(net), _clean_tax(tax)
    label = _clean_source(source_label)
    _clean_period(period_start, period_end)
    rules = constitution_rules_get(chama=chama).investments
    payout = ProfitPayout(rules.profit_payout)
    members = profit_members_list(chama=chama)
    accounts = _accounts(chama, members, to_savings=payout == ProfitPayout.SAVINGS)
    holding_id = holding.pk if holding is not None else None
    if (
        income_entry is not None
        and ProfitDeclaration.objects.filter(income_entry=income_entry).exists()
    ):
        raise ConflictError(ProfitError.ALREADY_DECLARED)
    _check_available(chama, net=net, tax=tax)
    weights = profit_weights_get(
        chama=chama,
        members=members,
        basis=rules.profit_basis,
        period_start=period_start,
        period_end=period_end,
    )
    if sum(weights, ZERO) <= ZERO:
        raise ConflictError(ProfitError.NO_WEIGHT)
    amounts = largest_remainder_split(net, weights)
    taxes = largest_remainder_split(tax, weights)
    declaration_id = uuid.uuid4()
    recorded_by = acting.user if acting is not None else None
    parts = [(m, amount) for m, amount in zip(members, amounts, strict=True) if amount > ZERO]
    closing, entry = _post(
        chama,
        declaration_id,
        net=net,
        tax=tax,
        label=label,
        accounts=accounts,
        parts=parts,
        recorded_by=recorded_by,
    )
    now = timezone.now()
    saved = None
    if payout == ProfitPayout.SAVINGS:
        saved = savings_credit_post(
            chama=chama,
            accounts=accounts,
            parts=parts,
            memo=f"Profit added to savings: {label}",
            idempotency_key=f"profit:{declaration_id}:savings",
            recorded_by=recorded_by,
        )
    try:
        with transaction.atomic():
            declaration = ProfitDeclaration.objects.create(
                id=declaration_id,
                chama=chama,
                declared_on=timezone.localdate(),
                period_start=period_start,
                period_end=period_end,
                gross=net + tax,
                tax=tax,
                net=net,
                basis=rules.profit_basis,
                payout=payout,
                source_label=label,
                holding_id=holding_id,
                income_entry=income_entry,
                total_weight=sum(weights, ZERO),
                closing_entry=closing,
                entry=entry,
                declared_by=acting,
            )
    except IntegrityError as exc:
        # income_entry is unique: two declarations of one income entry raced
        if income_entry is not None and "income_entry" in str(exc):
            raise ConflictError(ProfitError.ALREADY_DECLARED) from exc
        raise
    shares = ProfitShare.objects.bulk_create(
        [
            ProfitShare(
                declaration=declaration,
                membership=member,
                weight=weight,
                amount=amount,
                tax=share_tax,
                choice=CHOICE_FOR_PAYOUT[payout],
                settled_at=now if amount == ZERO or saved is not None else None,
                settled_entry=saved if amount > ZERO else None,
            )
            for member, weight, amount, share_tax in zip(
                members, weights, amounts, taxes, strict=True
            )
        ]
    )
    notifications.profit_earned(
        chama_id=chama.pk, declaration_id=declaration.pk, source=label, shares=shares
    )
    return declaration


@durable
def profit_declare(
    *,
    chama: Chama,
    net: Decimal,
    tax: Decimal,
    source_label: str,
    period_start: date,
    period_end: date,
    acting: Membership | None = None,
    holding: Holding | None = None,
) -> ProfitDeclaration:
    """Declare ``net`` (``tax`` withheld on it) from ``source_label`` to the active members.

    Each member's weight is read as the constitution's ``profit_basis`` says, over the period;
    the net and the tax are split by it (largest remainder, seat order: the parts sum
    exactly). Posts Dr 4300 gross · Cr 5400 tax, 3300 net, then Dr 3300 · Cr 2300-M, one leg
    per member with a part (none for a zero part); under ``profit_payout: savings`` the parts
    also go to savings (Dr 2300-M · Cr 2100-M). ``acting`` is the chair or the treasurer; None
    is the maturity job. Refused, with nothing written: more than the income realised and not
    declared (409 ``profit_exceeds_income``), an income entry declared before
    (409 ``profit_already_declared``), no member with a weight (409 ``no_profit_weight``).
    """
    if acting is not None:
        official_check(
            acting, chama_id=chama.pk, refused=ProfitError.DECLARERS_ONLY, roles=DECLARERS
        )
    return _declare(
        chama=chama,
        net=net,
        tax=tax,
        source_label=source_label,
        period_start=period_start,
        period_end=period_end,
        acting=acting,
        holding=holding,
    )


def _entry_amount(entry: JournalEntry, code: str, side: Side) -> Decimal:
    return sum(
        (p.amount for p in entry.postings.all() if p.account.code == code and p.side == side),
        ZERO,
    )


@durable
def profit_declare_from_holding(*, holding: Holding, entry: JournalEntry) -> ProfitDeclaration:
    """The maturity job's ``distribute``: declare what ``entry`` (the holding's maturity)
    realised — its credit to 4300 gross, its debit to 5400 the tax withheld, plus the tax a
    T-bill withheld up front at placement — from the holding's placement to the entry's date,
    by the constitution's basis, named by the holding's option. Runs inside the job's own
    transaction. An entry is declared once (409 ``profit_already_declared``)."""
    entry = JournalEntry.objects.prefetch_related("postings__account").get(pk=entry.pk)
    gross = _entry_amount(entry, chart.INVESTMENT_INCOME, Side.CREDIT)
    tax = _entry_amount(entry, chart.WITHHOLDING_TAX, Side.DEBIT) + holding.tax_withheld_up_front
    label = holding.option.name
    placed = holding.placed_on
    return _declare(
        chama=entry.chama,
        net=gross - tax,
        tax=tax,
        source_label=label,
        period_start=placed,
        period_end=entry.effective_date,
        acting=None,
        holding=holding,
        income_entry=entry,
    )
