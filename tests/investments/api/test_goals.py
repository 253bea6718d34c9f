"""goals/ and goals/{id}/simulate/: the contract, the bad input (stable codes, nothing
written) and reproducibility through the API."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from investments.models import SavingsGoal
from investments.services.goals import goal_create
from tests.investments.conftest import in_months

pytestmark = pytest.mark.django_db


def goal_for(club, acting, **overrides):
    arguments = {
        "chama": club.chama,
        "acting": acting,
        "name": "School fees",
        "target_amount": Decimal("30000.00"),
        "target_date": in_months(24),
    }
    return goal_create(**{**arguments, **overrides})


def test_a_member_sets_a_goal(club, fund):
    body = {
        "name": "School fees 2029",
        "target_amount": "60000.00",
        "target_date": str(in_months(24)),
        "option_id": str(fund.pk),
    }

    response = club.clients["member"].post(f"{club.base}/goals/", body, format="json")

    assert response.status_code == 201, response.json()
    data = response.json()
    assert data["member"]["member_id"] == str(club.member.pk)
    assert data["created_by"]["member_id"] == str(club.member.pk)
    assert (data["target_amount"], data["option_id"], data["status"]) == (
        "60000.00",
        str(fund.pk),
        "active",
    )


def test_officials_set_the_chamas_goal(club):
    body = {
        "name": "Plot in Kitengela",
        "target_amount": "900000.00",
        "target_date": str(in_months(36)),
        "for_chama": True,
    }

    response = club.clients["treasurer"].post(f"{club.base}/goals/", body, format="json")

    assert response.status_code == 201, response.json()
    assert response.json()["member"] is None


@pytest.mark.parametrize(
    ("body", "field", "code"),
    [
        (
            {"target_date": str(timezone.localdate() - timedelta(days=1))},
            "target_date",
            "goal_in_past",
        ),
        ({"target_date": str(timezone.localdate())}, "target_date", "goal_in_past"),
        ({"target_amount": "-100.00"}, "target_amount", "min_value"),
        ({"option_id": "00000000-0000-4000-8000-000000000000"}, "option_id", "unknown_option"),
    ],
)
def test_bad_goals_are_refused_with_nothing_written(club, body, field, code):
    full = {"name": "Fees", "target_amount": "1000.00", "target_date": str(in_months(3)), **body}

    response = club.clients["member"].post(f"{club.base}/goals/", full, format="json")

    assert response.status_code == 400
    assert response.json()["errors"][0]["code"] == code
    assert response.json()["errors"][0]["attr"] == field
    assert not SavingsGoal.objects.exists()


def test_members_see_the_chamas_goals_and_their_own(club):
    mine = goal_for(club, club.member)
    chama = goal_for(club, club.chair, for_chama=True, target_date=in_months(30))
    theirs = goal_for(club, club.treasurer)

    seen_by_member = club.clients["member"].get(f"{club.base}/goals/").json()["results"]
    seen_by_auditor = club.clients["auditor"].get(f"{club.base}/goals/").json()["results"]

    assert [g["id"] for g in seen_by_member] == [str(mine.pk), str(chama.pk)]
    assert {g["id"] for g in seen_by_auditor} == {str(mine.pk), str(chama.pk), str(theirs.pk)}
    other = club.clients["member"].get(f"{club.base}/goals/{theirs.pk}/")
    assert other.status_code == 404


def test_simulate_answers_in_the_documented_shape(club, fund):
    goal = goal_for(club, club.member, option_id=fund.pk, target_date=in_months(24))
    url = f"{club.base}/goals/{goal.pk}/simulate/"

    response = club.clients["member"].post(url, {"paths": 2000, "seed": 42}, format="json")

    assert response.status_code == 200, response.json()
    data = response.json()
    assert (data["goal_id"], data["option_id"], data["paths"], data["seed"]) == (
        str(goal.pk),
        str(fund.pk),
        2000,
        42,
    )
    assert data["months"] == len(data["bands"]) >= 24
    assert (data["history_source"], data["history_months"]) == ("constitution", 0)
    assert data["average_monthly_contribution"] == "1000.00"
    assert (data["target_probability"], data["inflation"]) == ("0.9000", "0.0500")
    first = data["bands"][0]
    assert set(first) == {"month", "date", "investing", "cash"}
    assert set(first["investing"]) == {"p10", "p50", "p90"}
    # A constant 1,000 a month: the cash band has no spread, investing does better
    assert first["cash"]["p10"] == first["cash"]["p90"]
    assert Decimal(data["probability_investing"]) >= Decimal(data["probability_cash"])
    assert Decimal(data["monthly_increase_needed"]) >= 0
    assert not SavingsGoal.objects.exclude(pk=goal.pk).exists()


def test_the_same_seed_answers_the_same_and_the_increase_reaches_the_target(club, fund):
    goal = goal_for(club, club.member, option_id=fund.pk, target_amount=Decimal("40000.00"))
    url = f"{club.base}/goals/{goal.pk}/simulate/"
    body = {"paths": 3000, "seed": 7, "target_probability": "0.8"}

    first = club.clients["member"].post(url, body, format="json").json()
    again = club.clients["member"].post(url, body, format="json").json()

    assert first == again
    assert Decimal(first["probability_investing"]) < Decimal("0.8")
    needed = Decimal(first["monthly_increase_needed"])
    from investments.services.goal_simulations import goal_simulate

    enough = goal_simulate(goal=goal, paths=3000, seed=7, extra=needed)
    assert enough.result.probability_investing >= 0.8


def test_a_goal_without_an_option_is_cash_only(club):
    goal = goal_for(club, club.member)

    data = (
        club.clients["member"]
        .post(f"{club.base}/goals/{goal.pk}/simulate/", {"paths": 500, "seed": 1}, format="json")
        .json()
    )

    assert data["option_id"] is None
    assert data["probability_investing"] is None
    assert data["bands"][0]["investing"] is None


@pytest.mark.parametrize(
    ("body", "field", "code"),
    [
        ({"paths": 10_000_000}, "paths", "too_many_paths"),
        ({"paths": 0}, "paths", "min_value"),
        ({"target_probability": "1.5"}, "target_probability", "max_value"),
        ({"inflation": "-0.01"}, "inflation", "min_value"),
        ({"option_id": "00000000-0000-4000-8000-000000000000"}, "option_id", "unknown_option"),
    ],
)
def test_bad_simulations_are_refused(club, body, field, code):
    goal = goal_for(club, club.member)

    response = club.clients["member"].post(
        f"{club.base}/goals/{goal.pk}/simulate/", body, format="json"
    )

    assert response.status_code == 400
    error = response.json()["errors"][0]
    assert (error["code"], error["attr"]) == (code, field)
    if code == "too_many_paths":
        assert error["detail"] == "A simulation runs at most 100,000 paths."


def test_a_goal_whose_date_has_passed_is_not_simulated(club, time_machine):
    goal = goal_for(club, club.member, target_date=in_months(2))
    time_machine.move_to(timezone.now() + timedelta(days=120))

    response = club.fresh("member").post(
        f"{club.base}/goals/{goal.pk}/simulate/", {"paths": 100}, format="json"
    )

    assert response.status_code == 400
    assert response.json()["errors"][0]["code"] == "goal_in_past"
