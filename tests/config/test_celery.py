"""The Celery app: beat schedules only tasks a worker has, and a real worker takes the jobs
from Redis and runs them on the committed books, idempotently."""

from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import pytest
import time_machine
from celery.result import EagerResult
from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.utils import timezone

from config.celery import app
from finance import chart
from finance.choices import EntryType, PaymentMethod
from finance.models import Installment, JournalEntry, Loan
from finance.selectors import trial_balance_get
from finance.services.contributions import contribution_record
from finance.services.cycles import cycle_create
from finance.services.ledger import ledger_account_get
from finance.services.loans import loan_apply, loan_approve, loan_disburse
from finance.tasks import ledger_balance_proof_task, loan_penalties_task
from groups.choices import CycleFrequency, Plan, Role
from groups.models import Chama, Membership
from tests.celery_worker import WAIT
from tests.factories import add_member, appoint, make_chama
from tests.finance.books import balance_drift


def test_every_beat_entry_names_a_task_the_worker_registers():
    app.loader.import_default_modules()  # what a worker does as it starts: every app's tasks.py

    scheduled = {name: entry["task"] for name, entry in settings.CELERY_BEAT_SCHEDULE.items()}

    assert scheduled
    assert {name: task for name, task in scheduled.items() if task not in app.tasks} == {}


def table_banking(start: date) -> tuple[Chama, Membership, Membership, Membership]:
    """A table-banking chama whose chair, treasurer and a member have saved 10,000 each in
    cash: (chama, chair, treasurer, member)."""
    chama = make_chama(
        name="Jirani Table Banking",
        contribution_amount=Decimal("5000.00"),
        cycle_frequency=CycleFrequency.MONTHLY,
        plan=Plan.PREMIUM,
    )
    chair = chama.memberships.get()
    treasurer, member = add_member(chama), add_member(chama)
    appoint(treasurer, Role.TREASURER, by=chair)
    cycle_create(chama=chama, start_date=start)
    for saver in (chair, treasurer, member):
        contribution_record(
            chama=chama, membership=saver, amount=Decimal("10000.00"), method=PaymentMethod.CASH
        )
    return chama, chair, treasurer, member


@pytest.fixture
def overdue_loan(transactional_db: None) -> Loan:
    """12,000 borrowed 50 days ago at 10% a month flat over two months: the first installment
    of 7,200 fell due about three weeks ago (one 30-day penalty period), the second is not due.
    Dated from today, because the worker's job asks the clock what today is."""
    start = timezone.localdate() - timedelta(days=50)
    with time_machine.travel(f"{start.isoformat()} 10:00 +0300", tick=False):
        chama, chair, treasurer, borrower = table_banking(start)
        loan = loan_apply(
            chama=chama,
            membership=borrower,
            acting=borrower,
            principal=Decimal("12000.00"),
            term_months=2,
            interest_rate=Decimal("0.10"),
            interest_rate_period="month",
            interest_method="flat",
        )
        loan = loan_approve(loan=loan, acting=chair)
        loan_disburse(loan=loan, acting=treasurer, method="cash")
    first = loan.installments.get(number=1)
    assert (first.due_date, first.total) == (start + relativedelta(months=1), Decimal("7200.00"))
    return loan


def balance(chama: Chama, code: str, **owner: Any) -> Decimal:
    return ledger_account_get(chama=chama, code=code, **owner).cached_balance


def penalty_books(loan: Loan) -> dict[str, Any]:
    chama, borrower = loan.chama, loan.membership
    return {
        "penalties": list(
            loan.installments.filter(penalties__isnull=False).values_list(
                "number", "penalties__period", "penalties__amount"
            )
        ),
        "charged": list(
            Installment.objects.filter(loan=loan)
            .order_by("number")
            .values_list("number", "penalty_charged")
        ),
        "penalty entries": JournalEntry.objects.filter(
            chama=chama, entry_type=EntryType.LOAN_PENALTY
        ).count(),
        "fines receivable": balance(chama, chart.FINES_RECEIVABLE, member=borrower),
        "fines income": balance(chama, chart.FINES_INCOME),
        "trial balance": trial_balance_get(chama=chama),
    }


@pytest.mark.postgres
@pytest.mark.celery_worker
def test_the_worker_charges_an_overdue_installment_one_penalty_however_often_it_runs(
    overdue_loan, celery_worker
):
    first = loan_penalties_task.delay()

    assert first.get(timeout=WAIT) == "1 penalty(ies) charged"
    assert not isinstance(first, EagerResult)  # the worker ran it and stored its result
    charged = penalty_books(overdue_loan)
    assert charged == {
        "penalties": [(1, 1, Decimal("360.00"))],  # 5% of the 7,200 installment
        "charged": [(1, Decimal("360.00")), (2, Decimal("0.00"))],
        "penalty entries": 1,
        "fines receivable": Decimal("360.00"),
        "fines income": Decimal("-360.00"),
        "trial balance": Decimal("0.00"),
    }

    assert loan_penalties_task.delay().get(timeout=WAIT) == "0 penalty(ies) charged"
    assert penalty_books(overdue_loan) == charged


@pytest.mark.postgres
@pytest.mark.celery_worker
def test_the_worker_reports_a_drifted_balance_cache_and_changes_nothing(celery_worker, caplog):
    chama, *_ = table_banking(timezone.localdate())

    assert ledger_balance_proof_task.delay().get(timeout=WAIT) == (
        "all balances match their postings"
    )

    # A balance cache changed behind the ledger's back
    balance_drift(chama, chart.CASH, Decimal("8.00"))
    runs = [ledger_balance_proof_task.delay().get(timeout=WAIT) for _ in range(2)]

    assert runs == ["1 account(s) drifted", "1 account(s) drifted"]
    assert f"chama {chama.code} account {chart.CASH}" in caplog.text
    assert balance(chama, chart.CASH) == Decimal("8.00")  # reported, never repaired
