"""A statement as a file: CSV for software, XLSX for a treasurer's spreadsheet, PDF to hand out.

Every renderer takes a ``finance.statements.Statement`` and returns bytes; ``RENDERERS`` maps the
API's ``format`` to the renderer, its media type and its file extension. Text that people typed
(memos, reversal reasons) is neutralised where a spreadsheet would run it as a formula, and
escaped where the PDF's paragraphs would read it as markup.
"""

import csv
import io
from collections.abc import Callable
from datetime import date
from decimal import Decimal
from typing import Any
from xml.sax.saxutils import escape
from zoneinfo import ZoneInfo

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from reportlab.lib import colors
from reportlab.lib.enums import TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle, StyleSheet1, getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from finance.statements import Statement, paybill_number
from finance.statements_member import MemberStatement

# The functions a chama's and a member's statement share read only what both carry.
AnyStatement = Statement | MemberStatement

NAIROBI = ZoneInfo("Africa/Nairobi")
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


def _iso(day: date | None) -> str:
    return day.isoformat() if day is not None else ""


def period_text(statement: AnyStatement) -> str:
    start = _iso(statement.date_from) or "the start of the books"
    end = _iso(statement.date_to) or statement.generated_at.astimezone(NAIROBI).date().isoformat()
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
    parts += ["statement", _iso(statement.date_from) or "start"]
    if statement.date_to is not None:
        parts.append(statement.date_to.isoformat())
    return f"{'-'.join(parts)}.{extension}"


# --- CSV ------------------------------------------------------------------------------------


def statement_csv(statement: Statement) -> bytes:
    """One table: the opening balance, the entries, the closing balance with the totals."""
    out = io.StringIO()
    writer = csv.writer(out)
    money = "{:.2f}".format
    writer.writerow(CSV_HEADER)
    writer.writerow(
        [
            _iso(statement.date_from),
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
            _iso(statement.date_to),
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


def _header_lines(statement: AnyStatement) -> list[tuple[str, str]]:
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


def statement_xlsx(statement: Statement) -> bytes:
    """A sheet with the statement's particulars above a table of real dates and numbers."""
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = "Statement"
    bold = Font(bold=True)
    sheet.append([statement_title(statement)])
    sheet["A1"].font = Font(bold=True, size=14)
    for label, value in _header_lines(statement):
        sheet.append([label, safe_text(value)])
        sheet.cell(row=sheet.max_row, column=1).font = bold
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


# --- PDF ------------------------------------------------------------------------------------


class NumberedCanvas(Canvas):
    """Writes "Page n of N" on every page, once the number of pages is known."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._pages: list[dict[str, Any]] = []

    def showPage(self) -> None:  # reportlab's name
        self._pages.append(dict(self.__dict__))
        self._startPage()

    def save(self) -> None:
        total = len(self._pages)
        for state in self._pages:
            self.__dict__.update(state)
            width, _height = self._pagesize
            self.setFont("Helvetica", 8)
            self.setFillColor(colors.grey)
            self.drawRightString(width - 15 * mm, 10 * mm, f"Page {self._pageNumber} of {total}")
            super().showPage()
        super().save()


def _footer(statement: AnyStatement) -> Callable[[Canvas, Any], None]:
    text = (
        f"{statement.chama.code} · {statement_title(statement).lower()} · "
        f"generated {generated_text(statement)} by Hazina"
    )

    def draw(canvas: Canvas, doc: Any) -> None:
        canvas.saveState()
        canvas.setFont("Helvetica", 8)
        canvas.setFillColor(colors.grey)
        canvas.drawString(15 * mm, 10 * mm, text)
        canvas.restoreState()

    return draw


# A receipt code is read and typed whole: its cell is a plain string (a table never wraps
# those), in a column wide enough for ten M-Pesa characters at 8 points, and a longer code is
# set smaller until it fits.
REFERENCE_WIDTH = 26 * mm
CELL_PADDING = 12  # reportlab's default left + right cell padding, in points


def unwrapped(data: list[list[Any]], *, column: int, width: float = REFERENCE_WIDTH) -> list:
    """Table style commands that shrink each text of ``column`` that would not fit on a line."""
    commands = []
    for index, row in enumerate(data):
        text = row[column]
        if not isinstance(text, str) or not text:
            continue
        size = 8.0
        while size > 4 and stringWidth(text, "Helvetica", size) > width - CELL_PADDING:
            size -= 0.5
        if size < 8:
            commands.append(("FONTSIZE", (column, index), (column, index), size))
    return commands


def pdf_heading(statement: AnyStatement, styles: StyleSheet1) -> list[Any]:
    """The chama's name, the title and the particulars (with the paybill and account number)."""
    small = ParagraphStyle("small", parent=styles["Normal"], fontSize=8, leading=10)
    label = ParagraphStyle("label", parent=small, textColor=colors.grey)
    chama = statement.chama
    info = Table(
        [
            [Paragraph(name, label), Paragraph(escape(value), small)]
            for name, value in _header_lines(statement)[1:]
        ],
        colWidths=[32 * mm, 110 * mm],
        hAlign="LEFT",
    )
    info.setStyle(
        TableStyle([("TOPPADDING", (0, 0), (-1, -1), 1), ("BOTTOMPADDING", (0, 0), (-1, -1), 1)])
    )
    return [
        Paragraph(escape(chama.name), styles["Title"]),
        Paragraph(
            f"{statement_title(statement)} · chama code {escape(chama.code)}", styles["Heading3"]
        ),
        info,
        Spacer(1, 4 * mm),
    ]


def pdf_document(statement: AnyStatement, story: list[Any], *, compress: bool) -> bytes:
    """The story laid out on A4 with the footer and "Page n of N"."""
    out = io.BytesIO()
    doc = SimpleDocTemplate(
        out,
        pagesize=A4,
        leftMargin=15 * mm,
        rightMargin=15 * mm,
        topMargin=15 * mm,
        bottomMargin=18 * mm,
        title=f"{statement.chama.name} — {statement_title(statement).lower()}",
        author="Hazina",
        subject=period_text(statement),
        pageCompression=1 if compress else 0,
    )
    footer = _footer(statement)
    doc.build(story, onFirstPage=footer, onLaterPages=footer, canvasmaker=NumberedCanvas)
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
            _iso(statement.date_from),
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
            _iso(statement.date_to),
            "",
            Paragraph(f"<b>{CLOSING}</b>", cell),
            "",
            amount_text(statement.total_in),
            amount_text(statement.total_out),
            amount_text(statement.closing),
        ]
    )
    table = Table(
        data,
        colWidths=[19 * mm, 16 * mm, 48 * mm, REFERENCE_WIDTH, 23 * mm, 23 * mm, 25 * mm],
        repeatRows=1,
        hAlign="LEFT",
    )
    last = len(data) - 1
    table.setStyle(
        TableStyle(
            [
                *unwrapped(data, column=3),
                ("FONT", (0, 0), (-1, -1), "Helvetica", 8),
                ("FONT", (0, 0), (-1, 0), "Helvetica-Bold", 8),
                ("FONT", (0, last), (-1, last), "Helvetica-Bold", 8),
                ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#DDE4EE")),
                ("LINEBELOW", (0, 0), (-1, 0), 0.5, colors.grey),
                ("LINEABOVE", (0, last), (-1, last), 0.5, colors.grey),
                (
                    "ROWBACKGROUNDS",
                    (0, 1),
                    (-1, last - 1),
                    [colors.white, colors.HexColor("#F5F7FA")],
                ),
                ("ALIGN", (4, 0), (-1, -1), "RIGHT"),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ]
        )
    )
    story += [
        table,
        Spacer(1, 4 * mm),
        Paragraph(
            "In and out are the entry's money received into and paid from the chama's M-Pesa "
            "paybill, bank and cash accounts; the balance is the opening balance plus money in "
            "less money out."
            + (
                " Entries of this member's money that moved no cash show 0.00."
                if statement.member
                else ""
            ),
            label,
        ),
    ]

    return pdf_document(statement, story, compress=compress)
