"""The daily fines job (``run_job fines_issue``) on the clock: the constitution's late-
contribution fine once per due and period however often it runs, per day and per week, within
its cap and after its grace days; the missed-meeting and lateness fines once per meeting, none
for the excused; a constant number of queries however many chamas."""

from dataclasses import replace
from datetime import date, datetime, time, timedelta
from decimal import Decimal as D
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command

from finance import chart
from finance.choices import EntryType, FineKind
from finance.models import Due, Fine, JournalEntry
from governance.choices import FineInterval
from governance.choices import FineKind as ChargeKind
from governance.constitution_rules import FineRules, LateContributionFine
from governance.selectors.constitution import constitution_rules_get
from governance.services.constitution import constitution_adopt
from governance.services.fines import MEETING_FINE_DAYS, fines_issue
from governance.services.meetings import attendance_record, meeting_schedule
from tests.finance.books import balance, legs
from tests.finance.fines import FineBook, fine_book

pytestmark = pytest.mark.django_db

NAIROBI = ZoneInfo("Africa/Nairobi")
ONCE_100 = LateContributionFine(kind=ChargeKind.FIXED, amount=D("100.00"))


# Before the first cycle's dues (1 January 2026): a late-contribution rule fines only dues
# that fall late after its adoption.
BEFORE_THE_DUES = datetime(2025, 12, 31, 12, 0, tzinfo=NAIROBI)


def fines_adopt(
    book: FineBook, *, grace_days: int = 3, at: datetime = BEFORE_THE_DUES, **fines: object
) -> None:
    """The chair adopts the chama's constitution with these fines and grace days, ``at``."""
    rules = constitution_rules_get(chama=book.chama)
    rules = replace(
        rules,
        contribution=replace(rules.contribution, grace_days=grace_days),
        fines=FineRules(**fines),  # type: ignore[arg-type]
    )
    with time_machine.travel(at, tick=False):
        constitution_adopt(chama=book.chama, acting=book.chair, rules=rules)


def first_due_date(book: FineBook) -> date:
    return Due.objects.filter(chama=book.chama).order_by("due_date").first().due_date


def morning(day: date) -> datetime:
    """The job's hour, 00:30 in Nairobi."""
    return datetime.combine(day, time(0, 30), tzinfo=NAIROBI)


def run_job() -> str:
    out = StringIO()
    call_command("run_job", "fines_issue", stdout=out)
    return out.getvalue().strip()


def mine(book: FineBook) -> list[tuple[str, D]]:
    fines = Fine.objects.filter(membership=book.member).order_by("period")
    return [(f.period.split(":")[-1], f.amount) for f in fines]


@pytest.fixture
def book():
    return fine_book()


def test_a_late_payer_is_fined_once_however_often_the_job_runs(book):
    fines_adopt(book, late_contribution=ONCE_100)

    with time_machine.travel(morning(first_due_date(book) + timedelta(days=10)), tick=False):
        outputs = [run_job() for _ in range(3)]

    # The four seated members owe the first round's due (the auditor joined later)
    assert outputs == [
        "fines_issue: 4 fine(s) issued",
        "fines_issue: 0 fine(s) issued",
        "fines_issue: 0 fine(s) issued",
    ]
    assert mine(book) == [("late", D("100.00"))]
    fine = Fine.objects.get(membership=book.member)
    assert (fine.kind, fine.issued_by, fine.reason) == (
        FineKind.LATE_CONTRIBUTION,
        None,
        f"Contribution due {first_due_date(book).isoformat()} unpaid",
    )
    assert legs(fine.issued_entry) == [
        (chart.FINES_RECEIVABLE, "D", D("100.00")),
        (chart.FINES_INCOME, "C", D("100.00")),
    ]
    assert JournalEntry.objects.filter(entry_type=EntryType.FINE).count() == 4
    assert balance(book.chama, chart.FINES_RECEIVABLE, member=book.member) == D("100.00")


def test_dues_already_late_when_the_rule_is_adopted_are_not_fined(book):
    # Given dues of 1 January late from the 5th (three grace days), and a rule adopted on
    # the 10th
    due_date = first_due_date(book)
    fines_adopt(book, late_contribution=ONCE_100, at=morning(due_date + timedelta(days=9)))

    with time_machine.travel(morning(due_date + timedelta(days=20)), tick=False):
        output = run_job()

    assert output == "fines_issue: 0 fine(s) issued"
    assert not Fine.objects.filter(membership__chama=book.chama).exists()


def test_a_due_falling_late_on_the_day_of_adoption_is_fined(book):
    # The first late day is the adoption's day: the members agreed before it was late
    due_date = first_due_date(book)
    fines_adopt(book, late_contribution=ONCE_100, at=morning(due_date + timedelta(days=4)))

    with time_machine.travel(morning(due_date + timedelta(days=6)), tick=False):
        output = run_job()

    assert output == "fines_issue: 4 fine(s) issued"


def test_an_amended_rule_keeps_its_first_adoption_a_dropped_one_starts_afresh(book):
    due_date = first_due_date(book)
    # Version 1 (before the dues) fines 100; version 2, after they fell late, fines 150:
    # the rule has been in force since version 1, so the late dues are fined at 150
    fines_adopt(book, late_contribution=ONCE_100)
    fines_adopt(
        book,
        late_contribution=replace(ONCE_100, amount=D("150.00")),
        at=morning(due_date + timedelta(days=8)),
    )
    with time_machine.travel(morning(due_date + timedelta(days=10)), tick=False):
        assert run_job() == "fines_issue: 4 fine(s) issued"
    assert mine(book) == [("late", D("150.00"))]

    # Version 3 drops the rule and version 4 brings it back: dues late before version 4 are
    # not fined under it (the first round's were fined already; nothing new)
    fines_adopt(book, at=morning(due_date + timedelta(days=11)))
    fines_adopt(
        book,
        late_contribution=replace(ONCE_100, interval=FineInterval.PER_DAY),
        at=morning(due_date + timedelta(days=12)),
    )
    with time_machine.travel(morning(due_date + timedelta(days=14)), tick=False):
        assert run_job() == "fines_issue: 0 fine(s) issued"
    assert mine(book) == [("late", D("150.00"))]


def test_nobody_is_fined_within_the_grace_days(book):
    fines_adopt(book, grace_days=5, late_contribution=ONCE_100)
    due_date = first_due_date(book)

    with time_machine.travel(morning(due_date + timedelta(days=5)), tick=False):
        within = run_job()
    with time_machine.travel(morning(due_date + timedelta(days=6)), tick=False):
        after = run_job()

    assert (within, after) == ("fines_issue: 0 fine(s) issued", "fines_issue: 4 fine(s) issued")


def test_a_per_day_fine_is_one_fine_a_day_up_to_its_cap(book):
    rule = replace(ONCE_100, interval=FineInterval.PER_DAY, cap=D("250.00"))
    fines_adopt(book, grace_days=3, late_contribution=rule)
    due_date = first_due_date(book)

    # Two days past the grace days, then twice more the day after, then a week later
    with time_machine.travel(morning(due_date + timedelta(days=5)), tick=False):
        run_job()
        two_days = mine(book)
    with time_machine.travel(morning(due_date + timedelta(days=6)), tick=False):
        run_job()
        run_job()
        three_days = mine(book)
    with time_machine.travel(morning(due_date + timedelta(days=13)), tick=False):
        run_job()

    assert two_days == [("d1", D("100.00")), ("d2", D("100.00"))]
    assert three_days == [("d1", D("100.00")), ("d2", D("100.00")), ("d3", D("50.00"))]
    assert mine(book) == three_days  # the cap of 250 is reached: nothing more, ever
    assert balance(book.chama, chart.FINES_RECEIVABLE, member=book.member) == D("250.00")


def test_a_per_week_percent_fine_charges_each_week_begun(book):
    # 5% of the 1,000 unpaid for every week begun after 3 days' grace, no cap
    rule = LateContributionFine(
        kind=ChargeKind.PERCENT, amount=D("5"), interval=FineInterval.PER_WEEK
    )
    fines_adopt(book, grace_days=3, late_contribution=rule)
    due_date = first_due_date(book)

    with time_machine.travel(morning(due_date + timedelta(days=3 + 7)), tick=False):
        run_job()
        one_week = mine(book)
    with time_machine.travel(morning(due_date + timedelta(days=3 + 8)), tick=False):
        run_job()

    assert one_week == [("w1", D("50.00"))]
    assert mine(book) == [("w1", D("50.00")), ("w2", D("50.00"))]


def test_a_chama_whose_constitution_has_no_fines_fines_nobody(book):
    with time_machine.travel(morning(first_due_date(book) + timedelta(days=40)), tick=False):
        assert run_job() == "fines_issue: 0 fine(s) issued"

    assert not Fine.objects.exists()


def held_meeting(book: FineBook, starts_at: datetime, **statuses: str):
    """A meeting at ``starts_at`` whose attendance the secretary took (by role name)."""
    meeting = meeting_schedule(
        chama=book.chama,
        acting=book.secretary,
        starts_at=starts_at,
        ends_at=starts_at + timedelta(hours=2),
        place="Mama Njeri's house",
    )
    with time_machine.travel(starts_at + timedelta(hours=1), tick=False):
        attendance_record(
            meeting=meeting,
            acting=book.secretary,
            attendance=[
                {"member_id": getattr(book, role).pk, "status": status}
                for role, status in statuses.items()
            ],
        )
    return meeting


SATURDAY = datetime(2026, 3, 7, 14, 0, tzinfo=NAIROBI)


def test_a_missed_meeting_is_fined_once_and_lateness_too_the_excused_are_not(book):
    fines_adopt(book, missed_meeting=D("200.00"), lateness=D("50.00"))
    meeting = held_meeting(
        book,
        SATURDAY,
        chair="present",
        treasurer="excused",
        secretary="late",
        member="absent",
        auditor="present",
    )

    with time_machine.travel(morning(date(2026, 3, 8)), tick=False):
        outputs = [run_job() for _ in range(3)]

    # The dues of January are not fined: this constitution has no late-contribution rule
    assert outputs[1:] == ["fines_issue: 0 fine(s) issued"] * 2
    fines = Fine.objects.order_by("amount")
    assert [(f.membership, f.kind, f.period, f.amount, f.reason) for f in fines] == [
        (
            book.secretary,
            FineKind.LATENESS,
            meeting.pk.hex,
            D("50.00"),
            "Late to the meeting of 2026-03-07",
        ),
        (
            book.member,
            FineKind.MISSED_MEETING,
            meeting.pk.hex,
            D("200.00"),
            "Missed the meeting of 2026-03-07",
        ),
    ]
    assert balance(book.chama, chart.FINES_RECEIVABLE, member=book.treasurer) == D("0.00")


def test_a_meeting_older_than_the_lookback_is_not_fined(book):
    fines_adopt(book, missed_meeting=D("200.00"))
    held_meeting(book, SATURDAY, member="absent")

    later = SATURDAY.date() + timedelta(days=MEETING_FINE_DAYS + 1)
    assert fines_issue(on=later) == []
    assert len(fines_issue(on=SATURDAY.date())) == 1


def chama_with_fines() -> FineBook:
    """A chama fining late contributions and missed meetings: its first round's dues unpaid,
    and a meeting its member missed five days after they fell due."""
    book = fine_book()
    fines_adopt(book, late_contribution=ONCE_100, missed_meeting=D("200.00"))
    day = first_due_date(book) + timedelta(days=5)
    held_meeting(book, datetime.combine(day, time(14, 0), tzinfo=NAIROBI), member="absent")
    return book


@pytest.mark.parametrize("chamas", [1, 5])
def test_the_job_reads_a_constant_number_of_queries_however_many_chamas(
    chamas, django_assert_num_queries
):
    books = [chama_with_fines() for _ in range(chamas)]
    ContentType.objects.get_for_model(Fine)  # cached per process: whichever test ran before
    on = first_due_date(books[0]) + timedelta(days=6)

    # The dues, the attendance, the versions in force (no chama without one: no read of
    # loan policies), when each adopted its late-contribution rule, then fines_issue_bulk's
    # 12: the savepoint and its release, the fines inserted and read back, the ledger accounts
    # (read, members, insert, read), the entries, postings, audit rows and balances
    with django_assert_num_queries(16):
        issued = fines_issue(on=on)

    # The four seated members late in each chama, and its absent member
    assert len(issued) == 5 * chamas


def test_the_job_is_scheduled_daily_early_in_the_morning(settings):
    entry = settings.CELERY_BEAT_SCHEDULE["fines-issue"]

    assert entry["task"] == "governance.tasks.fines_issue_task"
    assert (entry["schedule"].hour, entry["schedule"].minute) == ({0}, {30})
