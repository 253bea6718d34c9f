"""chamas/{chama_id}/members/{member_id}/position/: the contract with hand-worked figures, who
may read whose position, bad input and a query count that does not grow with the books."""

import uuid
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from finance.choices import PaymentMethod
from finance.exceptions import FinanceError
from finance.services.contributions import contribution_record
from governance.services.credit_scores import credit_scores_compute
from tests.factories import UserFactory, add_member, make_chama
from tests.finance.position_history import TODAY, Year, build_year, on
from tests.groups.helpers import assert_error

pytestmark = pytest.mark.django_db


@pytest.fixture
def year() -> Year:
    return build_year()


def url(year: Year, member_id) -> str:
    return f"/api/v1/chamas/{year.chama.pk}/members/{member_id}/position/"


@pytest.fixture
def read(year, client_for):
    """GET a position on ``TODAY`` as a user (None: anonymous), signed in that day so that
    the token is fresh then."""

    def get(caller, member_id, queries: CaptureQueriesContext | None = None):
        with on(TODAY.isoformat()):
            client = APIClient() if caller is None else client_for(caller)
            if queries is None:
                return client.get(url(year, member_id))
            with queries:  # the request's own queries, not the sign-in's
                return client.get(url(year, member_id))

    return get


def test_a_member_reads_their_own_position(year, read):
    subject = year.subject

    response = read(subject.user, subject.pk)

    assert response.status_code == 200, response.json()
    body = response.json()
    claim_id = body["welfare_claims"][0]["id"]
    assert body == {
        "member": {
            "id": str(subject.pk),
            "member_code": "M005",
            "full_name": subject.user.full_name,
            "account_number": f"{year.chama.code}M005",
        },
        "currency": "KES",
        "as_of": "2026-04-15",
        "savings": "2000.00",
        "credit": "0.00",
        "total_funds": "2000.00",
        "profit": "0.00",
        "dues": {
            "this_round": {
                "count": 1,
                "amount": "3000.00",
                "dues": [
                    {
                        "cycle": 1,
                        "round": 5,
                        "due_date": "2026-05-01",
                        "expected": "3000.00",
                        "paid": "0.00",
                        "owed": "3000.00",
                        "status": "pending",
                    }
                ],
            },
            "arrears": {
                "count": 2,
                "amount": "5000.00",
                "dues": [
                    {
                        "cycle": 1,
                        "round": 3,
                        "due_date": "2026-03-01",
                        "expected": "3000.00",
                        "paid": "1000.00",
                        "owed": "2000.00",
                        "status": "partial",
                    },
                    {
                        "cycle": 1,
                        "round": 4,
                        "due_date": "2026-04-01",
                        "expected": "3000.00",
                        "paid": "0.00",
                        "owed": "3000.00",
                        "status": "pending",
                    },
                ],
            },
        },
        "pots": {
            "received": [],
            "total_received": "0.00",
            "next_expected": {
                "cycle": 1,
                "round": 5,
                "meeting_date": "2026-05-01",
                "expected_pot": "12000.00",
            },
        },
        "loans": [
            {
                "id": str(year.loan.pk),
                "status": "active",
                "principal": "3000.00",
                "outstanding": "2665.00",
                "next_installment": {
                    "number": 2,
                    "due_date": "2026-04-10",
                    "amount": "1365.00",
                    "days_overdue": 5,
                },
            }
        ],
        "fines_owed": "0.00",
        "fines": [],
        "penalties_owed": "65.00",
        "welfare_claims": [
            {
                "id": claim_id,
                "claim_type": "hospital",
                "status": "submitted",
                "amount": "2000.00",
                "submitted_at": "2026-04-12",
            }
        ],
        "credit_score": None,
    }


def test_the_chairs_position_shows_the_pot_she_received(year, read):
    chair = year.people["chair"]

    pots = read(chair.user, chair.pk).json()["pots"]

    assert pots == {
        "received": [{"cycle": 1, "round": 1, "date": "2026-01-05", "amount": "12000.00"}],
        "total_received": "12000.00",
        "next_expected": None,
    }


# --- who may read whose position ------------------------------------------------------------


MATRIX = {
    "member": 200,  # themself
    "chair": 200,
    "treasurer": 200,
    "secretary": 200,
    "auditor": 200,
    "other": 403,  # another plain member
    "outsider": 404,  # never learns the chama exists
    "anonymous": 401,
}


def test_the_member_officials_and_the_auditor_read_a_position(year, read):
    callers = {**{role: m.user for role, m in year.people.items()}, "outsider": UserFactory()}

    statuses = {role: read(callers.get(role), year.subject.pk).status_code for role in MATRIX}

    assert statuses == MATRIX


def test_another_member_is_refused_with_a_stable_code(year, read):
    response = read(year.people["other"].user, year.subject.pk)

    assert_error(
        response,
        status=403,
        code="not_permitted",
        detail=FinanceError.POSITION_NOT_PERMITTED.message,
    )


def test_an_unknown_member_or_one_of_another_chama_is_not_found(year, read):
    elsewhere = add_member(make_chama(name="Jirani Group", code="JIR001"))

    for member_id in (uuid.uuid4(), elsewhere.pk):
        response = read(year.people["chair"].user, member_id)

        assert_error(
            response, status=404, code="not_found", detail=FinanceError.MEMBER_NOT_FOUND.message
        )


# --- cost -----------------------------------------------------------------------------------


def _queries(read, year: Year) -> tuple[int, list[str]]:
    ctx = CaptureQueriesContext(connection)
    response = read(year.people["treasurer"].user, year.subject.pk, ctx)
    assert response.status_code == 200, response.content
    return len(ctx.captured_queries), [query["sql"] for query in ctx.captured_queries]


def test_a_scored_member_sees_the_score_and_why(year, read):
    # Given the monthly scoring on 1 April
    with on("2026-04-01"):
        credit_scores_compute(as_of=date(2026, 4, 1))
    subject = year.subject
    subject.refresh_from_db()

    body = read(subject.user, subject.pk).json()

    # Then the position shows the stored total and each component's points and counts
    stored = subject.credit_score_components
    assert body["credit_score"] == {
        "score": subject.credit_score,
        "as_of": "2026-04-01",
        "regularity": {
            "points": stored["regularity"]["points"],
            "max": 40,
            "done": stored["regularity"]["on_time"],
            "expected": stored["regularity"]["fallen_due"],
            "reason": f"{stored['regularity']['on_time']} of "
            f"{stored['regularity']['fallen_due']} dues paid on time",
        },
        "repayment": {
            "points": stored["repayment"]["points"],
            "max": 30,
            "done": stored["repayment"]["on_time"],
            "expected": stored["repayment"]["due"],
            "reason": f"{stored['repayment']['on_time']} of {stored['repayment']['due']} "
            "installments paid on time",
        },
        "attendance": {
            "points": "20.00",
            "max": 20,
            "done": 0,
            "expected": 0,
            "reason": "0 of 0 meetings attended",
        },
        "tenure": {
            "points": stored["tenure"]["points"],
            "max": 10,
            "days": stored["tenure"]["days"],
            "reason": f"{stored['tenure']['days']} days a member",
        },
    }
    parts = ("regularity", "repayment", "attendance", "tenure")
    total = sum(Decimal(body["credit_score"][name]["points"]) for name in parts)
    assert subject.credit_score == int(total.quantize(Decimal(1), ROUND_HALF_UP))


def test_a_position_costs_the_same_queries_however_long_the_history(year, read):
    # Scored: the score is columns of the member's row, read with it
    with on("2026-04-01"):
        credit_scores_compute(as_of=date(2026, 4, 1))
    few, _ = _queries(read, year)

    # A year's more contributions, repayments and claims
    with on("2026-04-14"):
        for month in range(1, 13):
            for payer in year.seats:
                contribution_record(
                    chama=year.chama,
                    membership=payer,
                    amount=Decimal("3000.00"),
                    method=PaymentMethod.MPESA,
                    mpesa_receipt=f"RQP{month:02d}{payer.member_code[1:]}00",
                )
    many, sql = _queries(read, year)

    # user, caller's membership, the member (with chama and user), then the position:
    # balances, active rounds, dues owed, pots received, unpaid fines, loans' installments,
    # welfare claims; the credit score and its components come with the member's row
    assert few == many == 10, "\n".join(sql)
    body = read(year.subject.user, year.subject.pk).json()
    # 36,000 more settles rounds 3 to 6 (11,000, of which 4,000 savings): 25,000 is credit
    assert (body["dues"]["arrears"]["count"], body["savings"], body["credit"]) == (
        0,
        "6000.00",
        "25000.00",
    )
