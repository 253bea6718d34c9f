"""Money state made by calling the services, never by writing ledger rows."""

from datetime import date
from decimal import Decimal

from finance.choices import PaymentMethod
from finance.services.contributions import contribution_record
from finance.services.cycles import cycle_create
from groups.choices import CycleFrequency, Plan
from tests.factories import add_member, make_chama


def merry_go_round(members: int = 4, amount: str = "10000.00", **split):
    """A monthly merry-go-round of ``members`` (seats 1..n), all of the contribution to
    rotation unless a split is given, with its first cycle started on 1 January 2026."""
    split = split or {"rotation_amount": Decimal(amount)}
    chama = make_chama(
        name="Pamoja Rotation",
        contribution_amount=Decimal(amount),
        cycle_frequency=CycleFrequency.MONTHLY,
        plan=Plan.PREMIUM,
        **{k: Decimal(v) for k, v in split.items()},
    )
    seats = [chama.memberships.get()]
    seats += [add_member(chama) for _ in range(members - 1)]
    cycle = cycle_create(chama=chama, start_date=date(2026, 1, 1))
    return chama, seats, cycle


def pay_in_cash(chama, members, amount: str):
    """Each member pays ``amount`` in cash at the meeting: the money is in the cash box (1030)."""
    return [
        contribution_record(
            chama=chama, membership=member, amount=Decimal(amount), method=PaymentMethod.CASH
        )
        for member in members
    ]


def pay_by_mpesa(chama, members, amount: str, receipt_prefix: str):
    """Each member pays ``amount`` by M-Pesa, with receipts ``<prefix>0``, ``<prefix>1``, …
    (give a nine-character prefix: receipts are ten letters and digits)."""
    return [
        contribution_record(
            chama=chama,
            membership=member,
            amount=Decimal(amount),
            method=PaymentMethod.MPESA,
            mpesa_receipt=f"{receipt_prefix}{i}",
        )
        for i, member in enumerate(members)
    ]
