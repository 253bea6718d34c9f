"""A loans page is written from its columns, not by the serializer: field for field the same,
for loans applied, active and part repaid."""

from decimal import Decimal

import pytest

from finance.api.serializers.loans import LOAN_COLUMNS, LoanOutputSerializer, loan_rows
from finance.selectors import loan_list
from finance.services.loans import loan_apply, loan_repay
from tests.finance.loans import lent_in_cash

pytestmark = pytest.mark.django_db


def test_the_rows_equal_what_the_serializer_writes(lending):
    secretary, borrower = lending["seats"][2], lending["seats"][3]
    chama = lending["chama"]
    # Given a loan applied for, and one paid out in cash and part repaid
    loan_apply(
        chama=chama,
        membership=secretary,
        acting=secretary,
        principal=Decimal("1500.00"),
        term_months=2,
        purpose="School fees",
    )
    active = lent_in_cash(lending, borrower, "3000.00")
    loan_repay(loan=active, amount=Decimal("1300.50"), method="cash")
    loans = loan_list(chama=chama)

    rows = loan_rows(loans.values(*LOAN_COLUMNS))

    assert rows == LoanOutputSerializer(loans, many=True).data
    assert {row["status"] for row in rows} == {"applied", "active"}
    assert rows[0]["interest_rate"].count(".") == 1
