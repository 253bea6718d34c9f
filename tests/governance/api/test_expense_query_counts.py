"""The expenses list costs a constant number of queries, however many expenses and
signatures it shows."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from governance.services.expenses import expense_approve
from tests.governance.expenses_fixtures import expense_record, expense_rules_adopt

pytestmark = pytest.mark.django_db


def queries(client, url):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, response.json()
    return len(ctx.captured_queries), [q["sql"] for q in ctx.captured_queries]


def add_expenses(club, count):
    for _ in range(count):
        expense = expense_record(club)
        expense_approve(expense=expense, acting=club.secretary)


def test_the_list_is_constant(club):
    expense_rules_adopt(club, signatures=2, chair_threshold="1000.00")
    client, url = club.clients["member"], f"{club.base}/expenses/"
    add_expenses(club, 1)
    few, _ = queries(client, url)

    add_expenses(club, 5)
    many, sql = queries(client, url)

    # user, membership, count, page (with chama, maker, payer, receipt), signatures
    assert few == many == 5, "\n".join(sql)
