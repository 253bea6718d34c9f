"""The goals list costs a constant number of queries, however many goals it shows."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from investments.services.goals import goal_create
from tests.investments.conftest import in_months

pytestmark = pytest.mark.django_db


def queries(client, url):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, response.json()
    return len(ctx.captured_queries), [q["sql"] for q in ctx.captured_queries]


def add_goals(club, count):
    for number in range(count):
        for acting in (club.member, club.treasurer):
            goal_create(
                chama=club.chama,
                acting=acting,
                name=f"Goal {number}",
                target_amount=Decimal("1000.00"),
                target_date=in_months(3 + number),
            )


@pytest.mark.parametrize("role", ["member", "chair"])
def test_the_list_is_constant(club, role):
    client, url = club.clients[role], f"{club.base}/goals/"
    add_goals(club, 1)
    few, _ = queries(client, url)

    add_goals(club, 6)
    many, sql = queries(client, url)

    # user, membership (with chama), count, the page (with members and makers)
    assert few == many == 4, "\n".join(sql)
