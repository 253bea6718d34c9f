"""The member statement shows the credit score and why, in every format (the late payer of
tests/governance/credit_scores_fixtures.py, scored on 1 May 2026)."""

import csv
import io
from datetime import date
from decimal import Decimal

import pytest

from finance.statement_renderers_member import member_statement_csv, position_lines
from finance.statements_member import member_statement_get
from governance.services.credit_scores import credit_scores_compute
from tests.governance.credit_scores_fixtures import on, pamoja

pytestmark = pytest.mark.django_db

SCORE_LINES = [
    ("Credit score (0-100) as of 2026-05-01", Decimal("67")),
    ("Regularity: 2 of 4 dues paid on time (of 40)", Decimal("20.00")),
    ("Repayment: 0 of 0 installments paid on time (of 30)", Decimal("30.00")),
    ("Attendance: 2 of 3 meetings attended (of 20)", Decimal("13.33")),
    ("Tenure: 120 days a member (of 10)", Decimal("3.29")),
]


def test_the_late_payers_statement_shows_the_score_and_its_components():
    book = pamoja()
    with on("2026-05-01", hour=3):
        credit_scores_compute(as_of=date(2026, 5, 1))
    book.late.refresh_from_db()

    with on("2026-05-02"):
        statement = member_statement_get(chama=book.chama, member=book.late)

    assert position_lines(statement)[-5:] == SCORE_LINES
    rows = list(csv.reader(io.StringIO(member_statement_csv(statement).decode("utf-8-sig"))))
    assert ["Regularity: 2 of 4 dues paid on time (of 40)", "20.00"] in rows


def test_before_the_first_scoring_the_statement_shows_no_score():
    book = pamoja()
    with on("2026-05-02"):
        statement = member_statement_get(chama=book.chama, member=book.late)
    assert statement.position.credit_score is None
    assert not any(label.startswith("Credit score") for label, _ in position_lines(statement))
