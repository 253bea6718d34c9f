"""Reading an M-Pesa statement export (CSV from the M-Pesa org portal) for reconciliation.

The portal puts a few lines of account details above the header row, names columns with
trailing dots ("Receipt No.") and writes amounts with thousands separators; rows of other
chamas on the same paybill are told apart by the account number ("A/C No.").
"""

import csv
import io
import re
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from core.exceptions import ValidationFailed
from core.money import ZERO, money
from mpesa.exceptions import MpesaError
from mpesa.payloads import NAIROBI

MAX_ROWS = 50_000
TIME_FORMATS = ("%Y-%m-%d %H:%M:%S", "%d-%m-%Y %H:%M:%S", "%d/%m/%Y %H:%M:%S", "%d.%m.%Y %H:%M:%S")


@dataclass(frozen=True)
class StatementRow:
    receipt: str
    completed_at: datetime
    paid_in: Decimal
    withdrawn: Decimal
    account: str
    details: str
    status: str


def _key(name: str) -> str:
    return re.sub(r"[^a-z]", "", name.lower())


def _amount(text: str, row: int) -> Decimal:
    cleaned = text.replace(",", "").strip().lstrip("-") or "0"
    try:
        return money(Decimal(cleaned))
    except InvalidOperation:
        raise ValidationFailed(
            MpesaError.BAD_ROW, row=row, reason=f"{text!r} is not an amount"
        ) from None


def _time(text: str, row: int) -> datetime:
    for fmt in TIME_FORMATS:
        try:
            return datetime.strptime(text.strip(), fmt).replace(tzinfo=NAIROBI)
        except ValueError:
            continue
    raise ValidationFailed(MpesaError.BAD_ROW, row=row, reason=f"{text!r} is not a time")


def statement_rows_read(content: bytes) -> list[StatementRow]:
    """The completed rows of a statement export, or ValidationFailed naming what is wrong."""
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ValidationFailed(MpesaError.NOT_A_STATEMENT, field="file") from None
    reader = csv.reader(io.StringIO(text))
    header: dict[str, int] | None = None
    rows: list[StatementRow] = []
    for number, cells in enumerate(reader, start=1):
        if header is None:
            keys = {_key(c): i for i, c in enumerate(cells)}
            if {"receiptno", "completiontime", "paidin", "withdrawn"} <= keys.keys():
                header = keys
            continue
        if not any(c.strip() for c in cells):
            continue
        if len(rows) >= MAX_ROWS:
            raise ValidationFailed(MpesaError.TOO_MANY_ROWS, limit=f"{MAX_ROWS:,}")

        def cell(name: str, cells: list[str] = cells, header: dict[str, int] = header) -> str:
            index = header.get(name)
            return cells[index].strip() if index is not None and index < len(cells) else ""

        status = cell("transactionstatus") or "Completed"
        if status.lower() != "completed":
            continue
        rows.append(
            StatementRow(
                receipt=cell("receiptno").upper(),
                completed_at=_time(cell("completiontime"), number),
                paid_in=_amount(cell("paidin"), number),
                withdrawn=_amount(cell("withdrawn"), number),
                account=re.sub(r"[\s-]", "", cell("acno")).upper(),
                details=cell("details")[:255],
                status=status,
            )
        )
    if header is None:
        raise ValidationFailed(MpesaError.NOT_A_STATEMENT, field="file")
    return rows


def statement_period(rows: list[StatementRow]) -> tuple[date, date] | None:
    if not rows:
        return None
    dates = [r.completed_at.date() for r in rows]
    return min(dates), max(dates)


def row_amount(row: StatementRow) -> Decimal:
    return row.paid_in if row.paid_in > ZERO else row.withdrawn
