# ruff: noqa: E501 - the expected statements read best as one row per line
"""Statements read in accounting language: money in and out of the cash accounts (1010, 1020,
1030), a running balance from the opening balance, and the same figures in every file format.

The history (tests/finance/statement_history.py) is made only by calling the services."""

import csv
import dataclasses
import functools
import io
from datetime import date, datetime, timedelta
from decimal import Decimal

import pytest
from django.db.models import Sum
from openpyxl import load_workbook

from finance.choices import PaymentMethod, Side
from finance.models import Posting
from finance.services.contributions import contribution_record
from finance.statement_renderers import statement_csv, statement_pdf, statement_xlsx
from finance.statement_text import safe_text, statement_filename
from finance.statements import CASH_CODES, Statement, statement_get, statement_opening_get
from finance.statements_member import member_statement_get
from tests.factories import add_member, make_chama
from tests.finance.statement_history import NAIROBI, History, build_history

pytestmark = pytest.mark.django_db

JAN_7, JAN_31 = date(2026, 1, 7), date(2026, 1, 31)


@pytest.fixture
def history(b2c_gateway) -> History:
    return build_history()


def table(statement: Statement) -> list[tuple]:
    """Rows as (date, entry, type, memo, reference, in, out, balance), amounts as text."""
    return [
        (
            row.date.isoformat(),
            row.entry_id,
            row.type,
            row.memo,
            row.reference,
            str(row.amount_in),
            str(row.amount_out),
            str(row.balance),
        )
        for row in statement.rows
    ]


def figures(statement: Statement) -> tuple[str, str, str, str]:
    return (
        str(statement.opening),
        str(statement.total_in),
        str(statement.total_out),
        str(statement.closing),
    )


def entry(history: History, key: str):
    return history.entries[key].pk


def shown(text: str) -> bytes:
    """How reportlab writes text into an uncompressed page: a PDF string, brackets escaped."""
    return text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)").encode()


def payout_memo(history: History) -> str:
    return f"Round 1.1 pot to M001 ({history.chair.receive_phone})"


# --- what a statement shows -----------------------------------------------------------------


def test_the_chama_statement_is_its_cash_book_with_a_running_balance(history):
    # When the chama's statement is read over all its history
    statement = statement_get(chama=history.chama)

    # Then every cash movement is listed in date order, the B2C confirmation (no cash) is not
    e = functools.partial(entry, history)
    # fmt: off
    assert table(statement) == [
        ("2026-01-03", e("RCA0000001"), "Contribution", "Contribution by M001", "RCA0000001", "10000.00", "0.00", "10000.00"),
        ("2026-01-04", e("RCA0000002"), "Contribution", "Contribution by M002", "RCA0000002", "10000.00", "0.00", "20000.00"),
        ("2026-01-05", e("RCA0000003"), "Contribution", "Contribution by M003", "RCA0000003", "10000.00", "0.00", "30000.00"),
        ("2026-01-05", e("M004"), "Contribution", "Contribution by M004", "", "10000.00", "0.00", "40000.00"),
        ("2026-01-06", e("RCA0000005"), "Contribution", "Contribution by M005", "RCA0000005", "4000.00", "0.00", "44000.00"),
        ("2026-01-07", e("RCA0000006"), "Contribution", "Contribution by M005", "RCA0000006", "6000.00", "0.00", "50000.00"),
        ("2026-01-07", e("RCA0000007"), "Contribution", "Contribution by M006", "RCA0000007", "10500.00", "0.00", "60500.00"),
        ("2026-01-08", e("reversal"), "Reversal", "Reversal: Wrong amount", "", "0.00", "10500.00", "50000.00"),
        ("2026-01-08", e("RCA0000008"), "Contribution", "Contribution by M006", "RCA0000008", "10000.00", "0.00", "60000.00"),
        ("2026-01-10", e("payout_sent"), "Pot payout sent (in flight)", payout_memo(history), "", "0.00", "48000.00", "12000.00"),
        ("2026-02-03", e("RCA0000009"), "Contribution", "Contribution by M005", "RCA0000009", "10000.00", "0.00", "22000.00"),
    ]
    # fmt: on
    # And it starts from nothing and ends where the cash accounts stand
    assert figures(statement) == ("0.00", "80500.00", "58500.00", "22000.00")


def test_a_period_opens_with_the_balance_of_everything_before_it(history):
    statement = statement_get(chama=history.chama, date_from=JAN_7, date_to=JAN_31)

    assert [(row.date, str(row.balance)) for row in statement.rows] == [
        (date(2026, 1, 7), "50000.00"),
        (date(2026, 1, 7), "60500.00"),
        (date(2026, 1, 8), "50000.00"),
        (date(2026, 1, 8), "60000.00"),
        (date(2026, 1, 10), "12000.00"),
    ]
    # opening 44,000 (three weeks' contributions before 7 Jan) + 26,500 in - 58,500 out
    assert figures(statement) == ("44000.00", "26500.00", "58500.00", "12000.00")


def test_the_chamas_opening_from_the_balance_cache_equals_the_sum_of_earlier_postings(history):
    # The chama's opening balance is read as cached balances less what moved since; it must be
    # what summing every earlier cash posting gives, on every day of the history
    def summed(before: date) -> Decimal:
        earlier = Posting.objects.filter(
            entry__chama=history.chama,
            entry__effective_date__lt=before,
            account__code__in=CASH_CODES,
        )
        debits = earlier.filter(side=Side.DEBIT).aggregate(total=Sum("amount"))["total"]
        credits = earlier.filter(side=Side.CREDIT).aggregate(total=Sum("amount"))["total"]
        return (debits or Decimal(0)) - (credits or Decimal(0))

    days = [date(2026, 1, 1) + timedelta(days=n) for n in range(40)]
    assert [statement_opening_get(chama=history.chama, before=day) for day in days] == [
        summed(day) for day in days
    ]


def test_an_empty_period_still_has_its_balances(history):
    statement = statement_get(
        chama=history.chama, date_from=date(2026, 1, 20), date_to=date(2026, 1, 31)
    )

    assert statement.rows == []
    assert figures(statement) == ("12000.00", "0.00", "0.00", "12000.00")


def test_another_chamas_money_never_shows(history):
    elsewhere = make_chama(name="Jirani Group", code="JIR001")
    neighbour = add_member(elsewhere)
    contribution_record(
        chama=elsewhere,
        membership=neighbour,
        amount=Decimal("700.00"),
        method=PaymentMethod.MPESA,
        mpesa_receipt="RJI0000001",
        paid_at=datetime(2026, 1, 9, 10, tzinfo=NAIROBI),
    )

    assert statement_get(chama=history.chama).closing == Decimal("22000.00")
    assert figures(statement_get(chama=elsewhere)) == ("0.00", "700.00", "0.00", "700.00")
    with pytest.raises(ValueError, match="another chama"):
        member_statement_get(chama=history.chama, member=neighbour)


def test_a_statement_costs_two_queries_however_long_the_books(history, django_assert_num_queries):
    # the opening balance and the rows
    with django_assert_num_queries(2):
        statement_get(chama=history.chama, date_from=JAN_7)
    with django_assert_num_queries(1):  # no opening balance to compute without a from date
        statement_get(chama=history.chama)


# --- files ----------------------------------------------------------------------------------


def test_the_csv_is_one_plain_table(history):
    statement = statement_get(chama=history.chama, date_from=JAN_7, date_to=JAN_31)
    e = functools.partial(entry, history)

    assert statement_csv(statement).decode() == (
        "date,entry_id,type,memo,reference,currency,amount_in,amount_out,balance\r\n"
        "2026-01-07,,Opening balance,,,KES,,,44000.00\r\n"
        f"2026-01-07,{e('RCA0000006')},Contribution,Contribution by M005,RCA0000006,KES,6000.00,0.00,50000.00\r\n"
        f"2026-01-07,{e('RCA0000007')},Contribution,Contribution by M006,RCA0000007,KES,10500.00,0.00,60500.00\r\n"
        f"2026-01-08,{e('reversal')},Reversal,Reversal: Wrong amount,,KES,0.00,10500.00,50000.00\r\n"
        f"2026-01-08,{e('RCA0000008')},Contribution,Contribution by M006,RCA0000008,KES,10000.00,0.00,60000.00\r\n"
        f"2026-01-10,{e('payout_sent')},Pot payout sent (in flight),{payout_memo(history)},,KES,0.00,48000.00,12000.00\r\n"
        "2026-01-31,,Totals and closing balance,,,KES,26500.00,58500.00,12000.00\r\n"
    )


def test_the_xlsx_holds_real_dates_and_numbers_in_a_two_decimal_format(history):
    statement = statement_get(chama=history.chama, date_from=JAN_7, date_to=JAN_31)
    e = functools.partial(entry, history)

    sheet = load_workbook(io.BytesIO(statement_xlsx(statement))).active
    values = [list(row) for row in sheet.iter_rows(values_only=True)]

    blank = [None] * 6
    assert values[:6] == [
        ["Chama cash statement", None, *blank],
        ["Chama", "Umoja Savings Group (UMJ001)", *blank],
        ["Paybill", "600984", *blank],
        ["Period", "2026-01-07 to 2026-01-31", *blank],
        ["Currency", "KES", *blank],
        ["Generated", values[5][1], *blank],
    ]
    assert values[5][1].endswith(" EAT")
    jan = functools.partial(datetime, 2026, 1)
    # fmt: off
    assert values[7:] == [
        ["Date", "Entry", "Type", "Memo", "Reference", "In (KES)", "Out (KES)", "Balance (KES)"],
        [jan(7), None, "Opening balance", None, None, None, None, 44000],
        [jan(7), str(e("RCA0000006")), "Contribution", "Contribution by M005", "RCA0000006", 6000, 0, 50000],
        [jan(7), str(e("RCA0000007")), "Contribution", "Contribution by M006", "RCA0000007", 10500, 0, 60500],
        [jan(8), str(e("reversal")), "Reversal", "Reversal: Wrong amount", None, 0, 10500, 50000],
        [jan(8), str(e("RCA0000008")), "Contribution", "Contribution by M006", "RCA0000008", 10000, 0, 60000],
        [jan(10), str(e("payout_sent")), "Pot payout sent (in flight)", payout_memo(history), None, 0, 48000, 12000],
        [jan(31), None, "Totals and closing balance", None, None, 26500, 58500, 12000],
    ]
    # fmt: on
    money_cells = [sheet.cell(row=r, column=c) for r in range(9, 16) for c in (6, 7, 8)]
    assert {cell.number_format for cell in money_cells} == {"#,##0.00;-#,##0.00"}
    assert {cell.data_type for cell in money_cells if cell.value is not None} == {"n"}
    assert sheet.cell(row=10, column=1).number_format == "yyyy-mm-dd"
    assert sheet.freeze_panes == "A9"


def test_the_pdf_is_a_statement_to_hand_out(history):
    statement = statement_get(chama=history.chama, date_from=date(2026, 1, 1), date_to=JAN_31)

    pdf = statement_pdf(statement, compress=False)

    assert pdf.startswith(b"%PDF")
    for text in (
        "Umoja Savings Group",
        "Chama cash statement",
        "chama code UMJ001",
        "600984",  # the paybill
        "2026-01-01 to 2026-01-31",
        "Opening balance (KES)",
        "Balance (KES)",
        "70,500.00",  # money in
        "58,500.00",  # money out
        "12,000.00",  # closing
        "Totals and closing balance",
        "Page 1 of 1",
    ):
        assert shown(text) in pdf, text


def test_a_long_pdf_repeats_the_table_header_and_numbers_its_pages(history):
    statement = statement_get(chama=history.chama)
    long = dataclasses.replace(statement, rows=statement.rows * 12)

    pdf = statement_pdf(long, compress=False)

    pages = pdf.count(b"/Type /Page\n") or pdf.count(b"/Type /Page ")
    assert pages >= 3
    assert shown(f"Page {pages} of {pages}") in pdf
    assert pdf.count(b"(" + shown("Balance (KES)") + b")") == pages  # the header on every page


def test_the_compressed_pdf_is_what_the_api_serves(history):
    pdf = statement_pdf(statement_get(chama=history.chama))

    assert pdf.startswith(b"%PDF")
    assert shown("Totals and closing balance") not in pdf  # the page text is compressed


def test_typed_text_never_runs_as_a_spreadsheet_formula(history):
    statement = statement_get(chama=history.chama, date_from=JAN_7, date_to=JAN_31)
    row = dataclasses.replace(statement.rows[0], memo='=HYPERLINK("http://x.example","y")')
    tampered = dataclasses.replace(statement, rows=[row])

    csv_rows = list(csv.reader(io.StringIO(statement_csv(tampered).decode())))
    assert csv_rows[2][3] == '\'=HYPERLINK("http://x.example","y")'
    sheet = load_workbook(io.BytesIO(statement_xlsx(tampered))).active
    memo = sheet.cell(row=10, column=4)
    assert (memo.value, memo.data_type) == ('\'=HYPERLINK("http://x.example","y")', "s")
    assert [safe_text(t) for t in ("-5", "+1", "@a", "Contribution")] == [
        "'-5",
        "'+1",
        "'@a",
        "Contribution",
    ]


def test_file_names_say_whose_statement_and_which_period(history):
    member = member_statement_get(
        chama=history.chama, member=history.member, date_from=date(2026, 1, 1), date_to=JAN_31
    )
    chama = statement_get(chama=history.chama, date_to=JAN_31)

    assert statement_filename(member, "pdf") == "UMJ001-M005-statement-2026-01-01-2026-01-31.pdf"
    assert statement_filename(chama, "csv") == "UMJ001-statement-start-2026-01-31.csv"
