"""Reads of the books cost a constant number of queries as the books grow."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from finance.choices import PaymentMethod
from finance.services.contributions import contribution_record

pytestmark = pytest.mark.django_db


def queries(client, url):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, response.json()
    return len(ctx.captured_queries), [q["sql"] for q in ctx.captured_queries]


def pay_everyone(books, times, prefix):
    for t in range(times):
        for i, member in enumerate(books["seats"]):
            contribution_record(
                chama=books["chama"],
                membership=member,
                amount=Decimal("250.00"),
                method=PaymentMethod.MPESA,
                mpesa_receipt=f"{prefix}{t:04d}{i:04d}",
            )


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        # user, membership, round with recipient, dues with members, the pot with what it
        # paid out, the paying accounts
        ("rounds/{round}/", 6),
        ("ledger/entries/", 6),  # user, membership, count, page, postings, accounts
        ("ledger/accounts/", 4),  # user, membership, accounts, trial balance
        ("cycles/", 5),  # user, membership, count, page, rounds with recipients
        ("members/", 4),  # user, membership, count, page (compliance_rate in the page query)
    ],
)
def test_constant_queries(books, path, expected):
    client = books["clients"]["member"]
    url = f"{books['base']}/" + path.format(round=books["round1"].pk)
    pay_everyone(books, 1, "RA")
    few, _ = queries(client, url)

    pay_everyone(books, 5, "RB")
    many, sql = queries(client, url)

    assert few == many == expected, "\n".join(sql)


@pytest.mark.parametrize("path", ["contributions/", "members/", "loans/"])
def test_a_list_counts_its_rows_without_the_joins_and_figures_of_its_page(books, path):
    pay_everyone(books, 2, "RC")

    _, sql = queries(books["clients"]["member"], f"{books['base']}/{path}")

    (count,) = [q for q in sql if "COUNT(" in q.upper() and "LIMIT" not in q.upper()]
    assert " JOIN " not in count.upper(), count
    assert "(SELECT" not in count.upper(), count
