"""The anomaly rules that need no model: each looks at a chama's recent rows and says which
deserve an official's look, in words. Pure: rows in, findings out; no database.

- an official approving an expense paid to themselves (the payee is the approver's name or
  one of their phones);
- three expenses by one person within 48 hours, each at least 4x that person's average over
  the 90 days before it (a burst that drains the box before anyone notices);
- a payout made within 7 days of its recipient's payout phone changing (the classic takeover:
  change the phone, then ask for the pot).
"""

import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal
from uuid import UUID

from core.phone import InvalidPhoneNumber, normalize_phone
from governance.anomaly_model import NAIROBI, Finding, Row

BURST_COUNT = 3
BURST_WINDOW = timedelta(hours=48)
BURST_MULTIPLE = Decimal(4)
BURST_BASELINE = timedelta(days=90)
PHONE_CHANGE_WINDOW = timedelta(days=7)
# Rules are certain about what they saw; how grave it is decides the order officials read.
SELF_APPROVAL_SEVERITY = Decimal("0.900")
PAYOUT_PHONE_SEVERITY = Decimal("0.850")
BURST_SEVERITY = Decimal("0.800")
PHONE_RE = re.compile(r"(?:\+?254|0)\s*[17](?:[\s-]*\d){8}")


@dataclass(frozen=True)
class Approval:
    """An official's approving signature on an expense, with who they are."""

    expense_id: UUID
    full_name: str
    phones: tuple[str, ...]


@dataclass(frozen=True)
class Payout:
    id: UUID
    recipient_id: UUID
    at: datetime
    amount: Decimal
    destination: str


@dataclass(frozen=True)
class PhoneChange:
    membership_id: UUID
    at: datetime
    old: str
    new: str


def _norm(text: str) -> str:
    return " ".join(re.sub(r"[^\w\s]", " ", text.casefold()).split())


def _phones_in(text: str) -> set[str]:
    found = set()
    for match in PHONE_RE.finditer(text):
        try:
            found.add(normalize_phone(re.sub(r"[\s-]", "", match.group())))
        except InvalidPhoneNumber:
            continue
    return found


def self_approvals(*, expenses: dict[UUID, Row], approvals: Iterable[Approval]) -> list[Finding]:
    """Expenses approved by an official whom the payee names: by full name (case, spacing and
    punctuation aside) or by one of their phones written in the payee."""
    findings: dict[UUID, Finding] = {}
    for approval in approvals:
        expense = expenses.get(approval.expense_id)
        if expense is None or expense.id in findings:
            continue
        by_name = _norm(expense.label) == _norm(approval.full_name)
        by_phone = _phones_in(expense.label) & set(approval.phones)
        if not (by_name or by_phone):
            continue
        how = "name" if by_name else f"phone {sorted(by_phone)[0]}"
        findings[expense.id] = Finding(
            expense.id,
            SELF_APPROVAL_SEVERITY,
            [
                f"approved by {approval.full_name}, who is its payee "
                f"({expense.label!r} matches their {how})"
            ],
        )
    return list(findings.values())


def expense_bursts(*, expenses: Sequence[Row], since: datetime, currency: str) -> list[Finding]:
    """For each person, ``BURST_COUNT`` consecutive expenses within ``BURST_WINDOW``, each at
    least ``BURST_MULTIPLE``x the person's average over the ``BURST_BASELINE`` before the
    first of them (a person with no expense in that time has no average, and no burst); one
    finding on the expense that completes the burst, when it falls on or after ``since``."""
    by_actor: dict[UUID, list[Row]] = defaultdict(list)
    for row in sorted(expenses, key=lambda r: (r.at, str(r.id))):
        by_actor[row.actor].append(row)
    findings = []
    for rows in by_actor.values():
        for j in range(BURST_COUNT - 1, len(rows)):
            burst = rows[j - BURST_COUNT + 1 : j + 1]
            first, last = burst[0], burst[-1]
            if last.at < since or last.at - first.at > BURST_WINDOW:
                continue
            before = [r.amount for r in rows if first.at - BURST_BASELINE <= r.at < first.at]
            if not before:
                continue
            average = sum(before, Decimal(0)) / len(before)
            if any(row.amount < BURST_MULTIPLE * average for row in burst):
                continue
            words = ", ".join(
                f"{currency} {row.amount:,.2f} on {row.at.astimezone(NAIROBI):%d %b %H:%M}"
                for row in burst
            )
            findings.append(
                Finding(
                    last.id,
                    BURST_SEVERITY,
                    [
                        f"{BURST_COUNT} expenses by one person within 48 hours, each at least "
                        f"{BURST_MULTIPLE}x their 90-day average of {currency} {average:,.2f}: "
                        f"{words} ({sum((r.amount for r in burst), Decimal(0)) / average:.1f}x "
                        "the average in all)"
                    ],
                )
            )
    return findings


def payout_phone_changes(
    *, payouts: Iterable[Payout], changes: Iterable[PhoneChange], currency: str
) -> list[Finding]:
    """Payouts whose recipient's payout phone changed in the ``PHONE_CHANGE_WINDOW`` before."""
    by_member: dict[UUID, list[PhoneChange]] = defaultdict(list)
    for change in changes:
        by_member[change.membership_id].append(change)
    findings = []
    for payout in payouts:
        recent = [
            c
            for c in by_member.get(payout.recipient_id, [])
            if payout.at - PHONE_CHANGE_WINDOW <= c.at <= payout.at
        ]
        if not recent:
            continue
        change = max(recent, key=lambda c: c.at)
        days = (payout.at - change.at).days
        when = "the same day" if days == 0 else f"{days} day(s) before"
        findings.append(
            Finding(
                payout.id,
                PAYOUT_PHONE_SEVERITY,
                [
                    f"payout phone changed from {change.old} to {change.new} on "
                    f"{change.at.astimezone(NAIROBI):%d %b %Y %H:%M}, {when} this payout of "
                    f"{currency} {payout.amount:,.2f} to {payout.destination}"
                ],
            )
        )
    return findings
