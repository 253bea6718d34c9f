"""chamas/{id}/welfare/forecast/: the claims to expect and the buffer to keep, read from the
chama's granted claims (finance.welfare_history), for every member of the chama."""

from datetime import date, timedelta
from decimal import Decimal

import pytest

from finance.services.welfare_policy import welfare_policy_set
from finance.welfare_forecast import welfare_forecast
from finance.welfare_history import welfare_claim_days, welfare_forecast_get, welfare_forecast_map
from tests.factories import UserFactory
from tests.finance.welfare import at, claim_history, welfare_book

pytestmark = pytest.mark.django_db

ON = date(2026, 3, 2)

HISTORY = {
    "on": "2026-03-02",
    "source": "history",
    "reason": "",
    "reason_detail": "",
    "periods": 12,
    "claims": 7,  # the rejected and the submitted claims are not granted
    "suggested_buffer": "20962.53",
    "horizons": [
        {
            "days": 30,
            "expected_amount": "6250.00",
            "expected_count": "0.75",
            "low": "931.14",
            "high": "11568.86",
            "suggested_buffer": "11568.86",
        },
        {
            "days": 90,
            "expected_amount": "11750.00",
            "expected_count": "1.75",
            "low": "2537.47",
            "high": "20962.53",
            "suggested_buffer": "20962.53",
        },
    ],
}


@pytest.fixture
def book():
    return claim_history(ON)


def url(book):
    return f"/api/v1/chamas/{book.chama.pk}/welfare/forecast/"


def get(client_for, user, book):
    with at(ON):
        return client_for(user).get(url(book))


@pytest.mark.parametrize("role", ["chair", "treasurer", "secretary", "auditor", "member"])
def test_every_member_reads_the_forecast_of_the_claim_history(book, client_for, role):
    response = get(client_for, getattr(book, role).user, book)

    assert response.status_code == 200, response.content
    assert response.json() == HISTORY


def test_an_outsider_is_told_the_chama_does_not_exist_and_a_stranger_to_sign_in(book, client_for):
    from rest_framework.test import APIClient

    assert get(client_for, UserFactory(), book).status_code == 404
    with at(ON):
        assert APIClient().get(url(book)).status_code == 401


def test_a_young_chama_is_told_why_and_given_its_constitution_buffer(client_for):
    with at(ON - timedelta(days=100)):
        young = welfare_book()
        welfare_policy_set(chama=young.chama, amounts={}, buffer=Decimal("5000.00"))

    response = get(client_for, young.member.user, young)

    assert response.status_code == 200, response.content
    assert response.json() == {
        "on": "2026-03-02",
        "source": "constitution",
        "reason": "history_too_short",
        "reason_detail": "The chama has 3 whole 30-day period(s) of history; a forecast needs 6.",
        "periods": 3,
        "claims": 0,
        "suggested_buffer": "5000.00",
        "horizons": [
            {
                "days": days,
                "expected_amount": None,
                "expected_count": None,
                "low": None,
                "high": None,
                "suggested_buffer": "5000.00",
            }
            for days in (30, 90)
        ],
    }


def test_too_few_claims_without_a_constitution_keep_nothing(client_for):
    book = claim_history(ON, [(40, "1500.00"), (500, "2500.00")], began=800)

    body = get(client_for, book.treasurer.user, book).json()

    assert (body["source"], body["reason"], body["claims"], body["suggested_buffer"]) == (
        "none",
        "too_few_claims",
        2,
        "0.00",
    )


def test_the_forecast_costs_four_queries_however_long_the_history(
    client_for, django_assert_num_queries
):
    short = claim_history(ON, [(10, "3000.00"), (45, "5000.00"), (100, "2000.00")])
    long = claim_history(ON)
    with at(ON):
        short_client, long_client = client_for(short.member.user), client_for(long.member.user)

        # user, membership, the granted claims by day, the welfare policy
        for book, client in ((short, short_client), (long, long_client)):
            with django_assert_num_queries(4):
                assert client.get(url(book)).status_code == 200


# --- the selector -----------------------------------------------------------------------------


def test_claims_are_read_by_the_day_they_were_submitted_and_only_when_granted(book):
    days = welfare_claim_days([book.chama.pk], on=ON)[book.chama.pk]

    assert sorted((ON - d.day).days for d in days) == [10, 45, 100, 200, 300, 350, 380]
    assert sum(d.amount for d in days) == Decimal("38000.00")


def test_many_chamas_are_forecast_in_two_queries_each_as_alone(book, django_assert_num_queries):
    other = claim_history(ON, [(20, "1000.00"), (50, "1000.00"), (80, "4000.00")], began=250)
    with at(ON - timedelta(days=30)):
        young = welfare_book()
    chamas = [book.chama, other.chama, young.chama]

    with django_assert_num_queries(2):
        forecasts = welfare_forecast_map(chamas, on=ON)

    assert forecasts == {c.pk: welfare_forecast_get(chama=c, on=ON) for c in chamas}
    assert forecasts[book.chama.pk].suggested_buffer == Decimal("20962.53")
    # Eight periods of 1,000, 1,000, 4,000 then nothing: m = 750, 90 days 2,250 expected.
    assert forecasts[other.chama.pk].horizons[1].expected_amount == Decimal("2250.00")
    assert (forecasts[young.chama.pk].source, forecasts[young.chama.pk].reason) == (
        "none",
        "history_too_short",
    )
    with django_assert_num_queries(0):
        assert welfare_forecast_map([], on=ON) == {}


def test_the_selector_agrees_with_the_arithmetic_on_the_same_claims(book):
    days = welfare_claim_days([book.chama.pk], on=ON)[book.chama.pk]

    assert welfare_forecast_get(chama=book.chama, on=ON) == welfare_forecast(
        days, on=ON, began=ON - timedelta(days=400), constitution_buffer=None
    )
