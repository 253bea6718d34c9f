"""Fines: issued (by an official or by the rules' job), paid, waived. See docs/features/fines.md."""

from finance.services.fines.issuing import FineToIssue, fine_issue, fines_issue_bulk
from finance.services.fines.payments import (
    fine_pay,
    fine_pay_from_savings,
    fines_allocate,
    fines_pay_member,
)
from finance.services.fines.waivers import fine_waive, fine_waive_check

__all__ = [
    "FineToIssue",
    "fine_issue",
    "fine_pay",
    "fine_pay_from_savings",
    "fine_waive",
    "fine_waive_check",
    "fines_allocate",
    "fines_issue_bulk",
    "fines_pay_member",
]
