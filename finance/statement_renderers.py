"""A chama's statement as a file: CSV for software, XLSX for a treasurer's spreadsheet, PDF to
hand out (a member's is ``finance.statement_renderers_member``; ``finance.statement_files`` maps
the API's ``format`` to both). Every renderer takes a ``finance.statements.Statement`` and returns
bytes.
"""

import csv
import io
from typing import Any
from xml.sax.saxutils import escape

from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from reportlab.lib import colors
from reportlab.lib.enums import TA_RIGHT
from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, Spacer, Table, TableStyle

from finance.statement_pdf import REFERENCE_WIDTH, pdf_document, pdf_heading, rows_table
from finance.statement_text import (
    CLOSING,
    OPENING,
    XLSX_DATE_FORMAT,
    XLSX_MONEY_FORMAT,
    amount_text,
    iso_date,
    safe_text,
    xlsx_particulars,
)
from finance.statements import Statement

# --- CSV ------------------------------------------------------------------------------------

CSV_HEADER = [
    "date",
    "entry_id",
    "type",
    "memo",
    "reference",
    "currency",
    "amount_in",
    "amount_out",
    "balance",
]


def statement_csv(statement: Statement) -> bytes:
    """One table: the opening balance, the entries, the closing balance with the totals."""
    out = io.StringIO()
    writer = csv.writer(out)
    money = "{:.2f}".format
    writer.writerow(CSV_HEADER)
    writer.writerow(
        [
            iso_date(statement.date_from),
            "",
            OPENING,
            "",
            "",
            statement.currency,
            "",
            "",
            money(statement.opening),
        ]
    )
    for row in statement.rows:
        writer.writerow(
            [
                row.date.isoformat(),
                str(row.entry_id),
                safe_text(row.type),
                safe_text(row.memo),
                safe_text(row.reference),
                statement.currency,
                money(row.amount_in),
                money(row.amount_out),
                money(row.balance),
            ]
        )
    writer.writerow(
        [
            iso_date(statement.date_to),
            "",
            CLOSING,
            "",
            "",
            statement.currency,
            money(statement.total_in),
            money(statement.total_out),
            money(statement.closing),
        ]
    )
    return out.getvalue().encode()


# --- XLSX -----------------------------------------------------------------------------------

XLSX_COLUMNS = [
    ("Date", 12),
    ("Entry", 38),
    ("Type", 28),
    ("Memo", 40),
    ("Reference", 14),
    ("In", 15),
    ("Out", 15),
    ("Balance", 16),
]
MONEY_COLUMNS = (6, 7, 8)


def statement_xlsx(statement: Statement) -> bytes:
    """A sheet with the statement's particulars above a table of real dates and numbers."""
    workbook, sheet = xlsx_particulars(statement)
    bold = Font(bold=True)
    sheet.append([])
    currency = statement.currency
    sheet.append(
        [
            f"{name} ({currency})" if index in MONEY_COLUMNS else name
            for index, (name, _width) in enumerate(XLSX_COLUMNS, start=1)
        ]
    )
    header_row = sheet.max_row
    fill = PatternFill("solid", fgColor="DDE4EE")
    for cell in sheet[header_row]:
        cell.font = bold
        cell.fill = fill
        cell.border = Border(bottom=Side(style="thin"))
    sheet.append([statement.date_from, None, OPENING, None, None, None, None, statement.opening])
    sheet.cell(row=sheet.max_row, column=3).font = bold
    for row in statement.rows:
        sheet.append(
            [
                row.date,
                str(row.entry_id),
                safe_text(row.type),
                safe_text(row.memo),
                safe_text(row.reference),
                row.amount_in,
                row.amount_out,
                row.balance,
            ]
        )
    sheet.append(
        [
            statement.date_to,
            None,
            CLOSING,
            None,
            None,
            statement.total_in,
            statement.total_out,
            statement.closing,
        ]
    )
    for cell in sheet[sheet.max_row]:
        cell.font = bold
        cell.border = Border(top=Side(style="thin"))
    for cells in sheet.iter_rows(min_row=header_row + 1):
        cells[0].number_format = XLSX_DATE_FORMAT
        for index in MONEY_COLUMNS:
            cells[index - 1].number_format = XLSX_MONEY_FORMAT
            cells[index - 1].alignment = Alignment(horizontal="right")
    for index, (_name, width) in enumerate(XLSX_COLUMNS, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = sheet.cell(row=header_row + 1, column=1)
    sheet.print_title_rows = f"{header_row}:{header_row}"
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def statement_pdf(statement: Statement, *, compress: bool = True) -> bytes:
    """An A4 statement: particulars, balances, the entries (header repeated on every page), the
    totals and page numbers. ``compress=False`` leaves the page text readable, for tests."""
    styles = getSampleStyleSheet()
    small = ParagraphStyle("small", parent=styles["Normal"], fontSize=8, leading=10)
    cell = ParagraphStyle("cell", parent=small)
    label = ParagraphStyle("label", parent=small, textColor=colors.grey)
    figure = ParagraphStyle("figure", parent=styles["Normal"], fontSize=11, alignment=TA_RIGHT)
    currency = statement.currency

    story: list[Any] = pdf_heading(statement, styles)
    summary = Table(
        [
            [
                f"Opening balance ({currency})",
                f"Money in ({currency})",
                f"Money out ({currency})",
                f"Closing balance ({currency})",
            ],
            [
                Paragraph(amount_text(value), figure)
                for value in (
                    statement.opening,
                    statement.total_in,
                    statement.total_out,
                    statement.closing,
                )
            ],
        ],
        colWidths=[45 * mm] * 4,
        hAlign="LEFT",
    )
    summary.setStyle(
        TableStyle(
            [
                ("FONT", (0, 0), (-1, 0), "Helvetica", 8),
                ("TEXTCOLOR", (0, 0), (-1, 0), colors.grey),
                ("ALIGN", (0, 0), (-1, 0), "RIGHT"),
                ("BOX", (0, 0), (-1, -1), 0.5, colors.grey),
                ("LINEBEFORE", (1, 0), (-1, -1), 0.25, colors.lightgrey),
            ]
        )
    )
    story += [summary, Spacer(1, 6 * mm)]

    header = [
        "Date",
        "Entry",
        "Details",
        "Reference",
        f"In ({currency})",
        f"Out ({currency})",
        f"Balance ({currency})",
    ]
    data: list[list[Any]] = [header]
    data.append(
        [
            iso_date(statement.date_from),
            "",
            Paragraph(f"<b>{OPENING}</b>", cell),
            "",
            "",
            "",
            amount_text(statement.opening),
        ]
    )
    for row in statement.rows:
        details = f"<b>{escape(row.type)}</b>"
        if row.memo:
            details += f"<br/>{escape(row.memo)}"
        data.append(
            [
                row.date.isoformat(),
                str(row.entry_id)[:8],
                Paragraph(details, cell),
                row.reference,
                amount_text(row.amount_in),
                amount_text(row.amount_out),
                amount_text(row.balance),
            ]
        )
    data.append(
        [
            iso_date(statement.date_to),
            "",
            Paragraph(f"<b>{CLOSING}</b>", cell),
            "",
            amount_text(statement.total_in),
            amount_text(statement.total_out),
            amount_text(statement.closing),
        ]
    )
    table = rows_table(
        data,
        widths=[19 * mm, 16 * mm, 48 * mm, REFERENCE_WIDTH, 23 * mm, 23 * mm, 25 * mm],
        reference_column=3,
        numbers_from=4,
        striped=True,
    )
    story += [
        table,
        Spacer(1, 4 * mm),
        Paragraph(
            "In and out are the entry's money received into and paid from the chama's M-Pesa "
            "paybill, bank and cash accounts; the balance is the opening balance plus money in "
            "less money out.",
            label,
        ),
    ]

    return pdf_document(statement, story, compress=compress)
