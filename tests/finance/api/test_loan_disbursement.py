"""chamas/{id}/loans/{id}/disburse/ by M-Pesa: the loan is in flight until M-Pesa answers."""

import pytest

from finance.services.loans import loan_disbursement_fail
from tests.finance.loans import approved_loan, loan_book

pytestmark = pytest.mark.django_db


def test_an_mpesa_disbursement_is_in_flight_until_mpesa_answers(client_for, b2c_gateway):
    book = loan_book()
    loan = approved_loan(book)
    url = f"/api/v1/chamas/{book.chama.pk}/loans/{loan.pk}/"
    treasurer = client_for(book.treasurer.user)

    response = treasurer.post(f"{url}disburse/", {"method": "mpesa"}, format="json")

    assert response.status_code == 200, response.content
    assert (response.json()["status"], response.json()["disbursed_at"]) == ("disbursed", None)
    # And when M-Pesa refuses it, the loan is approved again with the reason shown
    loan_disbursement_fail(loan=loan, reason="The recipient's line is not registered")
    shown = treasurer.get(url).json()
    assert (shown["status"], shown["disbursement_failure_reason"]) == (
        "approved",
        "The recipient's line is not registered",
    )


def test_mpesa_disbursement_is_unavailable_until_a_gateway_is_registered(
    client_for, without_mpesa_gateway
):
    book = loan_book()
    loan = approved_loan(book)
    url = f"/api/v1/chamas/{book.chama.pk}/loans/{loan.pk}/disburse/"

    response = client_for(book.treasurer.user).post(url, {"method": "mpesa"}, format="json")

    assert response.status_code == 400
    assert [(e["attr"], e["code"]) for e in response.json()["errors"]] == [
        ("method", "method_unavailable")
    ]
