"""The A4 document both statement PDFs are laid out on: the chama's name and the particulars at
the top, a footer naming the statement, "Page n of N", and reference cells kept on one line.
Text people typed is escaped where the paragraphs would read it as markup."""

import io
from collections.abc import Callable
from typing import Any
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle, StyleSheet1
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from finance.statement_text import (
    AnyStatement,
    generated_text,
    header_lines,
    period_text,
    statement_title,
)


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
            for name, value in header_lines(statement)[1:]
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


def rows_table(
    data: list[list[Any]],
    *,
    widths: list[float],
    reference_column: int,
    numbers_from: int,
    striped: bool = False,
) -> Table:
    """A statement's table: a bold header repeated on every page, a bold totals row last,
    receipt codes whole in ``reference_column`` and amounts right-aligned from
    ``numbers_from`` on."""
    last = len(data) - 1
    style: list[Any] = [
        *unwrapped(data, column=reference_column),
        ("FONT", (0, 0), (-1, -1), "Helvetica", 8),
        ("FONT", (0, 0), (-1, 0), "Helvetica-Bold", 8),
        ("FONT", (0, last), (-1, last), "Helvetica-Bold", 8),
        ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#DDE4EE")),
        ("LINEABOVE", (0, last), (-1, last), 0.5, colors.grey),
        ("ALIGN", (numbers_from, 0), (-1, -1), "RIGHT"),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
    ]
    if striped:
        style += [
            ("LINEBELOW", (0, 0), (-1, 0), 0.5, colors.grey),
            ("ROWBACKGROUNDS", (0, 1), (-1, last - 1), [colors.white, colors.HexColor("#F5F7FA")]),
        ]
    table = Table(data, colWidths=widths, repeatRows=1, hAlign="LEFT")
    table.setStyle(TableStyle(style))
    return table
