"""A list's ``limit`` and ``offset`` are whole numbers in range, or the list refuses them:
never the first page for ``offset=abc``."""

import pytest
from rest_framework.request import Request
from rest_framework.test import APIRequestFactory

from core.api.pagination import NOT_A_LIMIT, NOT_AN_OFFSET, LimitOffsetPagination
from tests.finance.api.conftest import make_books
from tests.groups.helpers import assert_error

pytestmark = pytest.mark.django_db


@pytest.fixture
def books(client_for):
    return make_books(client_for)


def members_page(books, query):
    return books["clients"]["member"].get(f"{books['base']}/members/?{query}")


@pytest.mark.parametrize(
    ("query", "attr", "detail"),
    [
        ("limit=abc", "limit", NOT_A_LIMIT),
        ("limit=0", "limit", NOT_A_LIMIT),
        ("limit=-5", "limit", NOT_A_LIMIT),
        ("limit=", "limit", NOT_A_LIMIT),
        ("limit=2.5", "limit", NOT_A_LIMIT),
        ("limit=%D9%A5", "limit", NOT_A_LIMIT),  # Arabic-Indic 5: int() would read it
        ("offset=null&offset=null", "offset", NOT_AN_OFFSET),
        ("offset=-1", "offset", NOT_AN_OFFSET),
        ("offset=1_0", "offset", NOT_AN_OFFSET),  # int() would read it as 10
        # past the database's 64-bit row counter: a 500 (bigint out of range) before
        ("offset=18446744073709551615", "offset", NOT_AN_OFFSET),
        ("offset=9223372036854775808", "offset", NOT_AN_OFFSET),
    ],
)
def test_a_limit_or_offset_that_is_not_a_whole_number_in_range_is_refused(
    books, query, attr, detail
):
    response = members_page(books, query)

    assert_error(response, status=400, code="invalid", attr=attr, detail=detail)


def test_a_page_within_range_is_read(books):
    response = members_page(books, "limit=2&offset=1")

    assert response.status_code == 200
    assert len(response.json()["results"]) == 2
    assert response.json()["count"] == 5


@pytest.mark.parametrize(("asked", "given"), [(None, 50), ("1", 1), ("200", 200), ("5000", 200)])
def test_a_limit_over_the_most_gets_the_most(asked, given):
    query = {} if asked is None else {"limit": asked}
    request = Request(APIRequestFactory().get("/", query))

    assert LimitOffsetPagination().get_limit(request) == given
