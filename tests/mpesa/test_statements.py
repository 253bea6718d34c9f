"""Reconciling an M-Pesa statement export with a chama's books."""

from datetime import date, datetime
from decimal import Decimal

import pytest

from core.exceptions import ValidationFailed
from finance.choices import PaymentMethod
from finance.services.contributions import contribution_record
from mpesa.payloads import NAIROBI
from mpesa.selectors import Receipt, statement_reconcile
from mpesa.statements import statement_rows_read

HEADER = (
    '"Receipt No.","Completion Time","Initiation Time","Details","Transaction Status",'
    '"Paid In","Withdrawn","Balance","Balance Confirmed","Reason Type","Other Party Info",'
    '"Linked Transaction ID","A/C No."'
)
PREAMBLE = (
    "Account Holder:,Chama Paybill\nShort Code:,600984\nTime Period:,01-09-2024 - 30-09-2024\n"
)


def row(receipt, when, paid_in="", withdrawn="", account="", status="Completed"):
    return (
        f'"{receipt}","{when}","{when}","Pay Bill from 2547***678","{status}",'
        f'"{paid_in}","{withdrawn}","0.00","true","Pay Bill","2547***678 - W","","{account}"'
    )


def statement(*rows) -> bytes:
    return (PREAMBLE + HEADER + "\n" + "\n".join(rows) + "\n").encode("utf-8-sig")


def test_rows_are_read_below_the_preamble_with_separators_and_kenyan_times():
    rows = statement_rows_read(
        statement(
            row("SIF3XK7P2Q", "2024-09-15 14:30:41", paid_in="1,500.00", account="CHM042 M003"),
            row("SIF3XK7P2R", "2024-09-15 14:31:00", paid_in="9.00", status="Failed"),
        )
    )

    assert len(rows) == 1
    assert rows[0].receipt == "SIF3XK7P2Q"
    assert rows[0].paid_in == Decimal("1500.00")
    assert rows[0].account == "CHM042M003"
    assert rows[0].completed_at == datetime(2024, 9, 15, 14, 30, 41, tzinfo=NAIROBI)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"just,some,columns\n1,2,3\n", "This is not an M-Pesa statement export"),
        (b"\xff\xfe\x00garbage", "This is not an M-Pesa statement export"),
        (statement(row("X", "yesterday", paid_in="1")), "Row 5 of the statement cannot be read"),
        (statement(row("X", "2024-09-15 14:30:41", paid_in="ten")), "Row 5 of the statement"),
    ],
)
def test_what_is_not_a_statement_is_refused_with_the_reason(content, message):
    with pytest.raises(ValidationFailed, match=message) as caught:
        statement_rows_read(content)

    assert caught.value.code == "invalid_statement"


@pytest.mark.django_db
def test_receipts_missing_on_either_side_and_differing_amounts(paybill):
    def pay(receipt, amount, day):
        contribution_record(
            chama=paybill.chama,
            membership=paybill.member,
            amount=Decimal(amount),
            method=PaymentMethod.MPESA,
            mpesa_receipt=receipt,
            paid_at=datetime(2024, 9, day, 10, 0, tzinfo=NAIROBI),
        )

    pay("SIF0000001", "500.00", 2)  # in both
    pay("SIF0000002", "500.00", 3)  # in both, amounts differ
    pay("SIF0000003", "500.00", 4)  # only in the books
    pay("SIF0000009", "500.00", 28)  # outside the statement's dates
    rows = statement_rows_read(
        statement(
            row("SIF0000001", "2024-09-02 10:00:00", paid_in="500.00", account="CHM042M003"),
            row("SIF0000002", "2024-09-03 10:00:00", paid_in="5000.00", account="CHM042M003"),
            row("SIF0000004", "2024-09-05 10:00:00", paid_in="700.00", account="chm042m099"),
            row("SIF0000005", "2024-09-06 10:00:00", paid_in="100.00", account="ZZZ001M001"),
        )
    )

    report = statement_reconcile(chama=paybill.chama, rows=rows)

    assert report.period == (date(2024, 9, 2), date(2024, 9, 6))
    assert report.matched == 1
    assert report.missing_in_hazina == [
        Receipt("SIF0000004", date(2024, 9, 5), Decimal("700.00"), "Pay Bill from 2547***678")
    ]
    assert report.missing_in_statement == [
        Receipt("SIF0000003", date(2024, 9, 4), Decimal("500.00"), "contribution")
    ]
    assert report.amount_differs == [
        (
            Receipt("SIF0000002", date(2024, 9, 3), Decimal("500.00"), "contribution"),
            Receipt("SIF0000002", date(2024, 9, 3), Decimal("5000.00"), "Pay Bill from 2547***678"),
        )
    ]
