"""The reminder jobs: contributions and loan installments coming due and overdue, tomorrow's
meetings and votes about to close. Each reads in a fixed number of queries, groups its
recipients into batches and calls the notifications core once per batch with a natural key,
so a rerun (a double-fired beat) sends nothing twice."""

from governance.services.reminders.batches import ReminderRun
from governance.services.reminders.contributions import (
    CONTRIBUTION_DUE,
    CONTRIBUTION_OVERDUE,
    contribution_reminders,
)
from governance.services.reminders.loans import (
    INSTALLMENT_DUE,
    INSTALLMENT_OVERDUE,
    loan_reminders,
)
from governance.services.reminders.meetings import MEETING_REMINDER, meeting_reminders
from governance.services.reminders.votes import VOTE_CLOSING, vote_reminders

REMINDER_EVENTS = (
    CONTRIBUTION_DUE,
    CONTRIBUTION_OVERDUE,
    INSTALLMENT_DUE,
    INSTALLMENT_OVERDUE,
    MEETING_REMINDER,
    VOTE_CLOSING,
)

__all__ = [
    "REMINDER_EVENTS",
    "ReminderRun",
    "contribution_reminders",
    "loan_reminders",
    "meeting_reminders",
    "vote_reminders",
]
