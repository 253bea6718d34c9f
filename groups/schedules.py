"""When a chama meets: a rule, not a weekday (pure functions, no database).

Three kinds of rule, the forms chamas write in their constitutions:

- ``weekly``: every Friday;
- ``monthly_weekday``: the first, second, third, fourth or last Saturday of the month;
- ``monthly_day``: the 5th of the month. A day a month does not have (the 31st in April, the
  29th to 31st in February) falls on the month's last day, so a chama meeting "on the 31st"
  meets once every month, at its end.

``meeting_schedule_parse`` reads the free text a chama is created with ("Last Saturday",
"every Friday", "the 5th", "Jumamosi ya mwisho"); ``meeting_dates`` gives the dates a cycle's
rounds meet on.
"""

import calendar
import re
from dataclasses import dataclass
from datetime import date, timedelta

from dateutil.relativedelta import relativedelta

from core.exceptions import ValidationFailed
from groups.choices import CycleFrequency, MeetingRuleKind, Weekday
from groups.exceptions import GroupsError

LAST = -1
WEEKDAYS = list(Weekday)  # Monday first, as date.weekday() counts
ORDINAL_NAMES = {1: "First", 2: "Second", 3: "Third", 4: "Fourth", LAST: "Last"}
MONTHLY_KINDS = frozenset({MeetingRuleKind.MONTHLY_WEEKDAY, MeetingRuleKind.MONTHLY_DAY})
# The cycle frequencies a monthly rule fits: one meeting a month cannot serve a weekly cycle.
MONTHLY_FREQUENCIES = frozenset({CycleFrequency.MONTHLY, CycleFrequency.QUARTERLY})

# What the parser reads (English and Kiswahili), lower case.
WEEKDAY_WORDS = {
    **{day.value: day for day in Weekday},
    **{day.value[:3]: day for day in Weekday},
    "jumatatu": Weekday.MONDAY,
    "jumanne": Weekday.TUESDAY,
    "jumatano": Weekday.WEDNESDAY,
    "alhamisi": Weekday.THURSDAY,
    "ijumaa": Weekday.FRIDAY,
    "jumamosi": Weekday.SATURDAY,
    "jumapili": Weekday.SUNDAY,
}
ORDINAL_WORDS = {
    "first": 1,
    "1st": 1,
    "second": 2,
    "2nd": 2,
    "third": 3,
    "3rd": 3,
    "fourth": 4,
    "4th": 4,
    "last": LAST,
    "kwanza": 1,
    "pili": 2,
    "tatu": 3,
    "nne": 4,
    "mwisho": LAST,
}
FILLER_WORDS = frozenset(
    {"the", "of", "a", "on", "every", "each", "month", "monthly", "day", "weekly", "week"}
    | {"kila", "ya", "wa", "mwezi", "siku", "tarehe", "juma", "wiki"}
)
DAY_OF_MONTH_RE = re.compile(r"^([0-9]{1,2})(st|nd|rd|th)?$")


@dataclass(frozen=True)
class MeetingSchedule:
    """A meeting rule. ``weekday`` for the weekly and monthly-weekday kinds, ``ordinal``
    (1 to 4, or -1 for the last) for the monthly-weekday kind, ``day_of_month`` (1 to 31)
    for the monthly-day kind; the other fields are None."""

    kind: MeetingRuleKind
    weekday: Weekday | None = None
    ordinal: int | None = None
    day_of_month: int | None = None

    def __post_init__(self) -> None:
        shape = (self.weekday is not None, self.ordinal is not None, self.day_of_month is not None)
        expected = {
            MeetingRuleKind.WEEKLY: (True, False, False),
            MeetingRuleKind.MONTHLY_WEEKDAY: (True, True, False),
            MeetingRuleKind.MONTHLY_DAY: (False, False, True),
        }[self.kind]
        valid = shape == expected
        if self.ordinal is not None and self.ordinal not in ORDINAL_NAMES:
            valid = False
        if self.day_of_month is not None and not 1 <= self.day_of_month <= 31:
            valid = False
        if not valid:
            raise ValueError(f"Not a meeting rule: {self!r}")

    @property
    def text(self) -> str:
        """The rule in words: "Every Saturday", "Last Saturday", "The 5th"."""
        if self.kind == MeetingRuleKind.MONTHLY_DAY:
            return f"The {_ordinal_suffix(self.day_of_month or 0)}"
        day = Weekday(self.weekday or "").label
        if self.kind == MeetingRuleKind.WEEKLY:
            return f"Every {day}"
        return f"{ORDINAL_NAMES[self.ordinal or LAST]} {day}"

    @property
    def weekday_index(self) -> int:
        """Monday 0 to Sunday 6, as date.weekday() counts."""
        return WEEKDAYS.index(Weekday(self.weekday or ""))

    @property
    def is_monthly(self) -> bool:
        return self.kind in MONTHLY_KINDS

    def in_month(self, year: int, month: int) -> date:
        """The month's meeting day (a monthly rule)."""
        last_day = calendar.monthrange(year, month)[1]
        if self.kind == MeetingRuleKind.MONTHLY_DAY:
            return date(year, month, min(self.day_of_month or 1, last_day))
        weekday = self.weekday_index
        if self.ordinal == LAST:
            end = date(year, month, last_day)
            return end - timedelta(days=(end.weekday() - weekday) % 7)
        first = date(year, month, 1)
        return first + timedelta(
            days=(weekday - first.weekday()) % 7 + 7 * ((self.ordinal or 1) - 1)
        )

    def on_or_after(self, day: date) -> date:
        """The first meeting on ``day`` or after it."""
        if self.kind == MeetingRuleKind.WEEKLY:
            weekday = self.weekday_index
            return day + timedelta(days=(weekday - day.weekday()) % 7)
        this_month = self.in_month(day.year, day.month)
        if this_month >= day:
            return this_month
        following = day + relativedelta(months=1)
        return self.in_month(following.year, following.month)

    def nth(self, start: date, n: int) -> date:
        """The ``n``-th meeting (1 = the first) on ``start`` or after it."""
        if n < 1:
            raise ValueError("n counts from 1")
        day = self.on_or_after(start)
        for _ in range(n - 1):
            day = self.on_or_after(day + timedelta(days=1))
        return day


def _ordinal_suffix(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def _refuse(text: str, field: str) -> ValidationFailed:
    return ValidationFailed(GroupsError.UNKNOWN_MEETING_RULE, field=field, text=text)


def meeting_schedule_parse(text: str, *, field: str = "meeting_day") -> MeetingSchedule | None:
    """The rule a chama's free text names; None for an empty text (no schedule).
    Anything else is refused with ``unknown_meeting_rule``, which lists the accepted forms."""
    words = [w for w in re.findall(r"[0-9a-z]+", text.lower()) if w not in FILLER_WORDS]
    if not words:
        if text.strip():
            raise _refuse(text, field)
        return None
    weekdays = [
        WEEKDAY_WORDS[w.removesuffix("s")] for w in words if w.removesuffix("s") in WEEKDAY_WORDS
    ]
    ordinals = [ORDINAL_WORDS[w] for w in words if w in ORDINAL_WORDS]
    if len(weekdays) == 1 and len(words) == 1:
        return MeetingSchedule(MeetingRuleKind.WEEKLY, weekday=weekdays[0])
    if len(weekdays) == 1 and len(ordinals) == 1 and len(words) == 2:
        return MeetingSchedule(
            MeetingRuleKind.MONTHLY_WEEKDAY, weekday=weekdays[0], ordinal=ordinals[0]
        )
    joined = "".join(words)
    match = DAY_OF_MONTH_RE.match(joined) if len(words) <= 2 else None
    if match and 1 <= int(match.group(1)) <= 31:
        return MeetingSchedule(MeetingRuleKind.MONTHLY_DAY, day_of_month=int(match.group(1)))
    raise _refuse(text, field)


def frequency_check(
    schedule: MeetingSchedule | None, frequency: str, *, field: str = "meeting_day"
) -> None:
    """A monthly rule ("last Saturday") serves only a monthly or quarterly cycle."""
    if schedule is not None and schedule.is_monthly and frequency not in MONTHLY_FREQUENCIES:
        raise ValidationFailed(
            GroupsError.MEETING_RULE_FREQUENCY,
            field=field,
            rule=schedule.text,
            frequency=frequency,
        )


PERIODS = {
    CycleFrequency.WEEKLY: relativedelta(weeks=1),
    CycleFrequency.BIWEEKLY: relativedelta(weeks=2),
    CycleFrequency.MONTHLY: relativedelta(months=1),
    CycleFrequency.QUARTERLY: relativedelta(months=3),
}
# How many of a rule's meetings one period of the cycle spans, where it is a whole number.
STRIDES = {
    (False, CycleFrequency.WEEKLY): 1,
    (False, CycleFrequency.BIWEEKLY): 2,
    (True, CycleFrequency.MONTHLY): 1,
    (True, CycleFrequency.QUARTERLY): 3,
}


def meeting_dates(
    *, start_date: date, frequency: str, count: int, schedule: MeetingSchedule | None = None
) -> list[date]:
    """The meeting dates of ``count`` rounds from ``start_date``.

    Without a rule, every date is counted from the start, so a 31st clamps to a short month's
    end without drifting the later meetings (31 Jan → 28 Feb → 31 Mar). With a rule, the
    rounds meet on the rule's days on or after the start: every meeting (a weekly rule in a
    weekly cycle, a monthly rule in a monthly one), every second or third (biweekly,
    quarterly), or, for a weekly rule in a monthly or quarterly cycle, the first of its days
    on or after each period's start ("every Friday" in a monthly cycle: the first Friday on
    or after each month's start date).
    """
    period = PERIODS[CycleFrequency(frequency)]
    if schedule is None:
        return [start_date + period * i for i in range(count)]
    stride = STRIDES.get((schedule.is_monthly, CycleFrequency(frequency)))
    if stride is None:
        return [schedule.on_or_after(start_date + period * i) for i in range(count)]
    dates = [schedule.on_or_after(start_date)]
    while len(dates) < count:
        dates.append(schedule.nth(dates[-1] + timedelta(days=1), stride))
    return dates
