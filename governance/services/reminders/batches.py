"""Reminders gathered into batches and handed to the notifications core.

A reminder job reads everything it needs in a fixed number of queries, then groups its
recipients: one batch per event, natural key and text (the same chama, date and amount), and
hands every batch to ``notify_many`` at once, which writes them all in a constant number of
queries. The natural key is what makes a double-fired beat harmless: a user never gets the
same key twice.
"""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from uuid import UUID

from accounts.notifications.many import NotifyBatch, notify_many
from groups.models import Chama

Context = tuple[tuple[str, str], ...]
# An overdue reminder goes out within a week of the first late day (a missed run still
# reminds), never for older arrears: switching reminders on does not flood members.
OVERDUE_WINDOW_DAYS = 7


def amount_text(amount: Decimal) -> str:
    """An amount as the notification texts show it: ``1,500.00``."""
    return f"{amount:,.2f}"


def when_text(value: date | datetime) -> str:
    return value.isoformat()


@dataclass(frozen=True)
class ReminderRun:
    """What one run did: ``batches`` handed to ``notify`` and ``notified``, the notifications
    it created (0 on a second run the same day)."""

    batches: int
    notified: int

    def __str__(self) -> str:
        return f"{self.notified} reminder(s) sent in {self.batches} batch(es)"


class Batches:
    """Recipients by (event, key, chama, context); ``send`` notifies them all at once."""

    def __init__(self) -> None:
        self._users: defaultdict[tuple[str, str, UUID, Context], list[UUID]] = defaultdict(list)

    def add(
        self, *, event: str, key: str, chama_id: UUID, context: dict[str, str], user_id: UUID
    ) -> None:
        self._users[(event, key, chama_id, tuple(sorted(context.items())))].append(user_id)

    def add_many(
        self,
        *,
        event: str,
        key: str,
        chama_id: UUID,
        context: dict[str, str],
        user_ids: Iterable[UUID],
    ) -> None:
        for user_id in user_ids:
            self.add(event=event, key=key, chama_id=chama_id, context=context, user_id=user_id)

    def add_payment(
        self,
        *,
        events: tuple[str, str],
        key: str,
        chama: Chama,
        amount: Decimal,
        due_date: date,
        today: date,
        days_before: int,
        grace_days: int,
        user_id: UUID,
    ) -> None:
        """A payment falling due within ``days_before`` days is the first of ``events`` (due);
        one unpaid after its date and ``grace_days`` the second (overdue), within
        ``OVERDUE_WINDOW_DAYS``; any other is no reminder. ``key`` is formatted with the
        chosen ``event``."""
        days_ahead = (due_date - today).days
        days_late = -days_ahead - grace_days
        if 0 < days_ahead <= days_before:
            event = events[0]
        elif 1 <= days_late <= OVERDUE_WINDOW_DAYS:
            event = events[1]
        else:
            return
        self.add(
            event=event,
            key=key.format(event=event),
            chama_id=chama.pk,
            context={
                "chama": chama.name,
                "currency": chama.currency,
                "amount": amount_text(amount),
                "due_date": when_text(due_date),
            },
            user_id=user_id,
        )

    def send(self) -> ReminderRun:
        notified = notify_many(
            NotifyBatch(event=event, users=users, context=dict(context), key=key, chama_id=chama)
            for (event, key, chama, context), users in self._users.items()
        )
        return ReminderRun(batches=len(self._users), notified=notified)
