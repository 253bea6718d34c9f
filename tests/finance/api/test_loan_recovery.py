"""POST loans/{id}/recover/ and what the loan then shows: each guarantor's recovered and
refunded amounts, the principal each installment had recovered, the payoff that includes the
guarantors' refund, and a repayment's refunded part."""

import pytest

from finance.exceptions import FinanceError
from finance.models import JournalEntry
from tests.finance.recoveries import default, guaranteed_loan, on

pytestmark = pytest.mark.django_db


def test_an_official_recovers_once_and_the_loan_shows_it(client_for):
    # Given the 6,000.00 loan guaranteed 2,000.00 by seat 3 and 1,000.00 by the chair, defaulted
    book = guaranteed_loan()
    default(book)
    loan_url = f"/api/v1/chamas/{book.chama.pk}/loans/{book.loan.pk}"

    with on("2026-05-20"):
        treasurer = client_for(book.treasurer.user)
        # When the treasurer recovers it
        response = treasurer.post(f"{loan_url}/recover/")
        # Then the guarantees show what each gave, and the oldest installment its principal
        assert response.status_code == 200, response.json()
        body = response.json()
        guarantors = {g["member_id"]: (g["recovered"], g["refunded"]) for g in body["guarantors"]}
        assert guarantors == {
            str(book.guarantor.pk): ("2000.00", "0.00"),
            str(book.chair.pk): ("1000.00", "0.00"),
        }
        assert [row["principal_recovered"] for row in body["schedule"]] == ["3000.00", "0.00"]
        assert (body["status"], body["amount_repaid"], body["outstanding"]) == (
            "defaulted",
            "0.00",
            "7200.00",
        )
        payoff = treasurer.get(f"{loan_url}/payoff/").json()
        assert (payoff["guarantors_outstanding"], payoff["principal_outstanding"]) == (
            "3000.00",
            "3000.00",
        )
        assert payoff["total"] == "7200.00"

        # When the treasurer recovers again, there is nothing left to take
        entries = JournalEntry.objects.count()
        again = treasurer.post(f"{loan_url}/recover/")
        assert again.status_code == 409
        assert again.json() == {
            "type": "client_error",
            "errors": [
                {
                    "code": "nothing_to_recover",
                    "detail": FinanceError.NOTHING_TO_RECOVER.render(
                        principal="3,000.00", cover="0.00"
                    ),
                    "attr": None,
                }
            ],
        }
        assert JournalEntry.objects.count() == entries

        # When the borrower's 1,000.00 is recorded, it is refunded to the guarantors
        repaid = treasurer.post(
            f"{loan_url}/repayments/", {"amount": "1000.00", "method": "cash"}, format="json"
        )
        assert repaid.status_code == 201, repaid.json()
        assert (repaid.json()["refunded"], repaid.json()["recovered"]) == ("1000.00", "0.00")
        loan = treasurer.get(f"{loan_url}/").json()
        guarantors = {g["member_id"]: g["refunded"] for g in loan["guarantors"]}
        assert guarantors == {str(book.guarantor.pk): "666.67", str(book.chair.pk): "333.33"}
        assert (loan["amount_repaid"], loan["outstanding"]) == ("1000.00", "6200.00")
