"""What every statement file shares, whichever the statement (the chama's cash book or a
member's) and the format: the particulars above it, its title and file name, and cell text —
typed text neutralised where a spreadsheet would run it as a formula, amounts to two places.
"""

from datetime import date
from decimal import Decimal
from zoneinfo import ZoneInfo

from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.worksheet.worksheet import Worksheet

from finance.statements import Statement, paybill_number
from finance.statements_member import MemberStatement

# The functions a chama's and a member's statement share read only what both carry.
AnyStatement = Statement | MemberStatement

NAIROBI = ZoneInfo("Africa/Nairobi")
OPENING = "Opening balance"
# The last row: the period's money in and out, and the balance it closes on.
CLOSING = "Totals and closing balance"
# Spreadsheets run a cell that starts with one of these as a formula (CSV/formula injection).
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
XLSX_MONEY_FORMAT = "#,##0.00;-#,##0.00"
XLSX_DATE_FORMAT = "yyyy-mm-dd"


def safe_text(value: str) -> str:
    """Text a spreadsheet shows as typed, never evaluates."""
    return f"'{value}" if value.startswith(FORMULA_PREFIXES) else value


def amount_text(value: Decimal) -> str:
    """12345.5 → "12,345.50": thousands separated, two places."""
    return f"{value:,.2f}"


def iso_date(day: date | None) -> str:
    return day.isoformat() if day is not None else ""


def period_text(statement: AnyStatement) -> str:
    start = iso_date(statement.date_from) or "the start of the books"
    end = (
        iso_date(statement.date_to) or statement.generated_at.astimezone(NAIROBI).date().isoformat()
    )
    return f"{start} to {end}"


def generated_text(statement: AnyStatement) -> str:
    return statement.generated_at.astimezone(NAIROBI).strftime("%Y-%m-%d %H:%M EAT")


def statement_title(statement: AnyStatement) -> str:
    return "Member statement" if statement.member is not None else "Chama cash statement"


def statement_filename(statement: AnyStatement, extension: str) -> str:
    """``UMJ001-M004-statement-2026-01-01-2026-03-31.pdf``; ``start`` when there is no from date."""
    parts = [statement.chama.code]
    if statement.member is not None:
        parts.append(statement.member.member_code)
    parts += ["statement", iso_date(statement.date_from) or "start"]
    if statement.date_to is not None:
        parts.append(statement.date_to.isoformat())
    return f"{'-'.join(parts)}.{extension}"


def header_lines(statement: AnyStatement) -> list[tuple[str, str]]:
    """The statement's particulars: whose, the paybill and account number to pay to, when."""
    lines = [("Chama", f"{statement.chama.name} ({statement.chama.code})")]
    member = statement.member
    if member is not None:
        lines += [("Member", f"{member.user.full_name} ({member.member_code})")]
    lines += [("Paybill", paybill_number())]
    if member is not None:
        lines += [("Account number", statement.account_number or "")]
    lines += [
        ("Period", period_text(statement)),
        ("Currency", statement.currency),
        ("Generated", generated_text(statement)),
    ]
    return lines


def xlsx_particulars(statement: AnyStatement) -> tuple[Workbook, Worksheet]:
    """A workbook whose one sheet opens with the statement's title and particulars (labels in
    bold, values safe from formula injection), for the table to follow."""
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = "Statement"
    sheet.append([statement_title(statement)])
    sheet["A1"].font = Font(bold=True, size=14)
    for label, value in header_lines(statement):
        sheet.append([label, safe_text(value)])
        sheet.cell(row=sheet.max_row, column=1).font = Font(bold=True)
    return workbook, sheet
