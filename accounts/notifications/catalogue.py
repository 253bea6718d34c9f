"""The one catalogue of events Hazina tells people about: each event's title and body (English
source strings; Kiswahili in accounts/locale/sw), the channels it goes through besides the
in-app inbox, who it is for and whether it may wake someone in quiet hours.

Texts are ``%(name)s`` templates filled from the ``context`` a caller passes to ``notify``:
plain JSON values, amounts already formatted (``"1,500.00"``), dates as ISO strings.
"""

import re
from dataclasses import dataclass
from typing import Any

from django.utils import translation

# Marks the texts for makemessages; they are translated when rendered, in the user's language.
from django.utils.translation import gettext_noop as _

from accounts.choices import Channel

ALL_CHANNELS = (Channel.SMS, Channel.EMAIL, Channel.WHATSAPP)
NO_SMS = (Channel.EMAIL, Channel.WHATSAPP)
_PLACEHOLDER = re.compile(r"%\((\w+)\)s")


class EventGroup:
    """Groups a member can mute a channel for (``NotificationPreference.muted``)."""

    MONEY = "money"
    REMINDERS = "reminders"
    APPROVALS = "approvals"
    GOVERNANCE = "governance"
    INVESTMENTS = "investments"
    ALERTS = "alerts"

    ALL = (MONEY, REMINDERS, APPROVALS, GOVERNANCE, INVESTMENTS, ALERTS)


@dataclass(frozen=True)
class Event:
    name: str
    group: str
    title: str
    body: str
    channels: tuple[str, ...] = ALL_CHANNELS
    officials_only: bool = False
    # Sent by SMS even in quiet hours.
    urgent: bool = False

    @property
    def fields(self) -> frozenset[str]:
        """The context keys the texts need."""
        return frozenset(_PLACEHOLDER.findall(f"{self.title} {self.body}"))

    def render(self, context: dict[str, Any], language: str) -> tuple[str, str]:
        """(title, body) in ``language``."""
        with translation.override(language):
            return (
                translation.gettext(self.title) % context,
                translation.gettext(self.body) % context,
            )


EVENTS: dict[str, Event] = {
    event.name: event
    for event in (
        # --- Money moves ---------------------------------------------------------------------
        Event(
            "contribution_received",
            EventGroup.MONEY,
            _("Contribution received: %(currency)s %(amount)s"),
            _(
                "%(chama)s received your contribution of %(currency)s %(amount)s "
                "(receipt %(receipt)s). You have saved %(currency)s %(total_saved)s in total."
            ),
        ),
        Event(
            "payout_made",
            EventGroup.MONEY,
            _("Payout sent: %(currency)s %(amount)s"),
            _("%(chama)s paid you %(currency)s %(amount)s (%(reference)s)."),
        ),
        Event(
            "loan_approved",
            EventGroup.MONEY,
            _("Loan approved: %(currency)s %(amount)s"),
            _(
                "%(chama)s approved your loan of %(currency)s %(amount)s. "
                "It will be paid out to you shortly."
            ),
        ),
        Event(
            "loan_disbursed",
            EventGroup.MONEY,
            _("Loan paid out: %(currency)s %(amount)s"),
            _(
                "%(chama)s paid out your loan of %(currency)s %(amount)s. "
                "The first installment is due on %(first_due)s."
            ),
        ),
        Event(
            "loan_repaid",
            EventGroup.MONEY,
            _("Loan repaid in full"),
            _("You have repaid your loan of %(currency)s %(amount)s to %(chama)s in full."),
        ),
        Event(
            "fine_issued",
            EventGroup.MONEY,
            _("Fine: %(currency)s %(amount)s"),
            _("%(chama)s fined you %(currency)s %(amount)s: %(reason)s."),
        ),
        Event(
            "profit_earned",
            EventGroup.MONEY,
            _("Profit earned: %(currency)s %(amount)s"),
            _("Your share of %(chama)s's profit from %(source)s is %(currency)s %(amount)s."),
            channels=NO_SMS,
        ),
        # --- Approvals -----------------------------------------------------------------------
        Event(
            "guarantor_request",
            EventGroup.APPROVALS,
            _("Guarantee request from %(borrower)s"),
            _(
                "%(borrower)s asks you to guarantee %(currency)s %(amount)s of a loan in "
                "%(chama)s. Answer in the Hazina app."
            ),
        ),
        Event(
            "approval_awaiting",
            EventGroup.APPROVALS,
            _("Your signature is needed: %(subject)s"),
            _(
                "%(chama)s: %(subject)s of %(currency)s %(amount)s awaits your approval "
                "in the Hazina app."
            ),
            officials_only=True,
        ),
        # --- Governance ----------------------------------------------------------------------
        Event(
            "vote_opened",
            EventGroup.GOVERNANCE,
            _("New vote: %(question)s"),
            _("%(chama)s opened a vote: %(question)s. Voting closes on %(closes)s."),
        ),
        Event(
            "vote_result",
            EventGroup.GOVERNANCE,
            _("Vote result: %(question)s"),
            _("%(chama)s: the vote on %(question)s ended: %(result)s."),
            channels=NO_SMS,
        ),
        # --- Investments ---------------------------------------------------------------------
        Event(
            "investment_proposal",
            EventGroup.INVESTMENTS,
            _("Investment proposal: %(option)s"),
            _(
                "%(chama)s proposes to invest %(currency)s %(amount)s in %(option)s. "
                "See the proposal in the Hazina app."
            ),
            channels=NO_SMS,
        ),
        Event(
            "investment_matured",
            EventGroup.INVESTMENTS,
            _("Investment matured: %(option)s"),
            _("%(chama)s's investment in %(option)s matured on %(date)s: %(currency)s %(amount)s."),
            channels=NO_SMS,
        ),
        # --- Reminders (sent by the scheduled jobs) ------------------------------------------
        Event(
            "contribution_due",
            EventGroup.REMINDERS,
            _("Contribution due %(due_date)s"),
            _(
                "Reminder: your %(chama)s contribution of %(currency)s %(amount)s "
                "is due on %(due_date)s."
            ),
        ),
        Event(
            "contribution_overdue",
            EventGroup.REMINDERS,
            _("Contribution overdue"),
            _(
                "Your %(chama)s contribution of %(currency)s %(amount)s was due on "
                "%(due_date)s and is not yet paid."
            ),
        ),
        Event(
            "installment_due",
            EventGroup.REMINDERS,
            _("Loan installment due %(due_date)s"),
            _(
                "Reminder: your %(chama)s loan installment of %(currency)s %(amount)s "
                "is due on %(due_date)s."
            ),
        ),
        Event(
            "installment_overdue",
            EventGroup.REMINDERS,
            _("Loan installment overdue"),
            _(
                "Your %(chama)s loan installment of %(currency)s %(amount)s was due on "
                "%(due_date)s and is not yet paid."
            ),
        ),
        Event(
            "meeting_reminder",
            EventGroup.REMINDERS,
            _("Meeting %(date)s"),
            _("Reminder: %(chama)s meets on %(date)s at %(time)s, %(venue)s."),
        ),
        Event(
            "vote_closing",
            EventGroup.REMINDERS,
            _("Vote closing: %(question)s"),
            _("%(chama)s: the vote on %(question)s closes on %(closes)s. Have you voted?"),
        ),
        # --- Alerts --------------------------------------------------------------------------
        Event(
            "anomaly_alert",
            EventGroup.ALERTS,
            _("Unusual activity in %(chama)s"),
            _("%(chama)s: %(summary)s. Suggested: %(action)s"),
            channels=(Channel.SMS, Channel.EMAIL),
            officials_only=True,
        ),
    )
}


def event_get(name: str) -> Event:
    try:
        return EVENTS[name]
    except KeyError:
        raise LookupError(f"No notification event {name!r} in the catalogue.") from None
