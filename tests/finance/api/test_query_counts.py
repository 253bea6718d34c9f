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
        # user, membership, page (its count and compliance_rate in the page query)
        ("members/", 3),
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


def count_subquery(sql):
    """The ``(SELECT COUNT(*) FROM (...) counted)`` that a page's query carries."""
    start = sql.upper().index("(SELECT COUNT(*) FROM (")
    depth = 0
    for end, char in enumerate(sql[start:], start):
        depth += {"(": 1, ")": -1}.get(char, 0)
        if depth == 0:
            return sql[start : end + 1]
    raise AssertionError(sql)


@pytest.mark.parametrize("path", ["contributions/", "members/", "loans/"])
def test_a_list_counts_its_rows_without_the_joins_and_figures_of_its_page(books, path):
    pay_everyone(books, 2, "RC")

    _, sql = queries(books["clients"]["member"], f"{books['base']}/{path}")

    # The count is read with the page, in its query, on the list's own rows: no join, and no
    # subquery but the rows it counts
    (page,) = [q for q in sql if "COUNT(" in q.upper()]
    count = count_subquery(page)
    assert " JOIN " not in count.upper(), count
    assert count.upper().count("(SELECT") == 2, count


@pytest.mark.parametrize(
    ("offset", "expected", "counted"),
    [
        (0, 4, 3),  # user, membership, page with its count
        (2, 4, 3),
        (4, 4, 4),  # past the end: the page has no row to carry the count, counted apart
        (10, 4, 4),
    ],
)
def test_every_page_tells_the_exact_count(books, offset, expected, counted):
    pay_everyone(books, 1, "RD")
    client = books["clients"]["member"]

    with CaptureQueriesContext(connection) as ctx:
        body = client.get(f"{books['base']}/contributions/?limit=2&offset={offset}").json()

    assert body["count"] == expected
    assert len(body["results"]) == max(0, min(2, expected - offset))
    assert len(ctx.captured_queries) == counted


def test_an_empty_list_counts_nothing_apart(books):
    client = books["clients"]["member"]

    with CaptureQueriesContext(connection) as ctx:
        body = client.get(f"{books['base']}/contributions/").json()

    assert (body["count"], body["results"], body["next"]) == (0, [], None)
    assert len(ctx.captured_queries) == 3
