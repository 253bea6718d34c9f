"""A member's position in the middle of a year, against figures worked by hand
(tests/finance/position_history.py tells the story)."""

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from finance import chart
from finance.choices import PaymentMethod
from finance.positions import (
    ClaimStanding,
    DueOwed,
    LoanStanding,
    NextInstallment,
    PotExpected,
    PotReceived,
    member_position_get,
)
from finance.services.fines import fine_issue, fine_pay
from tests.finance.books import balance
from tests.finance.position_history import TODAY, Year, build_year, on

pytestmark = pytest.mark.django_db

D = Decimal


@pytest.fixture
def year() -> Year:
    return build_year()


def test_the_position_of_a_member_in_arrears_with_a_late_loan(year):
    with on(TODAY.isoformat()):
        position = member_position_get(membership=year.subject)

    assert position.as_of == TODAY
    # 1,000 saved in January and February; March's 1,000 went to the pot first
    assert (position.savings, position.credit, position.total_funds, position.profit) == (
        D("2000.00"),
        D("0.00"),
        D("2000.00"),
        D("0.00"),
    )
    # Collecting for round 5 (1 May); rounds 3 (1,000 of 3,000 paid) and 4 are in arrears
    assert position.this_round.dues == [
        DueOwed(1, 5, date(2026, 5, 1), D("3000.00"), D("0.00"), D("3000.00"), "pending")
    ]
    assert position.arrears.dues == [
        DueOwed(1, 3, date(2026, 3, 1), D("3000.00"), D("1000.00"), D("2000.00"), "partial"),
        DueOwed(1, 4, date(2026, 4, 1), D("3000.00"), D("0.00"), D("3000.00"), "pending"),
    ]
    assert (position.this_round.count, position.this_round.amount) == (1, D("3000.00"))
    assert (position.arrears.count, position.arrears.amount) == (2, D("5000.00"))
    # No pot yet: round 5's 6 x 2,000 is next
    assert position.pots_received == []
    assert position.next_pot == PotExpected(1, 5, date(2026, 5, 1), D("12000.00"))
    # 3,900 repayable, 1,300 repaid, 65.00 late penalty on installment 2 (due 10 April)
    assert position.loans == [
        LoanStanding(
            id=year.loan.pk,
            status="active",
            principal=D("3000.00"),
            outstanding=D("2665.00"),
            next_installment=NextInstallment(2, date(2026, 4, 10), D("1365.00"), 5),
        )
    ]
    # The penalty is a loan's (in its outstanding), not a fine: 1120-M holds it apart
    assert (position.fines_owed, position.fines, position.penalties_owed) == (
        D("0.00"),
        [],
        D("65.00"),
    )
    assert balance(year.chama, chart.FINES_RECEIVABLE, member=year.subject) == D("65.00")
    [claim] = position.welfare_claims
    assert claim == ClaimStanding(
        claim.id, "hospital", "submitted", D("2000.00"), date(2026, 4, 12)
    )


def test_a_member_who_received_their_pot_expects_no_other(year):
    chair = year.people["chair"]

    position = member_position_get(membership=chair, today=TODAY)

    assert position.pots_received == [PotReceived(1, 1, date(2026, 1, 5), D("12000.00"))]
    assert position.pots_total == D("12000.00")
    assert position.next_pot is None
    # every due paid up to April; May's falls due at the next meeting
    assert (position.arrears.count, position.this_round.amount) == (0, D("3000.00"))
    assert (position.savings, position.loans, position.fines_owed) == (D("4000.00"), [], D("0.00"))


def test_once_the_meeting_has_passed_its_due_is_arrears(year):
    position = member_position_get(membership=year.subject, today=date(2026, 5, 2))

    assert [due.round for due in position.this_round.dues] == [6]
    assert [(due.round, due.owed) for due in position.arrears.dues] == [
        (3, D("2000.00")),
        (4, D("3000.00")),
        (5, D("3000.00")),
    ]
    assert position.loans[0].next_installment == NextInstallment(
        2, date(2026, 4, 10), D("1365.00"), 22
    )


def test_unpaid_fines_are_owed_apart_from_the_loans_penalties(year):
    # Given the member with a 65.00 loan penalty is also fined 500, and pays 200 of it
    fine = fine_issue(
        chama=year.chama,
        acting=year.people["chair"],
        membership=year.subject,
        amount=D("500.00"),
        reason="Missed the meeting",
    )
    fine_pay(
        fine=fine,
        acting=year.people["chair"],
        amount=D("200.00"),
        method=PaymentMethod.CASH,
        paid_at=datetime(2026, 4, 14, 9, tzinfo=UTC),
    )

    position = member_position_get(membership=year.subject, today=TODAY)

    # Then the fine owes 300 of 500, the penalty still 65: 1120-M holds both
    [owed] = position.fines
    assert (owed.id, owed.kind, owed.reason, owed.amount, owed.paid, owed.owed) == (
        fine.pk,
        "manual",
        "Missed the meeting",
        D("500.00"),
        D("200.00"),
        D("300.00"),
    )
    assert (position.fines_owed, position.penalties_owed) == (D("300.00"), D("65.00"))
    assert balance(year.chama, chart.FINES_RECEIVABLE, member=year.subject) == D("365.00")
