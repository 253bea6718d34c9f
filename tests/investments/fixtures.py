"""Investments built through the services: money paid into the bank by a member, the seeded
options (migration 0002) with a known rate, holdings placed by the treasurer."""

from dataclasses import replace
from datetime import date
from decimal import ROUND_HALF_EVEN, Decimal
from importlib import import_module
from typing import Any
from uuid import uuid4

from finance.choices import PaymentMethod
from finance.models import LedgerAccount, Posting
from finance.services.contributions import contribution_record
from governance.selectors.constitution import constitution_rules_get
from governance.services.constitution import constitution_adopt
from groups.models import Chama
from investments.choices import OptionKind
from investments.models import Holding, InvestmentOption, OptionRate, TaxSetting
from investments.services.placements import holding_place
from tests.governance.meetings_fixtures import Club
from tests.governance.meetings_fixtures import make_club as make_club_of

BANK, PAYBILL, CASH = "1020", "1010", "1030"
# A rate day for the tests' options: every placement in these tests happens after it.
RATE_DAY = date(2025, 1, 1)


def make_club(name: str = "Umoja Investment Club", client_for: Any = None) -> Club:
    """The governance tests' chama with every role, named for an investment club."""
    return make_club_of(client_for, name=name)


def pay_in(club: Club, amount: str, method: str = PaymentMethod.BANK) -> None:
    """A member pays ``amount`` by bank transfer (1020), or by ``method`` (M-Pesa with a
    receipt of its own)."""
    receipt = f"TST{uuid4().hex[:7].upper()}" if method == PaymentMethod.MPESA else None
    contribution_record(
        chama=club.chama,
        membership=club.member,
        amount=Decimal(amount),
        method=method,
        mpesa_receipt=receipt,
    )


SEEDED = {
    OptionKind.TBILL_91: ("91-day Treasury bill", 91, "100000.00", "50000.00", ""),
    OptionKind.TBILL_182: ("182-day Treasury bill", 182, "100000.00", "50000.00", ""),
    OptionKind.MONEY_MARKET: ("Money-market fund (demo)", None, "1000.00", "1.00", "000000"),
}


def option(kind: str = OptionKind.TBILL_91, rate: str = "0.16") -> InvestmentOption:
    """A seeded option (migration 0002; made again here after a transactional test flushed
    it), with ``rate`` effective from RATE_DAY (the seeded history is older)."""
    TaxSetting.objects.get_or_create(
        effective_from=date(2000, 1, 1),
        defaults={"withholding_rate": Decimal("0.15"), "day_basis": 365},
    )
    name, term, minimum, increment, paybill = SEEDED[OptionKind(kind)]
    found, _ = InvestmentOption.objects.get_or_create(
        kind=kind,
        defaults={
            "name": name,
            "provider": "Central Bank of Kenya" if term else "Demo Asset Managers",
            "term_days": term,
            "minimum": Decimal(minimum),
            "increment": Decimal(increment),
            "receiving_paybill": paybill,
        },
    )
    OptionRate.objects.update_or_create(
        option=found, effective_from=RATE_DAY, defaults={"annual_rate": Decimal(rate)}
    )
    return found


def fixed_deposit(rate: str = "0.12", term: int = 180) -> InvestmentOption:
    found = InvestmentOption.objects.create(
        kind=OptionKind.FIXED_DEPOSIT,
        name=f"{term}-day fixed deposit",
        provider="Demo Bank",
        term_days=term,
        minimum=Decimal("10000.00"),
        increment=Decimal("1000.00"),
    )
    OptionRate.objects.create(option=found, annual_rate=Decimal(rate), effective_from=RATE_DAY)
    return found


def place(club: Club, opt: InvestmentOption, amount: str, **kw: Any) -> Holding:
    data: dict[str, Any] = {
        "chama": club.chama,
        "option": opt,
        "amount_or_face": Decimal(amount),
        "paying_account_code": BANK,
        "method": "manual",
        "acting": club.treasurer,
    }
    data.update(kw)
    return holding_place(**data)


def balance(chama: Chama, code: str) -> Decimal:
    """The chama-wide account's balance in its normal direction (debit-normal: as stored)."""
    account = LedgerAccount.objects.get(chama=chama, code=code, holding_id=None)
    return account.cached_balance if code[0] in "15" else -account.cached_balance


def legs(entry_id: Any) -> list[tuple[str, str, Decimal]]:
    """An entry's legs as (side, code, amount), in posting order."""
    return [
        (p.side, p.account.code, p.amount)
        for p in Posting.objects.filter(entry_id=entry_id).select_related("account")
    ]


def on_maturity(club: Club, action: str) -> None:
    """The chair adopts a constitution whose investments rule does ``action`` at maturity."""
    rules = constitution_rules_get(chama=club.chama)
    rules = replace(rules, investments=replace(rules.investments, on_maturity=action))
    constitution_adopt(chama=club.chama, acting=club.chair, rules=rules)


def cents(value: Decimal) -> Decimal:
    """Half-even to the cent, as the test works a figure out on its own."""
    return value.quantize(Decimal("0.01"), rounding=ROUND_HALF_EVEN)


def standard_options_ensure(request: Any) -> None:
    """The tax setting and options migration 0002 seeds, made again when a transactional test
    (which flushes every table) ran before this one: tests that read the seeded rates do not
    depend on the order they run in."""
    if request.node.get_closest_marker("django_db") is None:
        return
    from django.apps import apps

    request.getfixturevalue("_django_db_helper")
    seeding = import_module("investments.migrations.0002_seed_tax_and_standard_options")
    seeding.seed(apps, None)
