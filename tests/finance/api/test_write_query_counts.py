"""The write path costs a fixed, small number of queries, counted as production runs them: in
a real transaction (no test savepoint around it), through the API with a real JWT."""

from datetime import timedelta
from decimal import Decimal

import pytest
from auditlog.models import LogEntry
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from finance.dates import earliest_date
from finance.exceptions import FinanceError
from finance.models import Contribution, Due, JournalEntry
from finance.services.loans import loan_apply, loan_approve
from tests.finance.books import balance
from tests.finance.loans import lent_in_cash

pytestmark = pytest.mark.django_db(transaction=True)


# SQLite logs the BEGIN and COMMIT it sends; PostgreSQL's driver sends them unlogged.
TRANSACTION_CONTROL = ("BEGIN", "COMMIT")


# After a money transaction commits, its member is told (groups.notifications): the chama and
# the recipients read, one value of the text (the new savings total, the first due date),
# notify's read and three writes, then, tasks being eager without Redis, the delivery task's
# claim (select, mark), load, record and the claim that finds nothing left: 12 queries, none
# of them inside the money transaction.
TOLD = 12


def counted(call):
    """Run ``call``; return its response and the SQL it sent (printed when a count is off)."""
    with CaptureQueriesContext(connection) as ctx:
        response = call()
    sql = [q["sql"] for q in ctx.captured_queries]
    return response, [q for q in sql if not q.startswith(TRANSACTION_CONTROL)]


def contribution_body(member, amount, receipt):
    return {
        "member_id": str(member.pk),
        "amount": amount,
        "method": "mpesa",
        "status": "confirmed",
        "mpesa_receipt": receipt,
    }


def test_recording_a_contribution_costs_eleven_queries_however_many_dues_it_settles(books):
    # Given a member who has paid once already (their accounts are open)
    client, member = books["clients"]["treasurer"], books["seats"][3]
    url = f"{books['base']}/contributions/"
    assert client.post(url, contribution_body(member, "100.00", "QWC0000001")).status_code == 201

    # When the treasurer records 1,500 that settles round 1 and part of round 2
    response, sql = counted(
        lambda: client.post(url, contribution_body(member, "1500.00", "QWC0000002"))
    )

    # Then: the user, the caller's membership, the member under lock, the open dues it
    # settles, the entry, its postings, the allocations, the dues, the contribution, the audit
    # rows, and the balances applied last with, in the same round trip on PostgreSQL, which of
    # the rounds paid into were paid out meanwhile, read under the pots' locks that takes
    # (their money is proposed as a top-up; SQLite, one writer at a time, needs no such read)
    assert response.status_code == 201, response.json()
    assert len(sql) == 11 + TOLD, "\n".join(sql)  # the member gets a receipt after commit
    assert Due.objects.get(membership=member, round__number=2).paid_amount == Decimal("600.00")
    assert balance(books["chama"], "1010") == Decimal("1600.00")


def test_the_audit_rows_of_a_contribution_name_the_api_user(books):
    client, member = books["clients"]["treasurer"], books["seats"][3]
    response = client.post(
        f"{books['base']}/contributions/", contribution_body(member, "1000.00", "QWC0000003")
    )
    contribution = Contribution.objects.get(pk=response.json()["id"])
    due = Due.objects.get(membership=member, round__number=1)

    rows = {
        (row.content_type.model, row.object_pk): row
        for row in LogEntry.objects.filter(object_pk__in=[str(contribution.pk), str(due.pk)])
    }

    made = rows[("contribution", str(contribution.pk))]
    settled = rows[("due", str(due.pk))]
    assert (made.action, made.actor) == (LogEntry.Action.CREATE, books["seats"][1].user)
    assert made.changes["amount"] == ["None", "1000.00"]
    assert (settled.action, settled.actor) == (LogEntry.Action.UPDATE, books["seats"][1].user)
    assert settled.changes == {
        "paid_rotation": ["0.00", "1000.00"],
        "status": ["pending", "paid"],
    }


def test_a_loan_repayment_costs_a_fixed_number_of_queries(lending):
    # Given a 3,000 loan paid out in cash
    borrower = lending["seats"][3]
    loan = lent_in_cash(lending, borrower, "3000.00")
    url = f"{lending['base']}/loans/{loan.pk}/repayments/"
    client = lending["clients"]["treasurer"]
    assert client.post(url, {"amount": "100.00", "method": "cash"}).status_code == 201

    # When the treasurer records 1,300 that settles the rest of the first installment and
    # part of the second
    response, sql = counted(lambda: client.post(url, {"amount": "1300.00", "method": "cash"}))

    # Then: the user, the caller's membership, the loan of the URL, the borrower under lock,
    # the loan under lock, the installments, the entry, its postings, the repayment, its
    # allocations, the installments, the audit rows, the balances applied last and the
    # repayment re-read
    assert response.status_code == 201, response.json()
    assert len(sql) == 14, "\n".join(sql)


@pytest.mark.parametrize(
    "paid_at",
    [
        "0001-01-01T10:00:00+03:00",
        "2300-01-01T10:00:00+03:00",
        "early",  # a day before the back-dating window
        "soon",  # ten minutes from now
    ],
)
def test_a_date_outside_the_chamas_life_is_refused_and_nothing_is_written(books, paid_at):
    client, member = books["clients"]["treasurer"], books["seats"][3]
    earliest = earliest_date(books["chama"])
    when = {
        "early": f"{earliest - timedelta(days=1)}T12:00:00+03:00",
        "soon": (timezone.now() + timedelta(minutes=10)).isoformat(),
    }.get(paid_at, paid_at)
    body = {**contribution_body(member, "100.00", "QWC0000009"), "paid_at": when}

    response = client.post(f"{books['base']}/contributions/", body)

    assert response.status_code == 400
    assert response.json()["errors"] == [
        {
            "code": "date_out_of_range",
            "detail": FinanceError.DATE_OUT_OF_RANGE.render(name="paid_at", earliest=earliest),
            "attr": "paid_at",
        }
    ]
    assert (JournalEntry.objects.count(), Contribution.objects.count()) == (0, 0)


def test_a_paper_history_may_be_recorded_back_to_the_start_of_the_window(books):
    client, member = books["clients"]["treasurer"], books["seats"][3]
    earliest = earliest_date(books["chama"])
    body = {
        **contribution_body(member, "100.00", "QWC0000010"),
        "paid_at": f"{earliest}T09:00:00+03:00",
    }

    response = client.post(f"{books['base']}/contributions/", body)

    assert response.status_code == 201, response.json()
    assert JournalEntry.objects.get().effective_date == earliest


def test_a_cycle_cannot_start_in_year_one(books):
    response = books["clients"]["chair"].post(
        f"{books['base']}/cycles/", {"start_date": "0001-01-01"}
    )

    assert response.status_code == 400
    assert response.json()["errors"][0]["code"] == "date_out_of_range"
    assert response.json()["errors"][0]["attr"] == "start_date"


def test_outflows_through_the_api_cost_a_fixed_number_of_queries(lending):
    # Given 4,000 in cash (the lending book), an approved loan of 1,000 and round 1's pot
    chair, _, _, borrower = lending["seats"]
    loan = loan_apply(
        chama=lending["chama"],
        membership=borrower,
        acting=borrower,
        principal=Decimal("1000.00"),
        term_months=2,
    )
    loan_approve(loan=loan, acting=chair)
    treasurer_api, chair_api = lending["clients"]["treasurer"], lending["clients"]["chair"]
    base = lending["base"]
    transfer = treasurer_api.post(
        f"{base}/ledger/transfers/",
        {"from_account": "cash", "to_account": "bank", "amount": "500.00"},
    ).json()

    disbursed, disburse_sql = counted(
        lambda: treasurer_api.post(f"{base}/loans/{loan.pk}/disburse/", {"method": "cash"})
    )
    approved, transfer_sql = counted(
        lambda: chair_api.post(f"{base}/ledger/transfers/{transfer['id']}/approve/")
    )

    # Then the disbursement (which opens the borrower's loan account, once) and the transfer
    # cost what they cost: outflows are rarer than payments and take their locks the same way.
    # Both pages show the signatures (one read each); the approval also reads them when it
    # finds the transfer, and signs: the signatures read, its own written, with its audit row
    assert disbursed.status_code == 200, disbursed.json()
    assert approved.status_code == 200, approved.json()
    # (and the borrower is told after the commit)
    assert (len(disburse_sql), len(transfer_sql)) == (21 + TOLD, 18), "\n\n".join(
        ["\n".join(disburse_sql), "\n".join(transfer_sql)]
    )
