"""A chama's first four months, made only by calling the services, for the credit scores.

Pamoja is a table-banking chama of 1,000.00 a month, all to savings; its four members joined
on 1 January 2026 and its first cycle has dues on 1 January, 1 February, 1 March and 1 April
(no grace days). Meetings were held on 15 January, 15 February and 15 March.

- seat 1, the chair (the **regular payer**): pays every due on its day, attends all three.
- seat 2, the treasurer (the **late payer**): pays January on time, February on the 10th
  (late), March on time and never April; present, late, absent.
- seat 3 (the **defaulter**): pays every due on its day; borrows 3,000.00 on 10 January over
  three months (installments 10 February, 10 March, 10 April) and repays nothing; present,
  absent, excused.
- seat 4 (the **slow borrower**): pays January only; borrows 3,000.00 on 10 January too,
  repays the first installment on its day, the second ten days late and never the third;
  absent from all three.
- the **newcomer** joins on 20 April: no dues, no loan, no meeting since.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import time_machine

from finance.choices import PaymentMethod
from finance.models import Loan
from finance.services.contributions import contribution_record
from finance.services.loans import loan_apply, loan_approve, loan_disburse, loan_repay
from governance.models import AttendanceStatus
from governance.services.meetings import attendance_record, meeting_schedule
from groups.choices import Role
from groups.models import Chama, Membership
from tests.factories import add_member, appoint
from tests.finance.factories import merry_go_round

NAIROBI = ZoneInfo("Africa/Nairobi")
PRESENT, LATE = AttendanceStatus.PRESENT, AttendanceStatus.LATE
ABSENT, EXCUSED = AttendanceStatus.ABSENT, AttendanceStatus.EXCUSED


@contextmanager
def on(day: str, hour: int = 9) -> Iterator[None]:
    moment = datetime.fromisoformat(day).replace(hour=hour, tzinfo=NAIROBI)
    with time_machine.travel(moment, tick=False):
        yield


@dataclass
class Pamoja:
    chama: Chama
    regular: Membership
    late: Membership
    defaulter: Membership
    absent: Membership
    newcomer: Membership


def _pay(chama: Chama, member: Membership, day: str) -> None:
    with on(day):
        contribution_record(
            chama=chama, membership=member, amount=Decimal("1000.00"), method=PaymentMethod.CASH
        )


def _meeting(chama: Chama, chair: Membership, day: str, statuses: dict[Membership, str]) -> None:
    with on(day, hour=10):
        starts = datetime.fromisoformat(day).replace(hour=10, tzinfo=NAIROBI)
        meeting = meeting_schedule(
            chama=chama,
            acting=chair,
            starts_at=starts,
            ends_at=starts + timedelta(hours=2),
            place="Community hall",
        )
    with on(day, hour=13):
        attendance_record(
            meeting=meeting,
            acting=chair,
            attendance=[{"member_id": m.pk, "status": s} for m, s in statuses.items()],
        )


def _lend(borrower: Membership, *, approver: Membership, payer: Membership) -> Loan:
    """3,000.00 over three months on the policy's terms, approved and paid out in cash."""
    loan = loan_apply(
        chama=borrower.chama,
        membership=borrower,
        acting=borrower,
        principal=Decimal("3000.00"),
        term_months=3,
    )
    approved = loan_approve(loan=loan, acting=approver)
    return loan_disburse(loan=approved, acting=payer, method=PaymentMethod.CASH)


def pamoja() -> Pamoja:
    with on("2026-01-01", hour=8):
        chama, seats, _ = merry_go_round(
            members=4, amount="1000.00", rotation_amount="0.00", savings_amount="1000.00"
        )
        regular, late, defaulter, absent = seats
        late = appoint(late, Role.TREASURER, by=regular)
    for day in ("2026-01-01", "2026-02-01", "2026-03-01", "2026-04-01"):
        _pay(chama, regular, day)
        _pay(chama, defaulter, day)
    for day in ("2026-01-01", "2026-02-10", "2026-03-01"):
        _pay(chama, late, day)
    _pay(chama, absent, "2026-01-01")
    with on("2026-01-10"):
        _lend(defaulter, approver=regular, payer=late)
        slow = _lend(absent, approver=regular, payer=late)
    first, second, _third = slow.installments.order_by("number")
    for installment, day in ((first, "2026-02-10"), (second, "2026-03-20")):
        with on(day):
            loan_repay(loan=slow, amount=installment.total, method=PaymentMethod.CASH)
    attendance = [
        ("2026-01-15", (PRESENT, PRESENT, PRESENT, ABSENT)),
        ("2026-02-15", (PRESENT, LATE, ABSENT, ABSENT)),
        ("2026-03-15", (PRESENT, ABSENT, EXCUSED, ABSENT)),
    ]
    for day, statuses in attendance:
        _meeting(chama, regular, day, dict(zip(seats, statuses, strict=True)))
    with on("2026-04-20"):
        newcomer = add_member(chama)
    return Pamoja(chama, regular, late, defaulter, absent, newcomer)
