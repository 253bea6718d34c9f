"""A member's statement as a file (see ``finance.statements_member``).

Every format opens with the particulars (paybill and account number to pay to) and the
member's position today, then one section per account of the member: its opening balance, its
entries with what each added and took and the balance after it, and its closing balance.
CSV and XLSX write the particulars and the position as label/value rows above one table whose
first column names the account; the PDF puts the position in a box above a table per account.
"""

import csv
import io
from decimal import Decimal
from typing import Any
from xml.sax.saxutils import escape

from openpyxl.styles import Font
from reportlab.lib import colors
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
    header_lines,
    iso_date,
    safe_text,
    statement_title,
    xlsx_particulars,
)
from finance.statements_member import HELD, OWED, AccountSection, MemberStatement

MEMBER_CSV_HEADER = [
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
READS = {HELD: "held for you", OWED: "you owe", "received": "paid to you"}


def section_title(section: AccountSection) -> str:
    """ "Savings (2100, held for you)"."""
    account = section.account
    return f"{account.name} ({account.code}, {READS[account.reads]})"


def position_lines(statement: MemberStatement) -> list[tuple[str, Decimal]]:
    """The member's position today, as label and amount."""
    p = statement.position
    lines = [
        ("Savings", p.savings),
        ("Credit (paid ahead)", p.credit),
        ("Total funds (savings and credit)", p.total_funds),
        ("Profit payable", p.profit),
        (f"Dues owed this round ({p.this_round.count})", p.this_round.amount),
        (f"Dues in arrears ({p.arrears.count})", p.arrears.amount),
        ("Loans outstanding", sum((loan.outstanding for loan in p.loans), Decimal("0.00"))),
    ]
    for loan in p.loans:
        due = loan.next_installment
        if due is not None:
            late = f", {due.days_overdue} days overdue" if due.days_overdue else ""
            lines.append((f"Next installment {due.number}, due {due.due_date}{late}", due.amount))
    lines += [("Fines owed", p.fines_owed), ("Pots received", p.pots_total)]
    if p.next_pot is not None:
        pot = p.next_pot
        lines.append((f"Pot expected: round {pot.round}, {pot.meeting_date}", pot.expected_pot))
    score = p.credit_score
    if score is not None:
        lines.append((f"Credit score (0-100) as of {score.as_of}", Decimal(score.score)))
        lines += [
            (f"{part.name.capitalize()}: {part.reason} (of {part.max})", part.points)
            for part in score.parts
        ]
    return lines


def _table_rows(statement: MemberStatement) -> list[list[Any]]:
    """Per section: the opening row, the entries, the totals and closing row, as the table's
    nine cells (Decimal money, real dates; ``None`` where a cell is empty)."""
    rows: list[list[Any]] = []
    for section in statement.sections:
        name = section_title(section)
        rows.append(
            [name, statement.date_from, None, OPENING, None, None, None, None, section.opening]
        )
        for r in section.rows:
            rows.append(
                [
                    name,
                    r.date,
                    str(r.entry_id),
                    r.type,
                    r.memo,
                    r.reference,
                    r.increase,
                    r.decrease,
                    r.balance,
                ]
            )
        rows.append(
            [
                name,
                statement.date_to,
                None,
                CLOSING,
                None,
                None,
                section.total_increase,
                section.total_decrease,
                section.closing,
            ]
        )
    return rows


def member_statement_csv(statement: MemberStatement) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([statement_title(statement)])
    for label, value in header_lines(statement):
        writer.writerow([label, safe_text(value)])
    writer.writerow([])
    writer.writerow([f"Position on {statement.position.as_of}", statement.currency])
    for label, amount in position_lines(statement):
        writer.writerow([label, f"{amount:.2f}"])
    writer.writerow([])
    writer.writerow(MEMBER_CSV_HEADER)
    for row in _table_rows(statement):
        cells = [
            row[0],
            iso_date(row[1]),
            row[2] or "",
            safe_text(row[3]),
            safe_text(row[4] or ""),
            safe_text(row[5] or ""),
            statement.currency,
        ]
        writer.writerow(cells + ["" if v is None else f"{v:.2f}" for v in row[6:]])
    return out.getvalue().encode()


XLSX_WIDTHS = [34, 12, 38, 28, 40, 14, 15, 15, 16]


def member_statement_xlsx(statement: MemberStatement) -> bytes:
    workbook, sheet = xlsx_particulars(statement)
    bold = Font(bold=True)
    sheet.append([])
    sheet.append([f"Position on {statement.position.as_of}", statement.currency])
    for label, amount in position_lines(statement):
        sheet.append([label, amount])
        sheet.cell(row=sheet.max_row, column=2).number_format = XLSX_MONEY_FORMAT
    sheet.append([])
    currency = statement.currency
    sheet.append(
        [
            "Account",
            "Date",
            "Entry",
            "Type",
            "Memo",
            "Reference",
            f"Increase ({currency})",
            f"Decrease ({currency})",
            f"Balance ({currency})",
        ]
    )
    header_row = sheet.max_row
    for cell in sheet[header_row]:
        cell.font = bold
    for row in _table_rows(statement):
        sheet.append([row[0], row[1], row[2], safe_text(row[3]), *row[4:]])
        cells = sheet[sheet.max_row]
        cells[1].number_format = XLSX_DATE_FORMAT
        for cell in cells[6:9]:
            cell.number_format = XLSX_MONEY_FORMAT
    for index, width in enumerate(XLSX_WIDTHS, start=1):
        sheet.column_dimensions[chr(64 + index)].width = width
    sheet.freeze_panes = sheet.cell(row=header_row + 1, column=1)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def _position_box(statement: MemberStatement, small: ParagraphStyle) -> Table:
    lines = position_lines(statement)
    half = (len(lines) + 1) // 2
    left, right = lines[:half], lines[half:] + [("", None)] * (2 * half - len(lines))
    data: list[list[Any]] = [
        [f"Position on {statement.position.as_of} ({statement.currency})", "", "", ""]
    ]
    for (l_label, l_amount), (r_label, r_amount) in zip(left, right, strict=True):
        data.append(
            [
                Paragraph(l_label, small),
                amount_text(l_amount),
                Paragraph(r_label, small),
                "" if r_amount is None else amount_text(r_amount),
            ]
        )
    box = Table(data, colWidths=[58 * mm, 28 * mm, 58 * mm, 28 * mm], hAlign="LEFT")
    box.setStyle(
        TableStyle(
            [
                ("SPAN", (0, 0), (-1, 0)),
                ("FONT", (0, 0), (-1, 0), "Helvetica-Bold", 9),
                ("FONT", (0, 1), (-1, -1), "Helvetica", 8),
                ("ALIGN", (1, 1), (1, -1), "RIGHT"),
                ("ALIGN", (3, 1), (3, -1), "RIGHT"),
                ("BOX", (0, 0), (-1, -1), 0.5, colors.grey),
                ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#DDE4EE")),
            ]
        )
    )
    return box


def _section_table(section: AccountSection, statement: MemberStatement, cell: Any) -> Table:
    header = ["Date", "Details", "Reference", "Increase", "Decrease", "Balance"]
    data: list[list[Any]] = [header]
    data.append([iso_date(statement.date_from), OPENING, "", "", "", amount_text(section.opening)])
    for row in section.rows:
        details = f"<b>{escape(row.type)}</b>" + (f"<br/>{escape(row.memo)}" if row.memo else "")
        data.append(
            [
                row.date.isoformat(),
                Paragraph(details, cell),
                row.reference,
                amount_text(row.increase),
                amount_text(row.decrease),
                amount_text(row.balance),
            ]
        )
    data.append(
        [
            iso_date(statement.date_to),
            CLOSING,
            "",
            amount_text(section.total_increase),
            amount_text(section.total_decrease),
            amount_text(section.closing),
        ]
    )
    table = rows_table(
        data,
        widths=[19 * mm, 62 * mm, REFERENCE_WIDTH, 23 * mm, 23 * mm, 25 * mm],
        reference_column=2,
        numbers_from=3,
    )
    return table


def member_statement_pdf(statement: MemberStatement, *, compress: bool = True) -> bytes:
    """The particulars, the position in a box, then each account's table."""
    styles = getSampleStyleSheet()
    small = ParagraphStyle("small", parent=styles["Normal"], fontSize=8, leading=10)
    story: list[Any] = pdf_heading(statement, styles)
    story += [_position_box(statement, small), Spacer(1, 6 * mm)]
    for section in statement.sections:
        story += [
            Paragraph(section_title(section), styles["Heading4"]),
            _section_table(section, statement, small),
            Spacer(1, 4 * mm),
        ]
    story.append(
        Paragraph(
            "Each account's balance reads as you would: what the chama holds for you, what you "
            "owe it, or the pots paid to you so far. Amounts in "
            f"{statement.currency}.",
            small,
        )
    )
    return pdf_document(statement, story, compress=compress)
