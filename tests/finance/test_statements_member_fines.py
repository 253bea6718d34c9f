"""Fines in the member's statement: issued, paid and waived lines in the section of what the
member owes (1120-M), each named by its entry type, so a fine never reads as a loan penalty."""

from decimal import Decimal as D

import pytest

from finance.choices import PaymentMethod
from finance.services.fines import fine_pay, fine_waive
from finance.statements_member import member_statement_get
from tests.finance.fines import fine_book, fined

pytestmark = pytest.mark.django_db


def test_a_fine_issued_part_paid_and_waived_reads_as_three_lines():
    book = fine_book()
    fine = fined(book, "500.00", "Late to the meeting")
    fine_pay(fine=fine, acting=book.treasurer, amount=D("200.00"), method=PaymentMethod.CASH)
    fine_waive(fine=fine, acting=book.chair, reason="Bereavement")

    statement = member_statement_get(chama=book.chama, member=book.member)

    section = next(s for s in statement.sections if s.account.key == "fines")
    code = book.member.member_code
    assert [(r.type, r.memo, r.increase, r.decrease, r.balance) for r in section.rows] == [
        ("Fine issued", f"Fine on {code}: Late to the meeting", D("500.00"), D("0"), D("500.00")),
        ("Fine paid", f"Fines paid by {code}", D("0"), D("200.00"), D("300.00")),
        ("Fine waived", f"Fine on {code} waived: Bereavement", D("0"), D("300.00"), D("0.00")),
    ]
    assert (statement.position.fines_owed, statement.position.penalties_owed) == (D("0"), D("0"))
