"""Chamas with dues and loans for the reminder jobs, and a day-by-day runner."""

from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

import time_machine

from accounts.models import Notification
from finance.choices import PaymentMethod
from finance.models import Cycle, Due, Loan, Round
from finance.services.contributions import contribution_record
from finance.services.cycles import cycle_create
from finance.services.loans import loan_apply, loan_approve, loan_disburse
from governance.services.reminders import ReminderRun
from groups.choices import CycleFrequency, Plan, Role
from groups.models import Chama, Membership
from tests.factories import add_member, appoint, make_chama

START = date(2026, 3, 10)  # the first round's meeting day: its dues fall due then


@dataclass
class Book:
    chama: Chama
    chair: Membership
    treasurer: Membership
    member: Membership


def book(start: date = START, name: str = "Umoja Group") -> Book:
    """A monthly chama of three (chair, treasurer, member) contributing 1,000 each, its first
    cycle starting on ``start``: three rounds, three dues each."""
    with time_machine.travel(f"{(start - timedelta(days=20)).isoformat()} 10:00 +0300", tick=False):
        chama = make_chama(
            name=name,
            contribution_amount=Decimal("1000.00"),
            cycle_frequency=CycleFrequency.MONTHLY,
            plan=Plan.PREMIUM,
        )
        chair = chama.memberships.get()
        treasurer, member = add_member(chama), add_member(chama)
        appoint(treasurer, Role.TREASURER, by=chair)
        cycle_create(chama=chama, start_date=start)
    return Book(chama, chair, treasurer, member)


def pay(book: Book, membership: Membership, amount: str = "1000.00") -> None:
    contribution_record(
        chama=book.chama, membership=membership, amount=Decimal(amount), method=PaymentMethod.CASH
    )


def at(day: date, clock: str = "08:00") -> time_machine.travel:
    return time_machine.travel(f"{day.isoformat()} {clock} +0300", tick=False)


def run_daily(
    job: Callable[[], ReminderRun],
    first: date,
    days: int,
    events: dict[date, Callable[[], None]] | None = None,
) -> list[int]:
    """Run ``job`` at 08:00 each day from ``first``, twice in a row (a double-fired beat),
    then whatever ``events`` holds for that day at noon; the second runs' counts, all zero
    when nothing is sent twice."""
    seconds = []
    for n in range(days):
        day = first + timedelta(days=n)
        with at(day):
            job()
            seconds.append(job().notified)
        if events and day in events:
            with at(day, "12:00"):
                events[day]()
    return seconds


def tally(memberships: Iterable[Membership]) -> dict[str, dict[str, int]]:
    """Notifications per member code and event."""
    out = {}
    for m in memberships:
        out[m.member_code] = dict(
            Counter(Notification.objects.filter(user=m.user_id).values_list("event", flat=True))
        )
    return out


def bulk_dues(chama: Chama, members: list[Membership], due_date: date) -> None:
    """One round of ``members``' dues falling due on ``due_date``, inserted directly (a
    200-member cycle through the service would be 40,000 dues)."""
    cycle = Cycle.objects.create(
        chama=chama, number=1, start_date=due_date, frequency=CycleFrequency.MONTHLY
    )
    round_ = Round.objects.create(
        cycle=cycle, chama=chama, number=1, meeting_date=due_date, recipient=members[0]
    )
    Due.objects.bulk_create(
        Due(
            round=round_,
            chama=chama,
            membership=m,
            due_date=due_date,
            expected_amount=Decimal("1000.00"),
            rotation_amount=Decimal("1000.00"),
            savings_amount=Decimal("0.00"),
            welfare_amount=Decimal("0.00"),
        )
        for m in members
    )


def lending_book(start: date = START) -> tuple[Book, Loan]:
    """A table-banking chama whose three members saved 10,000 each in cash on ``start``,
    and the member's 12,000 loan disbursed that day at 10% a month flat over two months:
    two installments of 7,200, a month apart."""
    with at(start, "10:00"):
        chama = make_chama(
            name="Jirani Table Banking",
            contribution_amount=Decimal("5000.00"),
            cycle_frequency=CycleFrequency.MONTHLY,
            plan=Plan.PREMIUM,
        )
        chair = chama.memberships.get()
        treasurer, member = add_member(chama), add_member(chama)
        appoint(treasurer, Role.TREASURER, by=chair)
        found = Book(chama, chair, treasurer, member)
        cycle_create(chama=chama, start_date=start)
        for saver in (chair, treasurer, member):
            pay(found, saver, "10000.00")
        loan = loan_apply(
            chama=chama,
            membership=member,
            acting=member,
            principal=Decimal("12000.00"),
            term_months=2,
            interest_rate=Decimal("0.10"),
            interest_rate_period="month",
            interest_method="flat",
        )
        loan = loan_approve(loan=loan, acting=chair)
        loan_disburse(loan=loan, acting=treasurer, method="cash")
    return found, loan
