"""A chama's first weeks, made by calling the services: the history the statement tests read.

Umoja Savings Group (UMJ001) meets monthly from 1 January 2026; each member owes 10,000 a month
(8,000 to the rotation, 1,500 to savings, 500 to welfare). Every event happens at its own
Nairobi time, so entries of one day keep the order in which they were recorded.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import time_machine

from finance.choices import PaymentMethod, PayoutMethod
from finance.models import Contribution, JournalEntry
from finance.services.contributions import contribution_record, contribution_reverse
from finance.services.cycles import cycle_create
from finance.services.payouts import payout_approve, payout_request, payout_settle
from groups.choices import Plan, Role
from groups.models import Chama, Membership
from tests.factories import add_member, make_chama

NAIROBI = ZoneInfo("Africa/Nairobi")


@contextmanager
def at(day: str, time: str = "09:00") -> Iterator[None]:
    """Travel to that Nairobi time; the clock keeps ticking, so later entries sort later."""
    moment = datetime.fromisoformat(f"{day}T{time}").replace(tzinfo=NAIROBI)
    with time_machine.travel(moment, tick=True):
        yield


@dataclass
class History:
    chama: Chama
    chair: Membership  # M001, seat 1: receives round 1's pot
    treasurer: Membership  # M002
    secretary: Membership  # M003
    auditor: Membership  # M004
    member: Membership  # M005
    other: Membership  # M006, a plain member too
    entries: dict[str, JournalEntry | None]

    @property
    def people(self) -> dict[str, Membership]:
        return {
            "chair": self.chair,
            "treasurer": self.treasurer,
            "secretary": self.secretary,
            "auditor": self.auditor,
            "member": self.member,
            "other": self.other,
        }


def _pay(
    chama: Chama,
    member: Membership,
    amount: str,
    method: str,
    receipt: str | None,
    recorded_by: Membership,
) -> Contribution:
    return contribution_record(
        chama=chama,
        membership=member,
        amount=Decimal(amount),
        method=method,
        mpesa_receipt=receipt,
        paid_at=datetime.now(tz=NAIROBI),
        recorded_by=recorded_by.user,
    )


def build_history() -> History:
    """Needs the ``b2c_gateway`` fixture (round 1's pot leaves by M-Pesa B2C). The entries are
    keyed by receipt (or the payer's member code), ``reversal``, ``payout_sent`` and
    ``payout_settled``.

    Cash in and out (chama view), by date:
      01-03 M001 10,000 M-Pesa RCA0000001     → 10,000
      01-04 M002 10,000 M-Pesa RCA0000002     → 20,000
      01-05 M003 10,000 M-Pesa RCA0000003     → 30,000
      01-05 M004 10,000 bank                  → 40,000
      01-06 M005  4,000 M-Pesa RCA0000005     → 44,000
      01-07 M005  6,000 M-Pesa RCA0000006     → 50,000
      01-07 M006 10,500 M-Pesa RCA0000007     → 60,500
      01-08 reversal of RCA0000007 (-10,500)  → 50,000
      01-08 M006 10,000 M-Pesa RCA0000008     → 60,000
      01-10 round 1 pot to M001 by B2C -48,000 → 12,000 (the paybill held 50,000 of it)
      01-11 B2C confirmed SBC0000001 (no cash: M001's statement only)
      02-03 M005 10,000 M-Pesa RCA0000009     → 22,000
    """
    with at("2026-01-01", "08:00"):
        chama = make_chama(
            name="Umoja Savings Group",
            code="UMJ001",
            contribution_amount=Decimal("10000.00"),
            rotation_amount=Decimal("8000.00"),
            savings_amount=Decimal("1500.00"),
            welfare_amount=Decimal("500.00"),
            plan=Plan.PREMIUM,
        )
        chair = chama.memberships.get()
        treasurer = add_member(chama, role=Role.TREASURER)
        secretary = add_member(chama, role=Role.SECRETARY)
        auditor = add_member(chama, role=Role.AUDITOR)
        member = add_member(chama)
        other = add_member(chama)
        cycle = cycle_create(chama=chama, start_date=date(2026, 1, 1))
    mpesa, bank = PaymentMethod.MPESA, PaymentMethod.BANK
    entries: dict[str, JournalEntry | None] = {}
    script = [
        ("2026-01-03", chair, "10000.00", mpesa, "RCA0000001"),
        ("2026-01-04", treasurer, "10000.00", mpesa, "RCA0000002"),
        ("2026-01-05", secretary, "10000.00", mpesa, "RCA0000003"),
        ("2026-01-05", auditor, "10000.00", bank, None),
        ("2026-01-06", member, "4000.00", mpesa, "RCA0000005"),
        ("2026-01-07", member, "6000.00", mpesa, "RCA0000006"),
        ("2026-01-07", other, "10500.00", mpesa, "RCA0000007"),
    ]
    for index, (day, payer, amount, method, receipt) in enumerate(script):
        with at(day, f"10:{index:02d}"):
            contribution = _pay(chama, payer, amount, method, receipt, treasurer)
        entries[receipt or payer.member_code] = contribution.entry
    with at("2026-01-08", "09:00"):
        mistaken = Contribution.objects.get(mpesa_receipt="RCA0000007")
        reversed_ = contribution_reverse(
            contribution=mistaken, acting=treasurer, reason="Wrong amount"
        )
        entries["reversal"] = reversed_.reversal_entry
    with at("2026-01-08", "09:30"):
        entries["RCA0000008"] = _pay(chama, other, "10000.00", mpesa, "RCA0000008", treasurer).entry
    round1 = cycle.rounds.get(number=1)
    with at("2026-01-10", "11:00"):
        payout = payout_request(round=round1, acting=treasurer, method=PayoutMethod.MPESA)
        sent = payout_approve(payout=payout, acting=chair)
        entries["payout_sent"] = sent.sent_entry
    with at("2026-01-11", "15:00"):
        entries["payout_settled"] = payout_settle(payout=payout, receipt="SBC0000001").settled_entry
    with at("2026-02-03", "10:00"):
        entries["RCA0000009"] = _pay(
            chama, member, "10000.00", mpesa, "RCA0000009", treasurer
        ).entry
    return History(chama, chair, treasurer, secretary, auditor, member, other, entries)
