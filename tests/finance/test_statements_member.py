"""A member's statement: their own accounts with running balances that read as a member reads
them, the position at the top, in every format; the PDF read back with pypdf."""

import csv
import dataclasses
import io
from datetime import date

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from finance.statement_renderers_member import (
    member_statement_csv,
    member_statement_pdf,
    member_statement_xlsx,
)
from finance.statements_member import member_statement_get
from tests.finance.statement_history import History, build_history

pytestmark = pytest.mark.django_db


@pytest.fixture
def history(b2c_gateway) -> History:
    return build_history()


def closing(statement) -> dict[str, tuple[str, str, str, str]]:
    return {
        s.account.key: (
            str(s.opening),
            str(s.total_increase),
            str(s.total_decrease),
            str(s.closing),
        )
        for s in statement.sections
    }


def test_the_chair_who_received_a_pot_reads_her_savings_and_the_pot_paid_to_her(history):
    statement = member_statement_get(chama=history.chama, member=history.chair)

    # 1,500 of her 10,000 is savings; the 48,000 pot is money paid to her, not a debt
    assert closing(statement) == {
        "savings": ("0.00", "1500.00", "0.00", "1500.00"),
        "credit": ("0.00", "0.00", "0.00", "0.00"),
        "profit": ("0.00", "0.00", "0.00", "0.00"),
        "loan": ("0.00", "0.00", "0.00", "0.00"),
        "fines": ("0.00", "0.00", "0.00", "0.00"),
        "pots": ("0.00", "48000.00", "0.00", "48000.00"),
    }
    pots = statement.sections[-1]
    assert [(str(r.date), r.reference, str(r.balance)) for r in pots.rows] == [
        ("2026-01-11", "SBC0000001", "48000.00")
    ]
    assert (statement.paybill, statement.account_number) == ("600984", "UMJ001M001")


def test_a_reversal_takes_back_what_the_contribution_saved(history):
    statement = member_statement_get(
        chama=history.chama, member=history.other, date_from=date(2026, 1, 8)
    )

    savings = statement.sections[0]
    assert [(r.type, str(r.increase), str(r.decrease), str(r.balance)) for r in savings.rows] == [
        ("Reversal", "0.00", "1500.00", "0.00"),
        ("Contribution", "1500.00", "0.00", "1500.00"),
    ]
    assert str(savings.opening) == "1500.00"  # RCA0000007 on 7 January


def test_csv_and_xlsx_open_with_the_particulars_and_the_position(history):
    statement = member_statement_get(chama=history.chama, member=history.chair)

    rows = list(csv.reader(io.StringIO(member_statement_csv(statement).decode())))
    assert rows[:4] == [
        ["Member statement"],
        ["Chama", "Umoja Savings Group (UMJ001)"],
        ["Member", f"{history.chair.user.full_name} (M001)"],
        ["Paybill", "600984"],
    ]
    assert rows[4] == ["Account number", "UMJ001M001"]
    assert ["Savings", "1500.00"] in rows
    assert ["Pots received", "48000.00"] in rows
    header = rows.index(
        [
            "account",
            "date",
            "entry_id",
            "type",
            "memo",
            "reference",
            "currency",
            "increase",
            "decrease",
            "balance",
        ]
    )
    assert rows[header + 1][:4] == ["Savings (2100, held for you)", "", "", "Opening balance"]
    assert rows[-1][0] == "Pots received (2200, paid to you)"
    assert rows[-1][3:] == [
        "Totals and closing balance",
        "",
        "",
        "KES",
        "48000.00",
        "0.00",
        "48000.00",
    ]

    sheet = load_workbook(io.BytesIO(member_statement_xlsx(statement))).active
    values = [list(r) for r in sheet.iter_rows(values_only=True)]
    assert values[3][:2] == ["Paybill", "600984"]
    assert values[4][:2] == ["Account number", "UMJ001M001"]
    assert values[10][:2] == ["Savings", 1500]


def test_the_pdf_keeps_receipt_codes_whole_and_says_where_to_pay(history):
    statement = member_statement_get(chama=history.chama, member=history.chair)
    savings = statement.sections[0]
    long_codes = [
        dataclasses.replace(savings.rows[0], reference=code)
        for code in ("SKJBRC35LO", "WWWWWWWWWWWW")
    ]
    tampered = dataclasses.replace(
        statement, sections=[dataclasses.replace(savings, rows=long_codes), *statement.sections[1:]]
    )

    text = "\n".join(
        page.extract_text() for page in PdfReader(io.BytesIO(member_statement_pdf(tampered))).pages
    )
    lines = text.splitlines()

    assert any("SKJBRC35LO" in line for line in lines), text
    assert any("WWWWWWWWWWWW" in line for line in lines), text
    assert "Paybill" in text
    assert "600984" in text
    assert "UMJ001M001" in text
    assert "48,000.00" in text  # the pot received, in the position box and its section
