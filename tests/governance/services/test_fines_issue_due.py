"""The late-contribution fine, applied by the daily job over every chama: once per member, due
and rule period however often it runs, within the rule's cap."""

from datetime import date, timedelta
from decimal import Decimal as D

import pytest

from finance import chart
from finance.choices import EntryType, FineKind, PaymentMethod
from finance.models import Due, Fine, JournalEntry
from finance.services.contributions import contribution_record
from governance.choices import FineInterval
from governance.choices import FineKind as ChargeKind
from governance.services.fines import LateFineRule, fines_issue_due
from tests.finance.books import balance
from tests.finance.fines import fine_book

pytestmark = pytest.mark.django_db

ONCE_100 = LateFineRule(amount=D("100.00"), grace_days=3)


@pytest.fixture
def book():
    return fine_book()


def first_due_date(book):
    return Due.objects.filter(chama=book.chama).order_by("due_date").first().due_date


def test_every_late_member_is_fined_once_however_often_the_job_runs(book):
    on = first_due_date(book) + timedelta(days=10)

    first = fines_issue_due(on=on, rules_for=lambda chama: ONCE_100)
    again = fines_issue_due(on=on, rules_for=lambda chama: ONCE_100)

    # The four seated members owe the first round's due (the auditor joined later)
    assert len(first) == 4
    assert again == []
    fines = Fine.objects.filter(kind=FineKind.LATE_CONTRIBUTION)
    assert fines.count() == 4
    assert {f.amount for f in fines} == {D("100.00")}
    assert JournalEntry.objects.filter(entry_type=EntryType.FINE).count() == 4
    assert balance(book.chama, chart.FINES_RECEIVABLE, member=book.member) == D("100.00")


def test_nobody_is_fined_within_the_grace_days_or_once_the_due_is_paid(book):
    due_date = first_due_date(book)
    contribution_record(
        chama=book.chama, membership=book.member, amount=D("1000.00"), method=PaymentMethod.CASH
    )

    within = fines_issue_due(on=due_date + timedelta(days=3), rules_for=lambda c: ONCE_100)
    after = fines_issue_due(on=due_date + timedelta(days=4), rules_for=lambda c: ONCE_100)

    assert within == []
    assert book.member.pk not in {f.membership_id for f in after}
    assert len(after) == 3


def test_a_chama_without_the_rule_fines_nobody(book):
    assert fines_issue_due(on=date(2026, 6, 1), rules_for=lambda chama: None) == []


def test_a_weekly_percent_fine_stops_at_its_cap(book):
    # 10% of the 1,000 unpaid each week after 3 days' grace, at most 250 a due
    rule = LateFineRule(
        kind=ChargeKind.PERCENT,
        amount=D("10"),
        interval=FineInterval.PER_WEEK,
        grace_days=3,
        cap=D("250"),
    )
    due_date = first_due_date(book)

    # 16 days past the grace days: three weeks begun
    fines_issue_due(on=due_date + timedelta(days=19), rules_for=lambda c: rule)

    mine = Fine.objects.filter(membership=book.member).order_by("period")
    assert [(f.period[-2:], f.amount) for f in mine] == [
        ("w1", D("100.00")),
        ("w2", D("100.00")),
        ("w3", D("50.00")),
    ]
