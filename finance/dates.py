"""The dates a client may give a money event: within the chama's life, never in the future.

The API checks what a client sends (a contribution's or a repayment's ``paid_at``, a cycle's
``start_date``); the times M-Pesa reports are the provider's record of money that arrived,
and are booked as they come.

A chama joining Hazina may record its paper history, so dates reach back a year before the
chama was created here (``BACKDATING``); a few minutes ahead of the server's clock is allowed
for a phone whose clock runs fast. Anything else (year 1, year 2300) would shift every
statement's opening balance, so it is refused with ``date_out_of_range``.
"""

from datetime import date, datetime, timedelta

from django.utils import timezone

from core.exceptions import ValidationFailed
from finance.exceptions import FinanceError
from groups.models import Chama

BACKDATING = timedelta(days=366)
CLOCK_SLACK = timedelta(minutes=5)
CYCLE_LEAD = timedelta(days=366)


def earliest_date(chama: Chama) -> date:
    return timezone.localdate(chama.created_at) - BACKDATING


def paid_at_check(*, chama: Chama, paid_at: datetime, field: str = "paid_at") -> None:
    """``paid_at`` lies between the chama's earliest date and a few minutes from now."""
    earliest = earliest_date(chama)
    if timezone.localdate(paid_at) < earliest or paid_at > timezone.now() + CLOCK_SLACK:
        raise ValidationFailed(
            FinanceError.DATE_OUT_OF_RANGE, name=field, earliest=earliest.isoformat(), field=field
        )


def cycle_start_check(*, chama: Chama, start_date: date) -> None:
    """A cycle starts between the chama's earliest date and a year from today."""
    earliest, latest = earliest_date(chama), timezone.localdate() + CYCLE_LEAD
    if not earliest <= start_date <= latest:
        raise ValidationFailed(
            FinanceError.CYCLE_START_OUT_OF_RANGE,
            earliest=earliest.isoformat(),
            latest=latest.isoformat(),
            field="start_date",
        )
