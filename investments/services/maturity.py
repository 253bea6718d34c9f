"""Maturity: what a holding pays back when its term ends (or a fund is redeemed), booked to
the bank (DESIGN §3.2):

    Dr 1020            proceeds received
    Dr 5400            tax withheld at maturity (fixed deposits, bonds; a T-bill's was paid
                       up front)
    Cr 1200 (holding)  its carrying value (the cost; a fund's balance with its credits)
    Cr 4300            the income

The daily job matures every active holding whose term has ended, with our figures, and
credits every fund's completed months, in one transaction and a constant number of
statements; an official records a maturity by hand with the confirmed proceeds. Either way a
holding matures once: the job skips what is no longer active and the manual endpoint refuses
it (409 already_matured). Then the constitution's ``on_maturity`` applies: reinvest (a new
holding of the same option, the same face or sum, from the bank), keep, or distribute
(``maturity_hooks.on_income_realised``).
"""

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from uuid import UUID, uuid4

from django.utils import timezone

from accounts.models import User
from core.audit import Changes, audit_write
from core.db import durable
from core.exceptions import ConflictError, DomainError, ValidationFailed
from core.money import MAX_AMOUNT, ZERO, money
from finance import chart
from finance.choices import EntryType
from finance.models import LedgerAccount
from finance.services.ledger import credit, debit
from finance.services.ledger_bulk import EntryDraft, ledger_post_many
from governance.choices import MaturityAction
from governance.selectors.constitution import constitution_rules_map
from groups.models import Membership
from groups.rules import official_check
from investments import math, notifications
from investments.choices import ACCRUING_KINDS, TBILL_KINDS, HoldingStatus, PlacementMethod
from investments.exceptions import InvestmentError
from investments.locks import holding_lock, holdings_lock
from investments.models import Holding
from investments.services import maturity_hooks
from investments.services.fund_credits import fund_credits_post, income_accounts
from investments.services.placements import PLACERS, date_check, holding_open, holding_terms


@dataclass(frozen=True)
class Proceeds:
    carrying: Decimal  # what leaves the holding's 1200 account
    cash: Decimal  # what reaches the bank
    tax: Decimal  # withheld at maturity
    computed: Decimal  # the cash by our formula

    @property
    def income(self) -> Decimal:
        return self.cash + self.tax - self.carrying


def proceeds_computed(holding: Holding, *, carrying: Decimal) -> Proceeds:
    """What the holding pays back by our formula: a T-bill its face (tax paid up front); a
    term deposit its cost with simple interest for the term, less tax; a fund its balance."""
    if holding.kind in TBILL_KINDS:
        assert holding.face is not None
        return Proceeds(carrying, holding.face, ZERO, holding.face)
    if holding.matures_on is None:
        return Proceeds(carrying, carrying, ZERO, carrying)
    days = (holding.matures_on - holding.placed_on).days
    gross = math.simple_interest(holding.cost, holding.annual_rate, days, holding.day_basis)
    tax = math.withholding(gross, holding.withholding_rate)
    cash = carrying + gross - tax
    return Proceeds(carrying, cash, tax, cash)


def _draft(
    holding: Holding,
    proceeds: Proceeds,
    accounts: dict[tuple[UUID, str], LedgerAccount],
    *,
    on: date,
    by: User | None,
) -> EntryDraft:
    chama_id = holding.chama_id
    return EntryDraft(
        chama=holding.chama,
        entry_type=EntryType.INVESTMENT_MATURED,
        lines=[
            debit(accounts[(chama_id, chart.BANK)], proceeds.cash),
            debit(accounts[(chama_id, chart.WITHHOLDING_TAX)], proceeds.tax),
            credit(holding.ledger_account, proceeds.carrying),
            credit(accounts[(chama_id, chart.INVESTMENT_INCOME)], proceeds.income),
        ],
        effective_date=on,
        memo=f"{holding.option.name} matured"
        + (f", ref {holding.broker_reference}" if holding.broker_reference else ""),
        idempotency_key=f"holding:{holding.pk}:matured",
        recorded_by=by,
        id=uuid4(),
    )


def _record(holding: Holding, proceeds: Proceeds, entry_id: UUID, on: date) -> None:
    holding.status = (
        HoldingStatus.CLOSED if holding.kind in ACCRUING_KINDS else HoldingStatus.MATURED
    )
    holding.matured_on = on
    holding.computed_proceeds = proceeds.computed
    holding.maturity_tax = proceeds.tax
    holding.income = proceeds.income
    holding.maturity_entry_id = entry_id
    holding.updated_at = timezone.now()
    notifications.investment_matured(holding, proceeds.cash, on)


def _matured_changes(holding: Holding) -> Changes:
    return {
        "status": (HoldingStatus.ACTIVE, holding.status),
        "matured_on": (None, holding.matured_on),
        "income": (None, holding.income),
        "maturity_entry": (None, holding.maturity_entry_id),
    }


MATURITY_FIELDS = [
    "status",
    "matured_on",
    "computed_proceeds",
    "confirmed_proceeds",
    "maturity_tax",
    "income",
    "maturity_entry",
    "matured_by",
    "updated_at",
]


def _after(matured: list[Holding], *, on: date) -> list[Holding]:
    """Apply each chama's ``on_maturity`` to its matured holdings; returns the reinvestments."""
    rules = constitution_rules_map(chamas={h.chama_id: h.chama for h in matured}.values())
    made = []
    for holding in matured:
        action = rules[holding.chama_id].investments.on_maturity
        if action == MaturityAction.DISTRIBUTE:
            assert holding.maturity_entry is not None  # a matured holding's (a constraint)
            maturity_hooks.on_income_realised(holding, holding.maturity_entry)
        elif action == MaturityAction.REINVEST and holding.kind not in ACCRUING_KINDS:
            reinvested = _reinvest(holding, on=on)
            if reinvested is not None:
                made.append(reinvested)
    return made


def _reinvest(holding: Holding, *, on: date) -> Holding | None:
    """A new holding of the same option and face (a T-bill) or sum, paid from the bank the
    proceeds reached. An option closed or without a rate today is kept instead."""
    option = holding.option
    try:
        terms = holding_terms(
            option=option,
            amount=holding.face or holding.cost,
            placed_on=on,
            currency=holding.chama.currency,
        )
    except DomainError:
        return None
    if not option.is_active:
        return None
    return holding_open(
        chama=holding.chama,
        option=option,
        terms=terms,
        paying_account_code=chart.BANK,
        method=PlacementMethod.MANUAL,
        placed_on=on,
        placed_by=None,
        recorded_by=None,
        broker_reference="",
        reinvested_from=holding,
    )


@durable
def holdings_mature_due(*, on: date | None = None) -> dict[str, int]:
    """The daily job's work: mature every active holding whose term ended by ``on`` (today)
    with our figures, and credit every active fund the months it has completed. Holdings
    another run matured meanwhile are skipped, so running it twice, or two runs racing,
    matures and credits once."""
    on = on or timezone.localdate()
    due = Holding.objects.filter(status=HoldingStatus.ACTIVE, matures_on__lte=on)
    holdings = holdings_lock(due.values_list("pk", flat=True), status=HoldingStatus.ACTIVE)
    accounts = income_accounts(holdings)
    drafts = []
    for holding in holdings:
        proceeds = proceeds_computed(holding, carrying=holding.cost)
        draft = _draft(holding, proceeds, accounts, on=holding.matures_on or on, by=None)
        drafts.append(draft)
        _record(holding, proceeds, draft.id, holding.matures_on or on)
    ledger_post_many(drafts=drafts)
    Holding.objects.bulk_update(holdings, MATURITY_FIELDS)
    audit_write(updated=[(h, _matured_changes(h)) for h in holdings])
    reinvested = _after(holdings, on=on)
    funds = Holding.objects.filter(
        status=HoldingStatus.ACTIVE,
        kind__in=list(ACCRUING_KINDS),
        placed_on__lt=math.month_start(on),
    ).exclude(last_credited_on__gte=math.month_start(on) - timedelta(days=1))
    locked = holdings_lock(funds.values_list("pk", flat=True), status=HoldingStatus.ACTIVE)
    credited = fund_credits_post(locked, through=math.month_start(on) - timedelta(days=1))
    return {
        "matured": len(holdings),
        "reinvested": len(reinvested),
        "funds_credited": sum(1 for net in credited.values() if net),
    }


def _confirmed(value: Decimal | None, field: str, *, zero_ok: bool = False) -> Decimal | None:
    if value is None:
        return None
    if (
        not value.is_finite()
        or value < ZERO
        or (value == ZERO and not zero_ok)
        or value > MAX_AMOUNT
        or money(value) != value
    ):
        raise ValidationFailed(
            InvestmentError.INVALID_PROCEEDS, maximum=f"{MAX_AMOUNT:,}", field=field
        )
    return money(value)


@durable
def holding_mature(
    *,
    holding: Holding,
    acting: Membership,
    confirmed_proceeds: Decimal | None = None,
    confirmed_tax: Decimal | None = None,
    matured_on: date | None = None,
) -> Holding:
    """The treasurer or the chair records a maturity (or a fund's redemption) by hand, with
    the proceeds the bank received and the tax withheld as the provider confirms them (ours
    when not given); a fund is first credited its interest up to that day. Refused, with
    nothing written: another role (403), a holding already matured (409 already_matured) or
    not active, a term not yet ended (409 not_due), proceeds below what the holding carries."""
    official_check(
        acting, chama_id=holding.chama_id, refused=InvestmentError.OFFICIALS_ONLY, roles=PLACERS
    )
    cash = _confirmed(confirmed_proceeds, "confirmed_proceeds")
    tax = _confirmed(confirmed_tax, "confirmed_tax", zero_ok=True)
    on = date_check(holding.chama, matured_on, field="matured_on")
    holding = holding_lock(holding.pk)
    if holding.status in (HoldingStatus.MATURED, HoldingStatus.CLOSED):
        assert holding.matured_on is not None
        raise ConflictError(InvestmentError.ALREADY_MATURED, date=holding.matured_on.isoformat())
    if holding.status != HoldingStatus.ACTIVE:
        raise ConflictError(InvestmentError.NOT_ACTIVE, status=holding.get_status_display().lower())
    if holding.matures_on is not None and on < holding.matures_on:
        raise ConflictError(InvestmentError.NOT_DUE, date=holding.matures_on.isoformat())
    carrying = holding.ledger_account.cached_balance
    if holding.kind in ACCRUING_KINDS:
        carrying += fund_credits_post([holding], through=on - timedelta(days=1), until=on).get(
            holding.pk, ZERO
        )
    computed = proceeds_computed(holding, carrying=carrying)
    proceeds = Proceeds(
        carrying,
        cash if cash is not None else computed.cash,
        tax if tax is not None else computed.tax,
        computed.computed,
    )
    if proceeds.income < ZERO:
        raise ValidationFailed(
            InvestmentError.PROCEEDS_BELOW_COST,
            proceeds=f"{proceeds.cash + proceeds.tax:,}",
            value=f"{carrying:,}",
            field="confirmed_proceeds",
        )
    accounts = income_accounts([holding])
    draft = _draft(holding, proceeds, accounts, on=on, by=acting.user)
    ledger_post_many(drafts=[draft])
    _record(holding, proceeds, draft.id, on)
    holding.confirmed_proceeds = cash
    holding.matured_by = acting
    holding.save(update_fields=MATURITY_FIELDS)
    _after([holding], on=on)
    return holding
