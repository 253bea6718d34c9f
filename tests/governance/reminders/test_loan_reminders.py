"""Loan installment reminders over a simulated month: the borrower hears once that the
installment is coming due and once that it is overdue; nobody else hears anything."""

from datetime import timedelta
from decimal import Decimal

import pytest

from accounts.models import Notification
from finance.choices import PaymentMethod
from finance.services.loans import loan_repay
from governance.services.reminders import loan_reminders
from tests.governance.reminders.fixtures import at, lending_book, run_daily, tally

pytestmark = pytest.mark.django_db


def test_a_month_of_daily_runs_reminds_the_borrower_once_per_installment_and_kind():
    b, loan = lending_book()
    first_due = loan.installments.get(number=1).due_date

    seconds = run_daily(loan_reminders, first_due - timedelta(days=5), 30)

    assert seconds == [0] * 30
    assert tally([b.chair, b.treasurer, b.member]) == {
        b.chair.member_code: {},
        b.treasurer.member_code: {},
        b.member.member_code: {"installment_due": 1, "installment_overdue": 1},
    }
    due = Notification.objects.get(event="installment_due")
    assert due.created_at.date() == first_due - timedelta(days=3)
    assert due.body == (
        f"Reminder: your Jirani Table Banking loan installment of KES 7,200.00 is due on "
        f"{first_due.isoformat()}."
    )
    overdue = Notification.objects.get(event="installment_overdue")
    assert overdue.created_at.date() == first_due + timedelta(days=1)


def test_a_repaid_installment_is_not_reported_overdue():
    _, loan = lending_book()
    first_due = loan.installments.get(number=1).due_date
    with at(first_due, "12:00"):
        loan_repay(loan=loan, amount=Decimal("7200.00"), method=PaymentMethod.CASH)

    with at(first_due + timedelta(days=1)):
        assert loan_reminders().notified == 0
