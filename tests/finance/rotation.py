"""A three-seat merry-go-round whose treasurer records the payments, for the payout and
top-up tests: each pays 10,000 a round, 6,000 to the pot and 4,000 to their savings."""

from dataclasses import dataclass
from decimal import Decimal

from finance import chart
from finance.choices import PaymentMethod, PayoutStatus
from finance.models import Cycle, Payout, Round
from finance.services.contributions import contribution_record
from groups.choices import Role
from groups.models import Chama, Membership
from tests.factories import appoint
from tests.finance.books import balance
from tests.finance.factories import merry_go_round


@dataclass
class Rotation:
    chama: Chama
    chair: Membership  # seat 1, round 1's recipient
    treasurer: Membership  # seat 2
    member: Membership  # seat 3
    cycle: Cycle

    def round(self, number: int) -> Round:
        return self.cycle.rounds.get(number=number)

    def pay(self, member: Membership, amount: str, method: str = PaymentMethod.CASH, **kw):
        """``member`` pays ``amount``, recorded by the treasurer."""
        return contribution_record(
            chama=self.chama,
            membership=member,
            amount=Decimal(amount),
            method=method,
            recorded_by=self.treasurer.user,
            **kw,
        )

    def requested_top_up(self, number: int) -> tuple[str, bool, Decimal, object]:
        """Round ``number``'s payout awaiting approval, as (kind, automatic, amount, maker)."""
        payout = Payout.objects.get(round=self.round(number), status=PayoutStatus.REQUESTED)
        return payout.kind, payout.automatic, payout.amount, payout.requested_by

    def pot(self, number: int) -> Decimal:
        """What round ``number``'s pot holds (2200-R is a liability: its credits)."""
        return -balance(self.chama, chart.POT_PAYABLE, round=self.round(number))


def rotation(*, contribution: str = "10000.00", rotation: str = "6000.00") -> Rotation:
    chama, seats, cycle = merry_go_round(
        members=3,
        amount=contribution,
        rotation_amount=rotation,
        savings_amount=str(Decimal(contribution) - Decimal(rotation)),
    )
    appoint(seats[1], Role.TREASURER, by=seats[0])
    return Rotation(chama, seats[0], seats[1], seats[2], cycle)
