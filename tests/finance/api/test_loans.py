"""chamas/{id}/loans/: quotes with the reference values, the lifecycle through the API, who may
do what, bad input and the list's query count."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from rest_framework.test import APIClient

from finance.choices import EarlyRepayment, PaymentMethod
from finance.models import Loan
from finance.services.contributions import contribution_record
from finance.services.loans import (
    loan_apply,
    loan_approve,
    loan_disburse,
    loan_policy_get,
    loan_repay,
)
from groups.choices import Role
from groups.services import membership_credit_score_set
from tests.factories import appoint
from tests.finance.factories import merry_go_round
from tests.permission_matrix import ROLES, matrix_call

pytestmark = pytest.mark.django_db


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
    loan_policy.interest_rate = Decimal(rate)
    loan_policy.interest_rate_period = period
    loan_policy.interest_method = method
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

    quoted = clients["member"].post(
        f"{base}/loans/quote/", {"principal": "3000.00", "term_months": 3}, format="json"
    )
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
    # The application carries the schedule it was quoted: 3 x 1,300.00, nothing owed yet
    assert (loan["member_id"], loan["status"]) == (str(borrower.pk), "applied")
    assert [(r["due_date"], r["total"]) for r in loan["schedule"]] == [
        (r["due_date"], r["total"]) for r in quoted.json()["schedule"]
    ]
    assert (loan["total_repayable"], loan["total_interest"], loan["outstanding"]) == (
        quoted.json()["total_repayable"],
        "900.00",
        "0.00",
    )
    assert loan["total_repayable"] == "3900.00"
    url = f"{base}/loans/{loan['id']}/"

    second = clients["member"].post(
        f"{base}/loans/", {"principal": "100.00", "term_months": 1}, format="json"
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


def list_queries(client, url):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries), [q["sql"] for q in ctx.captured_queries], response.json()


def test_the_loan_list_costs_the_same_queries_for_5_or_50_loans_being_repaid(client_for):
    # A chama of 50 savers (1,000.00 each, in cash); each borrows 300.00 over 3 months, the
    # loans approved and disbursed, and some repaid in part: balances outstanding.
    chama, seats, _ = merry_go_round(members=50, amount="1000.00", savings_amount="1000.00")
    chair, treasurer = seats[:2]
    treasurer = appoint(treasurer, Role.TREASURER, by=chair)
    for member in seats:
        contribution_record(
            chama=chama, membership=member, amount=Decimal("1000.00"), method=PaymentMethod.CASH
        )
    client, url = client_for(seats[-1].user), f"/api/v1/chamas/{chama.pk}/loans/"

    def lend(members):
        for member in members:
            loan = loan_apply(
                chama=chama,
                membership=member,
                acting=member,
                principal=Decimal("300.00"),
                term_months=3,
            )
            loan = loan_approve(loan=loan, acting=treasurer if member == chair else chair)
            loan_disburse(loan=loan, acting=treasurer, method="cash")
            if member.seat % 2:
                loan_repay(loan=loan, amount=Decimal("110.00"), method=PaymentMethod.CASH)

    lend(seats[:5])
    few, _, first = list_queries(client, url)
    lend(seats[5:])
    many, sql, body = list_queries(client, url)

    assert (first["count"], body["count"]) == (5, 50)
    # user, membership, page (its count and the balances computed in the page's query)
    assert few == many == 3, "\n".join(sql)
    outstanding = {row["member_code"]: row["outstanding"] for row in body["results"]}
    # 300.00 + 3 x 30.00 of interest = 390.00; seat 1 has paid 110.00 of it
    assert (outstanding[seats[0].member_code], outstanding[seats[1].member_code]) == (
        "280.00",
        "390.00",
    )


EVERYONE = set(ROLES)
OFFICIALS = {"chair", "treasurer", "secretary"}
BORROWERS = EVERYONE - {"auditor"}
LOAN_ENDPOINTS = [
    ("GET", "loans/", None, EVERYONE),
    ("POST", "loans/", {"principal": "100.00", "term_months": 1}, BORROWERS),
    ("POST", "loans/quote/", {"principal": "100.00", "term_months": 1}, EVERYONE),
    ("GET", "loans/{loan}/", None, EVERYONE),
    ("POST", "loans/{loan}/approve/", None, OFFICIALS),
    ("POST", "loans/{loan}/reject/", {"reason": "no"}, OFFICIALS),
    ("POST", "loans/{loan}/disburse/", {"method": "cash"}, OFFICIALS),
    ("POST", "loans/{loan}/recover/", None, OFFICIALS),
    ("POST", "loans/{loan}/write-off/", {"reason": "gone"}, OFFICIALS),
    ("GET", "loans/{loan}/repayments/", None, EVERYONE),
    ("POST", "loans/{loan}/repayments/", {"amount": "1.00", "method": "cash"}, OFFICIALS),
    ("GET", "loans/{loan}/payoff/", None, EVERYONE),
]


@pytest.fixture
def applied(lending):
    borrower = lending["seats"][3]
    loan = loan_apply(
        chama=lending["chama"],
        membership=borrower,
        acting=borrower,
        principal=Decimal("100.00"),
        term_months=1,
    )
    return lending, loan


@pytest.mark.parametrize(("method", "path", "body", "admitted"), LOAN_ENDPOINTS)
def test_anonymous_is_401_and_an_outsider_404(applied, method, path, body, admitted):
    lending, loan = applied
    url = f"{lending['base']}/" + path.format(loan=loan.pk)

    assert matrix_call(APIClient(), method, url, body).status_code == 401
    assert matrix_call(lending["clients"]["outsider"], method, url, body).status_code == 404


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("method", "path", "body", "admitted"), LOAN_ENDPOINTS)
def test_each_role_is_admitted_or_refused(applied, method, path, body, admitted, role):
    lending, loan = applied
    url = f"{lending['base']}/" + path.format(loan=loan.pk)
    loans_before = Loan.objects.count()

    response = matrix_call(lending["clients"][role], method, url, body)

    if role in admitted:
        assert response.status_code not in {401, 403, 404}, response.json()
    else:
        assert response.status_code == 403
        assert Loan.objects.count() == loans_before
        loan.refresh_from_db()
        assert loan.status == "applied"


# --- the minimum principal and the credit-score discount ------------------------------------


@pytest.mark.parametrize("path", ["loans/", "loans/quote/"])
def test_a_principal_below_the_minimum_is_400_and_writes_nothing(lending, path):
    response = lending["clients"]["member"].post(
        f"{lending['base']}/{path}", {"principal": "99.99", "term_months": 3}, format="json"
    )

    assert response.status_code == 400
    assert response.json()["errors"] == [
        {
            "code": "principal_below_minimum",
            "detail": "The chama lends at least 100.00; got 99.99.",
            "attr": "principal",
        }
    ]
    assert Loan.objects.count() == 0


@pytest.fixture
def discounting(lending):
    """20% off the rate for a credit score of 80 or more; the member (seat 4) scores 85."""
    policy = loan_policy_get(chama=lending["chama"])
    policy.credit_discount_min_score, policy.credit_discount_percent = 80, Decimal("20")
    policy.save()
    membership_credit_score_set(membership=lending["seats"][3], score=85)
    return lending


def test_the_quote_shows_the_discount_a_score_earns(discounting):
    clients, base = discounting["clients"], discounting["base"]
    terms = {"principal": "3000.00", "term_months": 3}

    own = clients["member"].post(f"{base}/loans/quote/", terms, format="json")
    # the chair (no score) quoting for the member sees the member's discount
    for_member = clients["chair"].post(
        f"{base}/loans/quote/",
        {**terms, "member_id": str(discounting["seats"][3].pk)},
        format="json",
    )
    chairs_own = clients["chair"].post(f"{base}/loans/quote/", terms, format="json")

    # 3,000.00 flat at 10% a month less 20% = 8%: 240.00 a month, 3,720.00 in all
    assert own.status_code == 200, own.json()
    assert own.json() == for_member.json()
    assert own.json() == {
        "principal": "3000.00",
        "term_months": 3,
        "interest_method": "flat",
        "interest_rate_period": "month",
        "base_interest_rate": "0.100000",
        "credit_score": 85,
        "credit_discount_percent": "20.00",
        "interest_rate": "0.080000",
        "total_repayable": "3720.00",
        "total_interest": "720.00",
        "schedule": own.json()["schedule"],
        # 1,000.00 saved x the lending book's multiple of 20; the chama holds 4,000.00
        "eligible": True,
        "max_principal": "20000.00",
        "member_funds": "1000.00",
        "cash_available": "4000.00",
        "reasons": [],
    }
    assert [row["total"] for row in own.json()["schedule"]] == ["1240.00"] * 3
    assert (chairs_own.json()["credit_score"], chairs_own.json()["interest_rate"]) == (
        None,
        "0.100000",
    )
    assert Loan.objects.count() == 0


def test_a_member_cannot_quote_for_another(discounting):
    response = discounting["clients"]["member"].post(
        f"{discounting['base']}/loans/quote/",
        {"principal": "3000.00", "term_months": 3, "member_id": str(discounting["seats"][0].pk)},
        format="json",
    )

    assert response.status_code == 403


def test_an_application_stores_the_discounted_rate(discounting):
    clients, base = discounting["clients"], discounting["base"]

    applied = clients["member"].post(
        f"{base}/loans/", {"principal": "3000.00", "term_months": 3}, format="json"
    )
    approved = clients["chair"].post(f"{base}/loans/{applied.json()['id']}/approve/")

    body = approved.json()
    assert (body["base_interest_rate"], body["interest_rate"]) == ("0.100000", "0.080000")
    assert body["credit_discount_percent"] == "20.00"
    assert body["total_repayable"] == "3720.00"


# --- early payoff ---------------------------------------------------------------------------


@pytest.fixture
def rebated(lending):
    """The member's 3,000.00 flat at 10% a month over 3 months (300.00 of interest a month),
    disbursed today, under a 50% rebate of the interest not yet due."""
    chama, seats = lending["chama"], lending["seats"]
    policy = loan_policy_get(chama=chama)
    policy.early_repayment = EarlyRepayment.REBATE
    policy.early_repayment_rebate_percent = Decimal("50")
    policy.save()
    loan = loan_apply(
        chama=chama,
        membership=seats[3],
        acting=seats[3],
        principal=Decimal("3000.00"),
        term_months=3,
    )
    loan = loan_approve(loan=loan, acting=seats[0])
    loan = loan_disburse(loan=loan, acting=seats[1], method="cash")
    return lending, loan, f"{lending['base']}/loans/{loan.pk}/"


def test_the_payoff_today_and_on_the_first_due_date(rebated):
    lending, loan, url = rebated
    first_due = loan.installments.get(number=1).due_date

    today = lending["clients"]["member"].get(f"{url}payoff/")
    on_first_due = lending["clients"]["auditor"].get(f"{url}payoff/?date={first_due}")

    # Today nothing is due: 900.00 of interest not yet due, half rebated.
    assert today.status_code == 200, today.json()
    assert today.json() == {
        "date": str(timezone.localdate(loan.disbursed_at)),
        "early_repayment": "rebate",
        "guarantors_outstanding": "0.00",
        "penalties_outstanding": "0.00",
        "principal_outstanding": "3000.00",
        "interest_due": "450.00",
        "interest_waived": "450.00",
        "total": "3450.00",
    }
    # On the first due date its 300.00 is due in full; half of the other 600.00 is rebated.
    assert {k: on_first_due.json()[k] for k in ("date", "interest_due", "total")} == {
        "date": str(first_due),
        "interest_due": "600.00",
        "total": "3600.00",
    }


def test_paying_the_payoff_through_the_api_settles_the_loan(rebated):
    lending, _, url = rebated
    clients = lending["clients"]
    total = clients["member"].get(f"{url}payoff/").json()["total"]

    paid = clients["treasurer"].post(
        f"{url}repayments/", {"amount": "3500.00", "method": "cash"}, format="json"
    )

    assert (total, paid.status_code, paid.json()["excess"]) == ("3450.00", 201, "50.00")
    detail = clients["member"].get(url).json()
    assert detail["status"] == "repaid"
    assert (detail["total_repayable"], detail["amount_repaid"], detail["outstanding"]) == (
        "3450.00",
        "3450.00",
        "0.00",
    )
    assert [row["interest_waived"] for row in detail["schedule"]] == ["150.00"] * 3
    assert clients["member"].get(f"{url}payoff/").status_code == 409


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("date=2026-02-30", [("date", "invalid")]),
        ("date=soon", [("date", "invalid")]),
        ("date=2000-01-01", [("date", "payoff_before_disbursement")]),
        ("on=2026-03-01", [("on", "unknown_field")]),
    ],
)
def test_a_bad_payoff_date_is_400(rebated, query, expected):
    lending, _, url = rebated

    response = lending["clients"]["member"].get(f"{url}payoff/?{query}")

    assert response.status_code == 400
    assert codes(response) == expected


def test_a_loan_not_being_repaid_has_no_payoff(applied):
    lending, loan = applied

    response = lending["clients"]["member"].get(f"{lending['base']}/loans/{loan.pk}/payoff/")

    assert response.status_code == 409
    assert response.json()["errors"] == [
        {
            "code": "loan_not_repaying",
            "detail": "Only a loan being repaid has a payoff amount; this one is applied.",
            "attr": None,
        }
    ]


# --- terms from the policy and an honest quote ----------------------------------------------


@pytest.mark.parametrize("path", ["loans/", "loans/quote/"])
@pytest.mark.parametrize(
    ("body", "attr"),
    [
        ({"interest_rate": "0.000001"}, "interest_rate"),
        ({"interest_rate_period": "year"}, "interest_rate_period"),
        ({"interest_method": "reducing_balance"}, "interest_method"),
    ],
)
def test_terms_outside_the_policy_are_refused_for_everyone(lending, path, body, attr):
    # the chair too: an official may not set a price the members did not agree
    for role in ("member", "chair"):
        response = lending["clients"][role].post(
            f"{lending['base']}/{path}",
            {"principal": "3000.00", "term_months": 3, **body},
            format="json",
        )

        assert response.status_code == 400, response.json()
        assert codes(response) == [(attr, "terms_outside_policy")]
    assert Loan.objects.count() == 0


def test_a_policy_range_admits_a_rate_inside_it_and_refuses_one_outside(lending):
    policy = loan_policy_get(chama=lending["chama"])
    policy.interest_rate_min, policy.interest_rate_max = Decimal("0.05"), Decimal("0.12")
    policy.save()
    client, base = lending["clients"]["member"], lending["base"]

    outside = client.post(
        f"{base}/loans/",
        {"principal": "3000.00", "term_months": 3, "interest_rate": "0.049999"},
        format="json",
    )
    inside = client.post(
        f"{base}/loans/",
        {"principal": "3000.00", "term_months": 3, "interest_rate": "0.05"},
        format="json",
    )

    assert outside.status_code == 400
    assert outside.json()["errors"][0]["code"] == "terms_outside_policy"
    assert "0.050000 to 0.120000 per month" in outside.json()["errors"][0]["detail"]
    # 3,000.00 flat at 5% a month for 3 months: 450.00 interest
    assert inside.status_code == 201, inside.json()
    assert (inside.json()["interest_rate"], inside.json()["total_repayable"]) == (
        "0.050000",
        "3450.00",
    )


def test_a_quote_for_too_much_answers_not_eligible_with_the_limit(lending):
    policy = loan_policy_get(chama=lending["chama"])
    policy.max_savings_multiple = Decimal("3")
    policy.save()
    client, base = lending["clients"]["member"], lending["base"]

    quote = client.post(
        f"{base}/loans/quote/", {"principal": "15000.00", "term_months": 3}, format="json"
    )
    applied = client.post(
        f"{base}/loans/", {"principal": "15000.00", "term_months": 3}, format="json"
    )

    # 1,000.00 saved x 3 = 3,000.00; the chama's cash box holds 4,000.00
    assert quote.status_code == 200
    body = quote.json()
    assert (body["eligible"], body["max_principal"], body["member_funds"]) == (
        False,
        "3000.00",
        "1000.00",
    )
    assert [(r["code"], r["blocking"]) for r in body["reasons"]] == [
        ("exceeds_savings_multiple", True),
        ("exceeds_cash", False),
    ]
    assert body["total_repayable"] == "19500.00"  # the schedule is still shown
    assert applied.status_code == 400
    assert codes(applied) == [("principal", "exceeds_savings_multiple")]
    assert Loan.objects.count() == 0


def test_a_member_with_a_live_loan_may_borrow_nothing_more(lending):
    client, base = lending["clients"]["member"], lending["base"]
    client.post(f"{base}/loans/", {"principal": "1000.00", "term_months": 3}, format="json")

    quote = client.post(
        f"{base}/loans/quote/", {"principal": "1000.00", "term_months": 3}, format="json"
    ).json()

    assert (quote["eligible"], quote["max_principal"]) == (False, "0.00")
    assert [r["code"] for r in quote["reasons"]] == ["active_loan_exists"]
