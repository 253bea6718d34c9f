"""Credit-score benchmark: ``credit_scores_compute`` over 10,000 then 100,000 generated
memberships in one scratch database, in seconds, with its query count and the growth factor:
time about 10x; the reads and the run's own queries the same, the writes one UPDATE per
10,000 members (``groups.services.CREDIT_SCORE_BATCH``).

The books are generated in bulk, not through the services (100,000 members through
``membership_add`` and the contribution service would take hours): chamas of 20 members
with their chart of accounts, users and memberships (joined over 500 days before the cycle),
one monthly cycle of six rounds from 1 January 2026 with a due per member per round, and
three held meetings per chama with everyone's attendance. Due ``i`` of member ``n`` is
unpaid when ``(n + i) % 7 == 0``, otherwise paid by an allocation of a balanced ledger entry
(``ledger_post_many``) dated its due date, or four days late when ``(n + i) % 5 == 0``;
attendance is present, late or absent by ``(n + m) % 3``. No loans: every member earns the
repayment component in full, and the installment read still runs (over none).

Runs in a scratch database (``hazina_bench_scores`` unless ``--scratch-db``) created and
dropped beside yours, as the other PostgreSQL benchmarks do.
"""

import time
from datetime import date, datetime, timedelta
from datetime import time as clock
from decimal import Decimal
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from django.contrib.auth.hashers import make_password
from django.db import connection
from django.test.utils import CaptureQueriesContext

from bench.common import (
    database_version,
    report_write,
    scratch_database_create,
    scratch_database_drop,
)
from core.db import durable_atomic
from groups.services import CREDIT_SCORE_BATCH

SCRATCH_DB = "hazina_bench_scores"
RESULTS = Path(__file__).resolve().parent / "results" / "credit_scores.json"
SIZES = (10_000, 100_000)
PER_CHAMA = 20
ROUNDS = 6
START = date(2026, 1, 1)
MEETING_DAYS = (date(2026, 1, 15), date(2026, 2, 15), date(2026, 3, 15))
NAIROBI = ZoneInfo("Africa/Nairobi")
LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
BATCH = 5_000
THOUSAND = Decimal("1000.00")


def _code(n: int) -> str:
    """Chama codes ``<A-Z><A-Z>S<000-999>``: 676,000 of them."""
    return f"{LETTERS[n // 26000 % 26]}{LETTERS[n // 1000 % 26]}S{n % 1000:03d}"


def _month(n: int) -> date:
    return START.replace(month=START.month + n)


def members_generate(first_chama: int, chamas: int) -> int:
    """``chamas`` chamas of ``PER_CHAMA`` members from chama number ``first_chama`` with their
    dues, payments and meetings (see the module docstring). Returns the members made."""
    from accounts.models import User
    from finance import chart
    from finance.chart import CHART
    from finance.choices import AccountScope, CycleStatus, DueStatus, EntryType
    from finance.models import Cycle, Due, DueAllocation, JournalEntry, LedgerAccount, Round
    from finance.services.ledger import credit, debit
    from finance.services.ledger_bulk import EntryDraft, ledger_post_many
    from governance.models import Attendance, AttendanceStatus, Meeting, MeetingStatus
    from groups.choices import CycleFrequency, Plan, Role
    from groups.models import Chama, Membership

    numbers = range(first_chama, first_chama + chamas)
    unusable = make_password(None)  # generated members never sign in
    made = Chama.objects.bulk_create(
        [
            Chama(
                name=f"Scored chama {n}",
                code=_code(n),
                plan=Plan.PREMIUM,
                contribution_amount=THOUSAND,
                savings_amount=THOUSAND,
                cycle_frequency=CycleFrequency.MONTHLY,
            )
            for n in numbers
        ]
    )
    LedgerAccount.objects.bulk_create(
        [
            LedgerAccount(
                chama=chama,
                code=spec.code,
                name=spec.name,
                type=spec.type,
                balance_rule=spec.balance_rule,
            )
            for chama in made
            for spec in CHART
            if spec.scope == AccountScope.CHAMA
        ],
        batch_size=BATCH,
    )
    users = User.objects.bulk_create(
        [
            User(
                phone=f"2547{n * PER_CHAMA + i:08d}", full_name=f"Member {n}-{i}", password=unusable
            )
            for n in numbers
            for i in range(PER_CHAMA)
        ],
        batch_size=BATCH,
    )
    members = Membership.objects.bulk_create(
        [
            Membership(
                chama=made[k // PER_CHAMA],
                user=user,
                role=Role.CHAIR if k % PER_CHAMA == 0 else Role.MEMBER,
                seat=k % PER_CHAMA + 1,
                member_code=f"M{k % PER_CHAMA + 1:03d}",
                receive_phone=user.phone,
                joined_on=START - timedelta(days=(k * 37) % 500),
            )
            for k, user in enumerate(users)
        ],
        batch_size=BATCH,
    )
    cycles = Cycle.objects.bulk_create(
        [
            Cycle(
                chama=c,
                number=1,
                start_date=START,
                frequency=CycleFrequency.MONTHLY,
                status=CycleStatus.ACTIVE,
            )
            for c in made
        ]
    )
    rounds = Round.objects.bulk_create(
        [
            Round(
                cycle=cycle,
                chama=cycle.chama,
                number=r + 1,
                meeting_date=_month(r),
                recipient=members[k * PER_CHAMA + r],
            )
            for k, cycle in enumerate(cycles)
            for r in range(ROUNDS)
        ],
        batch_size=BATCH,
    )
    accounts = {
        (a.chama_id, a.code): a
        for a in LedgerAccount.objects.filter(
            chama__in=made, code__in=[chart.MPESA_PAYBILL, chart.WELFARE_FUND]
        )
    }
    drafts = []
    for rnd in rounds:
        paybill = accounts[(rnd.chama_id, chart.MPESA_PAYBILL)]
        fund = accounts[(rnd.chama_id, chart.WELFARE_FUND)]
        for late in (0, 4):
            drafts.append(
                EntryDraft(
                    chama=rnd.chama,
                    entry_type=EntryType.CONTRIBUTION,
                    lines=[debit(paybill, THOUSAND), credit(fund, THOUSAND)],
                    memo=f"Round {rnd.number} contributions",
                    effective_date=rnd.meeting_date + timedelta(days=late),
                )
            )
    with durable_atomic():
        ledger_post_many(drafts=drafts)
    entries = {
        (e.chama_id, e.effective_date): e
        for e in JournalEntry.objects.filter(chama__in=made, entry_type=EntryType.CONTRIBUTION)
    }
    dues, allocations = [], []
    for k, member in enumerate(members):
        n = first_chama * PER_CHAMA + k
        for r in range(ROUNDS):
            rnd = rounds[(k // PER_CHAMA) * ROUNDS + r]
            paid = (n + r) % 7 != 0
            due = Due(
                round=rnd,
                chama_id=rnd.chama_id,
                membership=member,
                due_date=rnd.meeting_date,
                expected_amount=THOUSAND,
                rotation_amount=Decimal(0),
                savings_amount=THOUSAND,
                welfare_amount=Decimal(0),
                paid_savings=THOUSAND if paid else Decimal(0),
                status=DueStatus.PAID if paid else DueStatus.PENDING,
            )
            dues.append(due)
            if paid:
                day = rnd.meeting_date + timedelta(days=4 if (n + r) % 5 == 0 else 0)
                allocations.append(
                    DueAllocation(entry=entries[(rnd.chama_id, day)], due=due, savings=THOUSAND)
                )
    Due.objects.bulk_create(dues, batch_size=BATCH)
    DueAllocation.objects.bulk_create(allocations, batch_size=BATCH)
    meetings = Meeting.objects.bulk_create(
        [
            Meeting(
                chama=chama,
                starts_at=datetime.combine(day, clock(10), tzinfo=NAIROBI),
                ends_at=datetime.combine(day, clock(12), tzinfo=NAIROBI),
                place="Hall",
                status=MeetingStatus.HELD,
                scheduled_by=members[k * PER_CHAMA],
            )
            for k, chama in enumerate(made)
            for day in MEETING_DAYS
        ],
        batch_size=BATCH,
    )
    statuses = (AttendanceStatus.PRESENT, AttendanceStatus.LATE, AttendanceStatus.ABSENT)
    Attendance.objects.bulk_create(
        [
            Attendance(
                meeting=meetings[(k // PER_CHAMA) * len(MEETING_DAYS) + m],
                membership=member,
                status=statuses[(k + m) % 3],
                recorded_by=members[(k // PER_CHAMA) * PER_CHAMA],
            )
            for k, member in enumerate(members)
            for m in range(len(MEETING_DAYS))
        ],
        batch_size=BATCH,
    )
    return len(members)


def _score(as_of: date) -> tuple[float, int, int]:
    from governance.services.credit_scores import credit_scores_compute

    with CaptureQueriesContext(connection) as captured:
        started = time.perf_counter()
        run = credit_scores_compute(as_of=as_of)
        seconds = time.perf_counter() - started
    assert run is not None
    return seconds, len(captured.captured_queries), run.memberships


def run(
    *, sizes: tuple[int, ...] = SIZES, keep_db: bool = False, scratch_db: str = SCRATCH_DB
) -> int:
    previous = scratch_database_create(scratch_db)
    try:
        report: dict[str, Any] = {"database": database_version(), "measures": []}
        chamas = 0
        print(f"credit scores ({report['database']})")
        for step, size in enumerate(sizes):
            started = time.perf_counter()
            members_generate(chamas, size // PER_CHAMA - chamas)
            chamas = size // PER_CHAMA
            generated_s = time.perf_counter() - started
            with connection.cursor() as cursor:
                cursor.execute("VACUUM ANALYZE")
            seconds, queries, scored = _score(_month(ROUNDS + step))
            updates = -(-scored // CREDIT_SCORE_BATCH)
            report["measures"].append(
                {
                    "memberships": scored,
                    "generation_s": round(generated_s, 2),
                    "compute_s": round(seconds, 3),
                    "queries": queries,
                    "update_batches": updates,
                    "other_queries": queries - updates,
                }
            )
            print(
                f"  {scored:>8,} memberships  generated {generated_s:7.1f} s  "
                f"scored {seconds:7.2f} s  {queries} queries "
                f"({updates} UPDATE batches of {CREDIT_SCORE_BATCH:,} + {queries - updates})"
            )
        first, last = report["measures"][0], report["measures"][-1]
        report["time_growth"] = round(last["compute_s"] / first["compute_s"], 2)
        report["size_growth"] = round(last["memberships"] / first["memberships"], 2)
        print(f"  growth: {report['size_growth']}x memberships, {report['time_growth']}x time")
        report_write(RESULTS, **report)
    finally:
        if keep_db:
            print(f"kept the scratch database {scratch_db}")
        else:
            scratch_database_drop(previous)
    return 0
