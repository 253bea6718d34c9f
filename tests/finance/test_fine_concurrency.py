"""Real threads on PostgreSQL: payments racing on one fine never pay it beyond its amount,
and rule fines racing in two job runs are issued once."""

from decimal import Decimal as D

import pytest

from core.exceptions import ConflictError
from finance import chart
from finance.choices import FineKind, PaymentMethod
from finance.models import Fine, FinePayment, JournalEntry
from finance.selectors import trial_balance_get
from finance.services.fines import FineToIssue, fine_pay, fines_issue_bulk
from tests.concurrency import run_concurrently
from tests.finance.books import balance
from tests.finance.fines import fine_book, fined

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_ten_payments_racing_on_one_fine_never_overpay_it():
    book = fine_book()
    fine = fined(book, "1000.00")

    results = run_concurrently(
        lambda: fine_pay(
            fine=fine, acting=book.treasurer, amount=D("300.00"), method=PaymentMethod.CASH
        ),
        10,
    )

    made = [r for r in results if isinstance(r, Fine)]
    refused = [r for r in results if isinstance(r, ConflictError)]
    # 3 x 300 fit in 1,000; the fourth would overpay
    assert (len(made), len(refused)) == (3, 7), results
    assert {e.code for e in refused} == {"fine_overpaid"}
    fine.refresh_from_db()
    assert (fine.paid_amount, fine.status) == (D("900.00"), "partial")
    assert FinePayment.objects.count() == 3
    assert balance(book.chama, chart.FINES_RECEIVABLE, member=book.member) == D("100.00")
    assert trial_balance_get(chama=book.chama) == D("0.00")


def test_two_job_runs_racing_issue_each_rule_fine_once():
    book = fine_book()
    members = [book.chair, book.treasurer, book.secretary, book.member]
    fines = [
        FineToIssue(
            membership=m,
            kind=FineKind.MISSED_MEETING,
            period="meeting-1",
            amount=D("50"),
            reason="x",
        )
        for m in members
    ]

    results = run_concurrently(lambda: fines_issue_bulk(fines=fines), 2)

    assert sorted(len(r) for r in results) == [0, 4], results
    assert Fine.objects.count() == 4
    assert JournalEntry.objects.filter(entry_type="fine").count() == 4
