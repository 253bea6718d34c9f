"""Placing a chama's money in an investment option.

An official (the treasurer or the chair) records a placement made by hand (a bank transfer
to the broker, the CBK's DhowCSD), with the broker's reference and the confirmed figures when
known, or sends it by M-Pesa to the option's paybill. Either way the price leaves a named
cash account into the holding's own 1200 sub-account, and a T-bill's withholding tax, paid
up front with the price, goes to 5400 (DESIGN §3.2):

    Dr 1200 (holding)  cost
    Dr 5400            tax withheld up front (T-bills)
    Cr 1010/1020/1030  cost + tax

The ledger refuses a paying account that cannot cover it (409 insufficient_funds), and
nothing is written. By M-Pesa the money is first parked in flight (Dr 1090 · Cr 1010), then
the provider's answer settles it into the holding (Dr 1200, 5400 · Cr 1090) or returns it
(Dr 1010 · Cr 1090), as payouts do (finance.services.in_flight).
"""

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from uuid import UUID, uuid4

from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts.models import User
from core.db import durable
from core.exceptions import ConflictError, UpstreamUnavailable, ValidationFailed
from core.money import MAX_AMOUNT, ZERO, money
from finance import chart
from finance.choices import EntryType
from finance.dates import earliest_date
from finance.gateways import PAYBILL_GATEWAY, PAYOUT_GATEWAYS, Transfer, TransferKind
from finance.services.in_flight import in_flight_account, transfer_dispatch
from finance.services.ledger import credit, debit, ledger_account_get, ledger_post
from finance.services.ledger_holdings import ledger_holding_account_open
from groups.choices import Role
from groups.models import Chama, Membership
from groups.rules import official_check
from investments import math
from investments.choices import TBILL_KINDS, HoldingStatus, PlacementMethod
from investments.exceptions import InvestmentError
from investments.models import PAYING_ACCOUNT_CODES, Holding, InvestmentOption
from investments.selectors import option_rate_on, tax_setting_on

# Who places and matures the chama's investments.
PLACERS = frozenset({Role.CHAIR, Role.TREASURER})


@dataclass(frozen=True)
class Terms:
    """A placement's figures: ours (``computed_*``) and those the ledger books."""

    annual_rate: Decimal
    day_basis: int
    withholding_rate: Decimal
    face: Decimal | None
    computed_price: Decimal
    computed_tax: Decimal
    cost: Decimal
    tax_up_front: Decimal
    matures_on: date | None


def _amount(value: Decimal, error: InvestmentError, field: str) -> Decimal:
    if not value.is_finite() or value <= ZERO or value > MAX_AMOUNT or money(value) != value:
        raise ValidationFailed(error, maximum=f"{MAX_AMOUNT:,}", field=field)
    return money(value)


def _check_steps(option: InvestmentOption, amount: Decimal, currency: str) -> None:
    """At least the option's minimum, then in its increments (T-bills: 100,000 face, then
    multiples of 50,000)."""
    fields = {
        "option": option.name,
        "currency": currency,
        "minimum": f"{option.minimum:,}",
        "increment": f"{option.increment:,}",
    }
    if amount < option.minimum:
        raise ValidationFailed(InvestmentError.BELOW_MINIMUM, field="amount", **fields)
    if (amount - option.minimum) % option.increment != ZERO:
        raise ValidationFailed(InvestmentError.NOT_AN_INCREMENT, field="amount", **fields)


def date_check(chama: Chama, day: date | None, *, field: str) -> date:
    """A date an official gives (today when none): not in the future, nor before the
    chama's earliest date (finance.dates: a year before it joined Hazina)."""
    today = timezone.localdate()
    if day is None:
        return today
    earliest = earliest_date(chama)
    if not earliest <= day <= today:
        raise ValidationFailed(
            InvestmentError.DATE_OUT_OF_RANGE,
            name=field,
            earliest=earliest.isoformat(),
            today=today.isoformat(),
            field=field,
        )
    return day


def holding_terms(
    *,
    option: InvestmentOption,
    amount: Decimal,
    placed_on: date,
    currency: str,
    confirmed_price: Decimal | None = None,
    confirmed_tax: Decimal | None = None,
) -> Terms:
    """Check ``amount`` against the option and work out what a placement on ``placed_on``
    costs (a T-bill's ``amount`` is its face value; any other option's, the sum placed).
    What the ledger books is the confirmed figures when given, else ours."""
    amount = _amount(amount, InvestmentError.INVALID_AMOUNT, "amount")
    _check_steps(option, amount, currency)
    rate = option_rate_on(option, placed_on)
    if rate is None:
        raise ValidationFailed(InvestmentError.NO_RATE, date=placed_on.isoformat())
    tax = tax_setting_on(placed_on)
    if tax is None:
        raise ValidationFailed(InvestmentError.NO_TAX_SETTING, date=placed_on.isoformat())
    term = option.term_days
    matures_on = placed_on + timedelta(days=term) if term else None
    if confirmed_price is not None:
        confirmed_price = _amount(
            confirmed_price, InvestmentError.INVALID_AMOUNT, "confirmed_price"
        )
    if confirmed_tax is not None and (
        not confirmed_tax.is_finite()
        or confirmed_tax < ZERO
        or money(confirmed_tax) != confirmed_tax
    ):
        raise ValidationFailed(
            InvestmentError.INVALID_AMOUNT, maximum=f"{MAX_AMOUNT:,}", field="confirmed_tax"
        )
    if option.kind not in TBILL_KINDS:
        if confirmed_tax:
            raise ValidationFailed(
                InvestmentError.CONFIRMED_TAX_NOT_UP_FRONT, field="confirmed_tax"
            )
        return Terms(
            rate, tax.day_basis, tax.withholding_rate, None, amount, ZERO,
            confirmed_price or amount, ZERO, matures_on,
        )  # fmt: skip
    assert term is not None  # a T-bill's term is its tenor (a constraint)
    price = math.tbill_price(amount, rate, term, tax.day_basis)
    computed_tax = math.withholding(math.tbill_discount(amount, price), tax.withholding_rate)
    cost = confirmed_price or price
    if cost >= amount:
        raise ValidationFailed(
            InvestmentError.INVALID_CONFIRMED_PRICE, face=f"{amount:,}", field="confirmed_price"
        )
    if confirmed_tax is None:
        confirmed_tax = (
            computed_tax
            if confirmed_price is None
            else math.withholding(amount - cost, tax.withholding_rate)
        )
    return Terms(
        rate, tax.day_basis, tax.withholding_rate, amount, price, computed_tax,
        cost, money(confirmed_tax), matures_on,
    )  # fmt: skip


def holding_open(
    *,
    chama: Chama,
    option: InvestmentOption,
    terms: Terms,
    paying_account_code: str,
    method: PlacementMethod,
    placed_on: date,
    placed_by: Membership | None,
    recorded_by: User | None,
    confirmed_price: Decimal | None = None,
    confirmed_tax: Decimal | None = None,
    broker_reference: str = "",
    proposal_id: UUID | None = None,
    reinvested_from: Holding | None = None,
) -> Holding:
    """Create the holding and post its placement inside the caller's durable transaction:
    by hand, at once (Dr 1200 holding, 5400 · Cr the paying account); by M-Pesa, in flight
    (Dr 1090 · Cr 1010) with the transfer sent once the transaction commits."""
    holding_id = uuid4()
    account = ledger_holding_account_open(
        chama=chama, holding_id=holding_id, label=f"{option.name} {placed_on.isoformat()}"
    )
    paying = ledger_account_get(chama=chama, code=paying_account_code)
    total = terms.cost + terms.tax_up_front
    holding = Holding(
        id=holding_id,
        chama=chama,
        option=option,
        kind=option.kind,
        method=method,
        paying_account=paying_account_code,
        placed_on=placed_on,
        matures_on=terms.matures_on,
        annual_rate=terms.annual_rate,
        day_basis=terms.day_basis,
        withholding_rate=terms.withholding_rate,
        face=terms.face,
        computed_price=terms.computed_price,
        computed_tax=terms.computed_tax,
        confirmed_price=confirmed_price,
        confirmed_tax=confirmed_tax,
        cost=terms.cost,
        tax_withheld_up_front=terms.tax_up_front,
        broker_reference=broker_reference,
        proposal_id=proposal_id,
        reinvested_from=reinvested_from,
        ledger_account=account,
        placed_by=placed_by,
    )
    memo = f"Placed in {option.name}" + (f", ref {broker_reference}" if broker_reference else "")
    if method == PlacementMethod.MPESA:
        holding.status = HoldingStatus.PLACING
        holding.in_flight_entry = ledger_post(
            chama=chama,
            entry_type=EntryType.INVESTMENT_IN_FLIGHT,
            lines=[debit(in_flight_account(chama), total), credit(paying, total)],
            effective_date=placed_on,
            memo=f"{memo} (sent by M-Pesa)",
            idempotency_key=f"transfer:{holding_id.hex}:sent",
            recorded_by=recorded_by,
        )
    else:
        holding.status = HoldingStatus.ACTIVE
        holding.placement_entry = ledger_post(
            chama=chama,
            entry_type=EntryType.INVESTMENT_PLACED,
            lines=[
                debit(account, terms.cost),
                debit(
                    ledger_account_get(chama=chama, code=chart.WITHHOLDING_TAX), terms.tax_up_front
                ),
                credit(paying, total),
            ],
            effective_date=placed_on,
            memo=memo,
            idempotency_key=f"holding:{holding_id}:placed",
            recorded_by=recorded_by,
        )
    try:
        with transaction.atomic():
            holding.save(force_insert=True)
    except IntegrityError as exc:  # investments_holding_proposal_id: two executions raced
        raise ConflictError(InvestmentError.PROPOSAL_EXECUTED, field="proposal_id") from exc
    if method == PlacementMethod.MPESA:
        transfer_dispatch(
            gateway=PAYOUT_GATEWAYS[PAYBILL_GATEWAY],
            transfer=Transfer(
                kind=TransferKind.INVESTMENT,
                object_id=holding_id,
                chama_id=chama.pk,
                amount=total,
                destination=option.receiving_paybill,
                reference=holding_id.hex,
                remarks=f"{chama.name}: {option.name}"[:100],
            ),
        )
    return holding


@durable
def holding_place(
    *,
    chama: Chama,
    option: InvestmentOption,
    amount_or_face: Decimal,
    paying_account_code: str,
    method: str,
    acting: Membership,
    broker_reference: str = "",
    confirmed_price: Decimal | None = None,
    confirmed_tax: Decimal | None = None,
    proposal_id: UUID | None = None,
    placed_on: date | None = None,
) -> Holding:
    """The treasurer or the chair places ``amount_or_face`` (a T-bill's face value, any
    other option's sum) in ``option`` from the paybill, the bank or cash. Refused, with
    nothing written: another role (403), an option closed or without a rate, an amount below
    the minimum or off the increments, a paying account that cannot cover it (409
    insufficient_funds), a proposal already placed (409 proposal_executed)."""
    official_check(acting, chama_id=chama.pk, refused=InvestmentError.OFFICIALS_ONLY, roles=PLACERS)
    if not option.is_active:
        raise ValidationFailed(InvestmentError.OPTION_INACTIVE, field="option_id")
    if method not in PlacementMethod.values:
        raise ValidationFailed(InvestmentError.INVALID_METHOD, field="method")
    if paying_account_code not in PAYING_ACCOUNT_CODES:
        raise ValidationFailed(InvestmentError.INVALID_ACCOUNT, field="paying_account")
    placed_on = date_check(chama, placed_on, field="placed_on")
    if method == PlacementMethod.MPESA:
        if paying_account_code != chart.MPESA_PAYBILL:
            raise ValidationFailed(InvestmentError.MPESA_FROM_PAYBILL, field="paying_account")
        if not option.receiving_paybill:
            raise ValidationFailed(InvestmentError.NO_RECEIVING_PAYBILL, field="method")
        if PAYBILL_GATEWAY not in PAYOUT_GATEWAYS:
            raise UpstreamUnavailable(InvestmentError.PAYBILL_GATEWAY_UNAVAILABLE)
    if proposal_id is not None and Holding.objects.filter(proposal_id=proposal_id).exists():
        raise ConflictError(InvestmentError.PROPOSAL_EXECUTED, field="proposal_id")
    terms = holding_terms(
        option=option,
        amount=amount_or_face,
        placed_on=placed_on,
        currency=chama.currency,
        confirmed_price=confirmed_price,
        confirmed_tax=confirmed_tax,
    )
    return holding_open(
        chama=chama,
        option=option,
        terms=terms,
        paying_account_code=paying_account_code,
        method=PlacementMethod(method),
        placed_on=placed_on,
        placed_by=acting,
        recorded_by=acting.user,
        confirmed_price=confirmed_price,
        confirmed_tax=None if confirmed_tax is None else money(confirmed_tax),
        broker_reference=broker_reference.strip()[:64],
        proposal_id=proposal_id,
    )
