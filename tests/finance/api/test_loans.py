"""chamas/{id}/loans/: quotes with the reference values, the lifecycle through the API, who may
do what, bad input and the list's query count."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from finance.choices import PaymentMethod
from finance.models import Loan
from finance.services.contributions import contribution_record
from finance.services.loans import loan_apply, loan_policy_get
from tests.finance.api.conftest import make_books

pytestmark = pytest.mark.django_db


@pytest.fixture
def lending(client_for):
    """A savings chama (1,000 a month, all savings) where every seat has paid 1,000 in cash."""
    books = make_books(client_for, savings_amount="1000.00")
    chama = books["chama"]
    for member in books["seats"]:
        contribution_record(
            chama=chama, membership=member, amount=Decimal("1000.00"), method=PaymentMethod.CASH
        )
    policy = loan_policy_get(chama=chama)
    policy.max_savings_multiple = Decimal("20")
    policy.save()
    return books


def codes(response):
    return [(e["attr"], e["code"]) for e in response.json()["errors"]]


@pytest.mark.parametrize(
    ("terms", "total", "installments", "interest"),
    [
        (("15000.00", "0.10", "month", "flat", 3), "19500.00", ["6500.00"] * 3, None),
        (
            ("10000.00", "0.10", "month", "flat", 3),
            "13000.00",
            ["4333.33", "4333.33", "4333.34"],
            None,
        ),
        (
            ("100.00", "0.094822", "year", "reducing_balance", 6),
            None,
            ["17.13"] * 6,
            ["0.79", "0.66", "0.53", "0.40", "0.27", "0.13"],
        ),
        (
            ("100000.00", "0.12", "year", "reducing_balance", 12),
            "106618.53",
            ["8884.88"] * 11 + ["8884.85"],
            None,
        ),
    ],
)
def test_quotes_match_the_reference_values(lending, terms, total, installments, interest):
    principal, rate, period, method, months = terms
    loan_policy = loan_policy_get(chama=lending["chama"])
    loan_policy.max_term_months = 12
    loan_policy.save()

    response = lending["clients"]["member"].post(
        f"{lending['base']}/loans/quote/",
        {
            "principal": principal,
            "interest_rate": rate,
            "interest_rate_period": period,
            "interest_method": method,
            "term_months": months,
        },
        format="json",
    )

    assert response.status_code == 200, response.json()
    body = response.json()
    assert [row["total"] for row in body["schedule"]] == installments
    if total:
        assert body["total_repayable"] == total
    if interest:
        assert [row["interest"] for row in body["schedule"]] == interest
    assert Loan.objects.count() == 0


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ({"principal": "0.00"}, [("principal", "min_value")]),
        ({"principal": "-1.00"}, [("principal", "min_value")]),
        ({"principal": "100.005"}, [("principal", "max_decimal_places")]),
        ({"interest_rate_period": "week"}, [("interest_rate_period", "invalid_choice")]),
        ({"term_months": 61}, [("term_months", "max_value")]),
        ({"term_months": 13}, [("term_months", "term_out_of_policy")]),
        (
            {
                "guarantors": [
                    {"member_id": "00000000-0000-0000-0000-000000000000", "amount": "1.00"}
                ]
            },
            [("guarantors", "unknown_member")],
        ),
    ],
)
def test_bad_applications_are_400_and_write_nothing(lending, body, expected):
    response = lending["clients"]["member"].post(
        f"{lending['base']}/loans/",
        {"principal": "1000.00", "term_months": 3, **body},
        format="json",
    )

    assert response.status_code == 400
    assert codes(response) == expected
    assert Loan.objects.count() == 0


def test_the_lifecycle_through_the_api(lending):
    clients, base = lending["clients"], lending["base"]
    borrower = lending["seats"][3]

    applied = clients["member"].post(
        f"{base}/loans/",
        {
            "principal": "3000.00",
            "term_months": 3,
            "interest_rate": "0.10",
            "interest_method": "flat",
        },
        format="json",
    )
    assert applied.status_code == 201, applied.json()
    loan = applied.json()
    assert (loan["member_id"], loan["status"], loan["schedule"]) == (
        str(borrower.pk),
        "applied",
        [],
    )
    url = f"{base}/loans/{loan['id']}/"

    second = clients["member"].post(
        f"{base}/loans/", {"principal": "10.00", "term_months": 1}, format="json"
    )
    assert (second.status_code, codes(second)) == (409, [(None, "active_loan_exists")])
    assert clients["member"].post(f"{url}approve/").status_code == 403

    approved = clients["chair"].post(f"{url}approve/")
    assert approved.status_code == 200
    assert [row["total"] for row in approved.json()["schedule"]] == ["1300.00"] * 3
    assert approved.json()["total_repayable"] == "3900.00"

    disbursed = clients["treasurer"].post(f"{url}disburse/", {"method": "cash"}, format="json")
    assert disbursed.json()["status"] == "active"

    paid = clients["treasurer"].post(
        f"{url}repayments/", {"amount": "1300.00", "method": "cash"}, format="json"
    )
    assert paid.status_code == 201
    detail = clients["member"].get(url).json()
    assert (detail["amount_repaid"], detail["outstanding"]) == ("1300.00", "2600.00")
    assert [row["status"] for row in detail["schedule"]] == ["paid", "pending", "pending"]
    assert (
        clients["member"]
        .post(f"{url}repayments/", {"amount": "1.00", "method": "cash"}, format="json")
        .status_code
        == 403
    )
    assert len(clients["auditor"].get(f"{url}repayments/").json()) == 1


def test_a_guarantor_accepts_through_the_api(lending):
    clients, base, seats = lending["clients"], lending["base"], lending["seats"]
    applied = (
        clients["member"]
        .post(
            f"{base}/loans/",
            {
                "principal": "1000.00",
                "term_months": 2,
                "guarantors": [{"member_id": str(seats[2].pk), "amount": "500.00"}],
            },
            format="json",
        )
        .json()
    )
    guarantee = applied["guarantors"][0]
    accept = f"{base}/loans/{applied['id']}/guarantors/{guarantee['id']}/accept/"

    assert clients["chair"].post(accept).status_code == 403
    response = clients["secretary"].post(accept)

    assert response.status_code == 200
    assert response.json()["guarantors"][0]["status"] == "accepted"


def test_the_loan_list_costs_the_same_queries_however_many_loans(lending):
    chama, client = lending["chama"], lending["clients"]["member"]
    url = f"{lending['base']}/loans/"

    def queries():
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        return len(ctx.captured_queries)

    loan_apply(
        chama=chama,
        membership=lending["seats"][0],
        applied_by=lending["seats"][0].user,
        principal=Decimal("10.00"),
        term_months=1,
    )
    few = queries()
    for member in lending["seats"][1:]:
        loan_apply(
            chama=chama,
            membership=member,
            applied_by=member.user,
            principal=Decimal("10.00"),
            term_months=1,
        )
    many = queries()

    assert few == many == 4


ROLES = ["chair", "treasurer", "secretary", "auditor", "member"]
EVERYONE = set(ROLES)
OFFICIALS = {"chair", "treasurer", "secretary"}
BORROWERS = EVERYONE - {"auditor"}
LOAN_ENDPOINTS = [
    ("GET", "loans/", None, EVERYONE),
    ("POST", "loans/", {"principal": "10.00", "term_months": 1}, BORROWERS),
    ("POST", "loans/quote/", {"principal": "10.00", "term_months": 1}, EVERYONE),
    ("GET", "loans/{loan}/", None, EVERYONE),
    ("POST", "loans/{loan}/approve/", None, OFFICIALS),
    ("POST", "loans/{loan}/reject/", {"reason": "no"}, OFFICIALS),
    ("POST", "loans/{loan}/disburse/", {"method": "cash"}, OFFICIALS),
    ("POST", "loans/{loan}/write-off/", {"reason": "gone"}, OFFICIALS),
    ("GET", "loans/{loan}/repayments/", None, EVERYONE),
    ("POST", "loans/{loan}/repayments/", {"amount": "1.00", "method": "cash"}, OFFICIALS),
]


@pytest.fixture
def applied(lending):
    borrower = lending["seats"][3]
    loan = loan_apply(
        chama=lending["chama"],
        membership=borrower,
        applied_by=borrower.user,
        principal=Decimal("100.00"),
        term_months=1,
    )
    return lending, loan


def call(client, method, url, body):
    if method == "GET":
        return client.get(url)
    return client.post(url, body, format="json")


@pytest.mark.parametrize(("method", "path", "body", "admitted"), LOAN_ENDPOINTS)
def test_anonymous_is_401_and_an_outsider_404(applied, method, path, body, admitted):
    lending, loan = applied
    url = f"{lending['base']}/" + path.format(loan=loan.pk)

    assert call(APIClient(), method, url, body).status_code == 401
    assert call(lending["clients"]["outsider"], method, url, body).status_code == 404


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("method", "path", "body", "admitted"), LOAN_ENDPOINTS)
def test_each_role_is_admitted_or_refused(applied, method, path, body, admitted, role):
    lending, loan = applied
    url = f"{lending['base']}/" + path.format(loan=loan.pk)
    loans_before = Loan.objects.count()

    response = call(lending["clients"][role], method, url, body)

    if role in admitted:
        assert response.status_code not in {401, 403, 404}, response.json()
    else:
        assert response.status_code == 403
        assert Loan.objects.count() == loans_before
        loan.refresh_from_db()
        assert loan.status == "applied"
