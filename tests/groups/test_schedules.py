"""Meeting rules: parsing the words chamas use, and the dates they give, as literal dates."""

import itertools
from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from core.exceptions import ValidationFailed
from groups.choices import CycleFrequency, MeetingRuleKind, Weekday
from groups.exceptions import GroupsError
from groups.schedules import LAST, MeetingSchedule, meeting_dates, meeting_schedule_parse

LAST_SATURDAY = MeetingSchedule(
    MeetingRuleKind.MONTHLY_WEEKDAY, weekday=Weekday.SATURDAY, ordinal=LAST
)
SECOND_SUNDAY = MeetingSchedule(MeetingRuleKind.MONTHLY_WEEKDAY, weekday=Weekday.SUNDAY, ordinal=2)
EVERY_FRIDAY = MeetingSchedule(MeetingRuleKind.WEEKLY, weekday=Weekday.FRIDAY)
THE_5TH = MeetingSchedule(MeetingRuleKind.MONTHLY_DAY, day_of_month=5)
THE_31ST = MeetingSchedule(MeetingRuleKind.MONTHLY_DAY, day_of_month=31)


@pytest.mark.parametrize(
    ("text", "schedule"),
    [
        ("Last Saturday", LAST_SATURDAY),
        ("the last Saturday of the month", LAST_SATURDAY),
        ("Jumamosi ya mwisho", LAST_SATURDAY),
        ("second Sunday", SECOND_SUNDAY),
        ("2nd sunday of every month", SECOND_SUNDAY),
        ("Jumapili ya pili", SECOND_SUNDAY),
        ("every Friday", EVERY_FRIDAY),
        ("Friday", EVERY_FRIDAY),
        ("friday", EVERY_FRIDAY),
        ("Fridays", EVERY_FRIDAY),
        ("kila Ijumaa", EVERY_FRIDAY),
        ("the 5th", THE_5TH),
        ("5", THE_5TH),
        ("tarehe 5", THE_5TH),
        ("the 31st", THE_31ST),
        ("", None),
    ],
)
def test_the_words_chamas_use_parse_to_a_rule(text, schedule):
    assert meeting_schedule_parse(text) == schedule


@pytest.mark.parametrize(
    "text", ["someday", "fifth Saturday", "the 32nd", "0", "Saturday and Sunday", "last", "  ?! "]
)
def test_unknown_words_are_refused_with_the_accepted_forms(text):
    with pytest.raises(ValidationFailed) as refused:
        meeting_schedule_parse(text)

    assert refused.value.code == GroupsError.UNKNOWN_MEETING_RULE
    assert refused.value.field == "meeting_day"
    assert refused.value.message == GroupsError.UNKNOWN_MEETING_RULE.render(text=text)
    assert '"last Saturday"' in refused.value.message
    assert '"the 5th"' in refused.value.message


@pytest.mark.parametrize(
    ("schedule", "text"),
    [
        (LAST_SATURDAY, "Last Saturday"),
        (SECOND_SUNDAY, "Second Sunday"),
        (EVERY_FRIDAY, "Every Friday"),
        (THE_5TH, "The 5th"),
        (THE_31ST, "The 31st"),
        (MeetingSchedule(MeetingRuleKind.MONTHLY_DAY, day_of_month=22), "The 22nd"),
        (MeetingSchedule(MeetingRuleKind.MONTHLY_DAY, day_of_month=13), "The 13th"),
    ],
)
def test_a_rule_reads_back_in_words_that_parse_to_it(schedule, text):
    assert schedule.text == text
    assert meeting_schedule_parse(text) == schedule


def test_the_last_saturday_of_every_month_of_2027():
    # Five Saturdays: January, May, July, October (the fifth is the last).
    assert [LAST_SATURDAY.in_month(2027, m) for m in range(1, 13)] == [
        date(2027, 1, 30),
        date(2027, 2, 27),
        date(2027, 3, 27),
        date(2027, 4, 24),
        date(2027, 5, 29),
        date(2027, 6, 26),
        date(2027, 7, 31),
        date(2027, 8, 28),
        date(2027, 9, 25),
        date(2027, 10, 30),
        date(2027, 11, 27),
        date(2027, 12, 25),
    ]
    assert meeting_dates(
        start_date=date(2027, 1, 1),
        frequency=CycleFrequency.MONTHLY,
        count=12,
        schedule=LAST_SATURDAY,
    ) == [LAST_SATURDAY.in_month(2027, m) for m in range(1, 13)]


def test_the_second_sunday_from_a_start_after_this_months():
    assert meeting_dates(
        start_date=date(2027, 1, 11),
        frequency=CycleFrequency.MONTHLY,
        count=4,
        schedule=SECOND_SUNDAY,
    ) == [date(2027, 2, 14), date(2027, 3, 14), date(2027, 4, 11), date(2027, 5, 9)]


def test_every_friday_weekly_and_biweekly():
    start = date(2027, 3, 3)  # a Wednesday
    assert meeting_dates(
        start_date=start, frequency=CycleFrequency.WEEKLY, count=4, schedule=EVERY_FRIDAY
    ) == [date(2027, 3, 5), date(2027, 3, 12), date(2027, 3, 19), date(2027, 3, 26)]
    assert meeting_dates(
        start_date=start, frequency=CycleFrequency.BIWEEKLY, count=3, schedule=EVERY_FRIDAY
    ) == [date(2027, 3, 5), date(2027, 3, 19), date(2027, 4, 2)]


def test_every_friday_in_a_monthly_cycle_is_the_first_friday_from_each_start():
    assert meeting_dates(
        start_date=date(2027, 1, 1),
        frequency=CycleFrequency.MONTHLY,
        count=3,
        schedule=EVERY_FRIDAY,
    ) == [date(2027, 1, 1), date(2027, 2, 5), date(2027, 3, 5)]


def test_the_5th_and_the_31st_in_short_months():
    assert meeting_dates(
        start_date=date(2027, 1, 6), frequency=CycleFrequency.MONTHLY, count=3, schedule=THE_5TH
    ) == [date(2027, 2, 5), date(2027, 3, 5), date(2027, 4, 5)]
    # The 31st falls on a short month's last day, and back on the 31st after it.
    assert meeting_dates(
        start_date=date(2027, 1, 1), frequency=CycleFrequency.MONTHLY, count=5, schedule=THE_31ST
    ) == [
        date(2027, 1, 31),
        date(2027, 2, 28),
        date(2027, 3, 31),
        date(2027, 4, 30),
        date(2027, 5, 31),
    ]
    assert THE_31ST.in_month(2028, 2) == date(2028, 2, 29)  # a leap year


def test_a_quarterly_cycle_meets_every_third_month():
    assert meeting_dates(
        start_date=date(2027, 1, 1),
        frequency=CycleFrequency.QUARTERLY,
        count=3,
        schedule=LAST_SATURDAY,
    ) == [date(2027, 1, 30), date(2027, 4, 24), date(2027, 7, 31)]


def test_without_a_rule_dates_count_from_the_start():
    assert meeting_dates(
        start_date=date(2027, 1, 31), frequency=CycleFrequency.MONTHLY, count=3
    ) == [
        date(2027, 1, 31),
        date(2027, 2, 28),
        date(2027, 3, 31),
    ]


SCHEDULES = st.one_of(
    st.builds(
        MeetingSchedule, st.just(MeetingRuleKind.WEEKLY), weekday=st.sampled_from(list(Weekday))
    ),
    st.builds(
        MeetingSchedule,
        st.just(MeetingRuleKind.MONTHLY_WEEKDAY),
        weekday=st.sampled_from(list(Weekday)),
        ordinal=st.sampled_from([1, 2, 3, 4, LAST]),
    ),
    st.builds(
        MeetingSchedule, st.just(MeetingRuleKind.MONTHLY_DAY), day_of_month=st.integers(1, 31)
    ),
)
DAYS = st.dates(min_value=date(2000, 1, 1), max_value=date(2090, 12, 31))


@given(SCHEDULES, DAYS)
def test_the_next_meeting_is_on_or_after_the_day_and_none_is_skipped(schedule, day):
    meeting = schedule.on_or_after(day)

    assert meeting >= day
    assert schedule.on_or_after(meeting) == meeting  # a meeting day is its own next meeting
    # no meeting day lies between the day and the meeting found
    between = [day + timedelta(days=i) for i in range((meeting - day).days)]
    assert all(schedule.on_or_after(d) == meeting for d in between)
    if schedule.weekday is not None:
        assert meeting.weekday() == schedule.weekday_index
    assert meeting - day < timedelta(days=62)


@given(SCHEDULES, DAYS, st.integers(1, 12))
def test_the_nth_meeting_is_n_meetings_in(schedule, day, n):
    nth = schedule.nth(day, n)
    following = schedule.nth(day, n + 1)

    assert following > nth
    assert schedule.on_or_after(nth + timedelta(days=1)) == following


@given(SCHEDULES, DAYS, st.sampled_from(list(CycleFrequency)), st.integers(1, 15))
def test_round_dates_strictly_increase(schedule, day, frequency, count):
    if schedule.is_monthly and frequency in (CycleFrequency.WEEKLY, CycleFrequency.BIWEEKLY):
        return  # refused on the settings (meeting_rule_frequency)
    dates = meeting_dates(start_date=day, frequency=frequency, count=count, schedule=schedule)

    assert len(dates) == count
    assert dates[0] >= day
    assert all(a < b for a, b in itertools.pairwise(dates))
    assert all(schedule.on_or_after(d) == d for d in dates)
