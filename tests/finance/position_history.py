"""A chama's first four months, made by calling the services: the history the position tests
read.

Pamoja Rotation meets monthly from 1 January 2026 with six seats; each owes 3,000 a month
(2,000 to the rotation, 1,000 to savings), paid in cash. M005 (seat 5, a plain member):

  01-01, 02-01  pays 3,000 each month                       savings 1,000 → 2,000
  01-05         round 1's pot (6 x 2,000 = 12,000) paid to M001 in cash
  02-10         borrows 3,000 flat at 0.10 a month over 3 months: 1,300 x 3 from 03-10
  03-01         pays only 1,000: round 3's due is partial (the pot's part first)
  03-10         repays 1,300: installment 1 paid
  04-01         pays nothing for round 4
  04-12         claims 2,000 from the welfare fund for a hospital bill
  04-15         the penalty job: installment 2 (due 04-10) is late, 5% of 1,300 = 65.00
"""

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import time_machine

from finance.choices import PaymentMethod, PayoutMethod
from finance.models import Loan
from finance.services.contributions import contribution_record
from finance.services.loans import loan_apply, loan_approve, loan_disburse, loan_repay
from finance.services.loans.collections import loan_penalties_run
from finance.services.payouts import payout_approve, payout_request
from finance.services.welfare import welfare_claim_submit
from groups.choices import Role
from groups.models import Chama, Membership
from tests.factories import add_member, appoint
from tests.finance.factories import merry_go_round, pay_in_cash

NAIROBI = ZoneInfo("Africa/Nairobi")
TODAY = date(2026, 4, 15)


@contextmanager
def on(day: str) -> Iterator[None]:
    with time_machine.travel(datetime.fromisoformat(f"{day}T10:00").replace(tzinfo=NAIROBI)):
        yield


@dataclass
class Year:
    chama: Chama
    seats: list[Membership]
    auditor: Membership
    loan: Loan

    @property
    def subject(self) -> Membership:
        return self.seats[4]

    @property
    def people(self) -> dict[str, Membership]:
        chair, treasurer, secretary, _, member, other = self.seats
        return {
            "chair": chair,
            "treasurer": treasurer,
            "secretary": secretary,
            "auditor": self.auditor,
            "member": member,
            "other": other,
        }


def _pay(chama: Chama, member: Membership, amount: str) -> None:
    contribution_record(
        chama=chama, membership=member, amount=Decimal(amount), method=PaymentMethod.CASH
    )


def build_year() -> Year:
    with on("2026-01-01"):
        chama, seats, cycle = merry_go_round(
            members=6, amount="3000.00", rotation_amount="2000.00", savings_amount="1000.00"
        )
        chair, treasurer, secretary = seats[:3]
        appoint(treasurer, Role.TREASURER, by=chair)
        appoint(secretary, Role.SECRETARY, by=chair)
        auditor = add_member(chama, role=Role.AUDITOR)  # joined after the cycle: no seat, no dues
        pay_in_cash(chama, seats, "3000.00")
    subject, others = seats[4], seats[:4] + seats[5:]
    with on("2026-01-05"):
        payout = payout_request(
            round=cycle.rounds.get(number=1), acting=treasurer, method=PayoutMethod.CASH
        )
        payout_approve(payout=payout, acting=secretary)
    with on("2026-02-01"):
        pay_in_cash(chama, seats, "3000.00")
    with on("2026-02-10"):
        loan = loan_apply(
            chama=chama,
            membership=subject,
            acting=subject,
            principal=Decimal("3000.00"),
            term_months=3,
        )
        loan = loan_approve(loan=loan, acting=chair)
        loan = loan_disburse(loan=loan, acting=treasurer, method=PaymentMethod.CASH)
    with on("2026-03-01"):
        pay_in_cash(chama, others, "3000.00")
        _pay(chama, subject, "1000.00")
    with on("2026-03-10"):
        loan_repay(loan=loan, amount=Decimal("1300.00"), method=PaymentMethod.CASH)
    with on("2026-04-01"):
        pay_in_cash(chama, others, "3000.00")
    with on("2026-04-12"):
        welfare_claim_submit(
            chama=chama,
            membership=subject,
            claim_type="hospital",
            amount=Decimal("2000.00"),
            description="Clinic bill",
            acting=subject,
        )
    with on("2026-04-15"):
        loan_penalties_run()
    return Year(chama, seats, auditor, loan)
