"""The anomaly rules that need no model, each on its case and on the near-miss beside it."""

from datetime import timedelta
from decimal import Decimal

import pytest
import time_machine
from django.utils import timezone

from finance.choices import PayoutMethod
from finance.services.payouts import payout_request
from governance.models import AnomalyAlert, AnomalyDetector
from governance.services.anomalies import anomalies_detect
from governance.services.expenses import expense_approve
from groups.services import membership_update
from tests.finance.factories import merry_go_round, pay_in_cash
from tests.governance.anomaly_fixtures import expense_add
from tests.governance.expenses_fixtures import expense_record
from tests.governance.meetings_fixtures import make_club

pytestmark = pytest.mark.django_db


def alerts(detector):
    return list(AnomalyAlert.objects.filter(detector=detector))


# --- an official approving an expense paid to themselves ---------------------------------


@pytest.mark.parametrize("payee", ["{name}", "  {upper}. ", "M-Pesa to 0{local}"])
def test_an_official_approving_an_expense_paid_to_themselves_is_flagged(payee):
    club = make_club()
    chair = club.chair.user
    expense = expense_record(
        club,
        payee=payee.format(
            name=chair.full_name, upper=chair.full_name.upper(), local=chair.phone[3:]
        ),
    )
    expense_approve(expense=expense, acting=club.chair)

    anomalies_detect()

    (alert,) = alerts(AnomalyDetector.SELF_APPROVED_EXPENSE)
    assert (alert.target_kind, alert.target_id, alert.severity) == (
        "expense",
        expense.pk,
        Decimal("0.900"),
    )
    assert alert.reasons[0].startswith(f"approved by {chair.full_name}, who is its payee (")
    assert alert.suggested_action == (
        "Have another official review the expense: no official approves a payment to themselves."
    )


def test_an_official_approving_an_expense_paid_to_someone_else_is_not_flagged():
    club = make_club()
    # The payee is the member, not the approving chair (a near-miss: an expense for a member).
    expense = expense_record(club, payee=club.member.user.full_name)
    expense_approve(expense=expense, acting=club.chair)

    anomalies_detect()

    assert alerts(AnomalyDetector.SELF_APPROVED_EXPENSE) == []


# --- three expenses by one person within 48 hours at 4x their 90-day average ------------


def _usual_expenses(club, now):
    """Ten expenses of KES 1,000 by the treasurer over the 80 days before: average 1,000."""
    for days in range(10, 90, 8):
        expense_add(
            club.chama,
            club.treasurer,
            amount="1000.00",
            payee="Hall",
            at=now - timedelta(days=days),
        )


@pytest.mark.parametrize(
    ("amounts", "hours_apart", "flagged"),
    [
        (["4000.00", "4000.00", "4000.00"], 23.5, True),  # 3 at 4x within 47 hours
        (["4000.00", "4000.00", "3999.00"], 23.5, False),  # the third below 4x
        (["4000.00", "4000.00", "4000.00"], 24.5, False),  # spread over 49 hours
        (["4000.00", "4000.00"], 23.5, False),  # only two
    ],
)
def test_three_large_expenses_by_one_person_within_48_hours(amounts, hours_apart, flagged):
    club = make_club()
    now = timezone.now()
    _usual_expenses(club, now)
    burst = [
        expense_add(
            club.chama,
            club.treasurer,
            amount=amount,
            payee="Hall",
            at=now - timedelta(hours=3 + hours_apart * (len(amounts) - 1 - i)),
        )
        for i, amount in enumerate(amounts)
    ]

    anomalies_detect(now=now)

    found = alerts(AnomalyDetector.EXPENSE_BURST)
    if not flagged:
        assert found == []
        return
    (alert,) = found
    assert (alert.target_id, alert.severity) == (burst[-1].pk, Decimal("0.800"))
    assert alert.reasons[0].startswith(
        "3 expenses by one person within 48 hours, each at least 4x their 90-day average of "
        "KES 1,000.00: KES 4,000.00 on "
    )
    assert alert.reasons[0].endswith(" (12.0x the average in all)")


# --- a payout phone changed within 7 days before a payout --------------------------------


@pytest.mark.parametrize(("days_before", "flagged"), [(6, True), (8, False)])
def test_a_payout_soon_after_its_recipients_payout_phone_changed(days_before, flagged):
    chama, seats, cycle = merry_go_round(members=3, amount="1000.00")
    with time_machine.travel(timezone.now() - timedelta(days=days_before)):
        membership_update(
            membership=seats[0], actor=seats[0], data={"receive_phone": "254799000111"}
        )
    pay_in_cash(chama, seats, "1000.00")
    payout = payout_request(
        round=cycle.rounds.get(number=1), acting=seats[0], method=PayoutMethod.MPESA
    )

    anomalies_detect()

    found = alerts(AnomalyDetector.PAYOUT_PHONE_CHANGED)
    if not flagged:
        assert found == []
        return
    (alert,) = found
    assert (alert.target_kind, alert.target_id, alert.severity) == (
        "payout",
        payout.pk,
        Decimal("0.850"),
    )
    assert alert.reasons[0].startswith(
        f"payout phone changed from {seats[0].receive_phone} to 254799000111 on "
    )
    assert alert.reasons[0].endswith("6 day(s) before this payout of KES 3,000.00 to 254799000111")
