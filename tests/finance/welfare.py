"""Welfare-fund state for tests, made only by calling the services."""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

import time_machine
from django.utils import timezone

from finance import chart
from finance.choices import PaymentMethod, PayoutMethod, WelfareClaimType
from finance.models import WelfareClaim
from finance.services.contributions import contribution_record
from finance.services.ledger import ledger_account_get
from finance.services.welfare import (
    welfare_claim_approve,
    welfare_claim_pay,
    welfare_claim_reject,
    welfare_claim_submit,
    welfare_fund_available,
)
from groups.choices import Role
from groups.models import Chama, Membership
from tests.factories import add_member, appoint
from tests.finance.factories import merry_go_round


@dataclass
class WelfareBook:
    """A merry-go-round of 1,000 a month (600 rotation, 400 welfare), with one member in each
    role. Seats 1 to 4 are chair, treasurer, secretary and a plain member; the auditor joined
    after the cycle started."""

    chama: Chama
    chair: Membership
    treasurer: Membership
    secretary: Membership
    member: Membership
    auditor: Membership

    @property
    def seats(self) -> list[Membership]:
        return [self.chair, self.treasurer, self.secretary, self.member]


def welfare_book(welfare: str = "400.00") -> WelfareBook:
    chama, seats, _cycle = merry_go_round(
        members=4,
        amount="1000.00",
        rotation_amount=str(Decimal("1000.00") - Decimal(welfare)),
        welfare_amount=welfare,
    )
    chair, treasurer, secretary, member = seats
    treasurer = appoint(treasurer, Role.TREASURER, by=None)
    secretary = appoint(secretary, Role.SECRETARY, by=None)
    auditor = add_member(chama, role=Role.AUDITOR)
    return WelfareBook(chama, chair, treasurer, secretary, member, auditor)


def contribute(book: WelfareBook, method: str = PaymentMethod.CASH) -> None:
    """Every seat pays its first month in full: the welfare parts go to the fund (4 x 400).
    By M-Pesa, with receipts made of the chama's code and the seat."""
    for seat in book.seats:
        contribution_record(
            chama=book.chama,
            membership=seat,
            amount=Decimal("1000.00"),
            method=method,
            mpesa_receipt=f"WB{book.chama.code}0{seat.seat}"
            if method == PaymentMethod.MPESA
            else None,
        )


def balance(chama: Chama, code: str) -> Decimal:
    return ledger_account_get(chama=chama, code=code).cached_balance


def fund_available(chama: Chama) -> Decimal:
    """What the welfare fund can pay out: its balance less the claims in flight."""
    return welfare_fund_available(ledger_account_get(chama=chama, code=chart.WELFARE_FUND))


def submit(
    book: WelfareBook,
    claimant: Membership,
    amount: str,
    claim_type: str = WelfareClaimType.HOSPITAL,
    by: Membership | None = None,
) -> WelfareClaim:
    return welfare_claim_submit(
        chama=book.chama,
        membership=claimant,
        claim_type=claim_type,
        amount=Decimal(amount),
        description="Admitted to hospital after a road accident.",
        acting=by or claimant,
    )


def approved(book: WelfareBook, claimant: Membership, amount: str) -> WelfareClaim:
    """A claim the chair (or, when the chair claims, the treasurer) has approved."""
    checker = book.treasurer if claimant == book.chair else book.chair
    return welfare_claim_approve(claim=submit(book, claimant, amount), acting=checker)


def paid(book: WelfareBook, claimant: Membership, amount: str) -> WelfareClaim:
    return welfare_claim_pay(
        claim=approved(book, claimant, amount), acting=book.treasurer, method=PayoutMethod.CASH
    )


def sent(book: WelfareBook, claimant: Membership, amount: str) -> WelfareClaim:
    """Approved, then paid by M-Pesa B2C by the treasurer: in flight."""
    return welfare_claim_pay(
        claim=approved(book, claimant, amount), acting=book.treasurer, method=PayoutMethod.MPESA
    )


def at(day: date) -> Any:
    """Live through ``day``, at ten in the morning in Nairobi."""
    moment = datetime.combine(day, time(10), tzinfo=timezone.get_default_timezone())
    return time_machine.travel(moment, tick=False)


# A chama that began 400 days before ``on`` and whose fund granted these claims, each
# (days before ``on``, amount): tests/finance/test_welfare_forecast.py works the figures.
FORECAST_CLAIMS = [
    (10, "3000.00"),
    (45, "5000.00"),
    (100, "2000.00"),
    (200, "4000.00"),
    (300, "6000.00"),
    (350, "10000.00"),
    (380, "8000.00"),
]


def claim_history(
    on: date, claims: Iterable[tuple[int, str]] = FORECAST_CLAIMS, *, began: int = 400
) -> WelfareBook:
    """A welfare book begun ``began`` days before ``on``, where the member's claims of
    ``claims`` were each approved on their day, and on the forecast's last day a claim
    rejected and one left submitted (neither is granted)."""
    with at(on - timedelta(days=began)):
        book = welfare_book()
    for days, amount in claims:
        with at(on - timedelta(days=days)):
            approved(book, book.member, amount)
    with at(on - timedelta(days=1)):
        submit(book, book.member, "70000.00")
        refused = submit(book, book.secretary, "90000.00")
        welfare_claim_reject(claim=refused, acting=book.chair, note="Not a welfare need")
    return book
