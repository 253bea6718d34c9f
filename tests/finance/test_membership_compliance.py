"""A member's compliance rate: of the dues fallen due so far, the share settled."""

from decimal import Decimal

import pytest
import time_machine

from finance.choices import PaymentMethod
from finance.services.contributions import contribution_record
from groups.selectors import membership_list
from tests.finance.factories import merry_go_round

pytestmark = pytest.mark.django_db


@time_machine.travel("2026-02-15 10:00 +0300", tick=False)
def test_compliance_counts_the_settled_dues_among_those_fallen_due():
    # Given four monthly rounds of 1,000 from January: on 15 February two dues have fallen due
    chama, seats, _ = merry_go_round(members=4, amount="1000.00")

    # When seat 1 settles January, seat 2 January and half of February, seat 3 three months
    # ahead (March is not due yet) and seat 4 nothing
    for seat, amount in ((0, "1000.00"), (1, "1500.00"), (2, "3000.00")):
        contribution_record(
            chama=chama,
            membership=seats[seat],
            amount=Decimal(amount),
            method=PaymentMethod.CASH,
        )

    # Then each rate is settled ÷ fallen: a partly paid due is not settled, a due settled
    # before it falls due is not counted, and no payment is 0.0
    rates = [m.compliance_rate for m in membership_list(chama=chama)]
    assert rates == [0.5, 0.5, 1.0, 0.0]


@time_machine.travel("2025-12-15 10:00 +0300", tick=False)
def test_compliance_is_zero_before_any_due_has_fallen_due():
    chama, seats, _ = merry_go_round(members=2, amount="1000.00")
    contribution_record(
        chama=chama, membership=seats[0], amount=Decimal("1000.00"), method=PaymentMethod.CASH
    )

    assert [m.compliance_rate for m in membership_list(chama=chama)] == [0.0, 0.0]
