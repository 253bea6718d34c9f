"""Reminder benchmark: ``contribution_reminders`` over 10,000 and then 100,000 dues on
PostgreSQL in one run, in seconds, with its query count and the growth between the two.

Chamas of 50 members are inserted in bulk (users, chamas, memberships, one cycle and round
each, a due per member), 200 chamas for 10,000 dues, 2,000 for 100,000; each set's dues fall
due two days after the day its run is timed (the constitution's default), the second set
three weeks after the first, so the first set's dues are past the overdue week by then and the
second run reads only its own. Each run is timed inside a transaction rolled back afterwards,
so the deliveries' task (after commit) never sends 300,000 messages; the rerun the same day
sends nothing. Scratch database ``hazina_bench_reminders`` unless ``--scratch-db``.
"""

import time
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.contrib.auth.hashers import make_password
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.models import User
from bench.common import (
    database_version,
    report_write,
    scratch_database_create,
    scratch_database_drop,
)
from finance.models import Cycle, Due, Round
from groups.choices import CycleFrequency, Plan
from groups.models import Chama, Membership

SCRATCH_DB = "hazina_bench_reminders"
RESULTS = Path(__file__).resolve().parent / "results" / "reminders.json"
MEMBERS = 50
SIZES = (10_000, 100_000)
LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
AMOUNT = Decimal("1000.00")


class Rollback(Exception):
    pass


def _code(prefix: str, n: int) -> str:
    return f"{prefix}{LETTERS[n // 26000 % 26]}{LETTERS[n // 1000 % 26]}{n % 1000:03d}"


def dues_generate(dues: int, *, due_date: date, prefix: str) -> None:
    """``dues`` dues in chamas of ``MEMBERS``, falling due on ``due_date`` (bulk inserts)."""
    count = dues // MEMBERS
    base = 700_000_000 + (0 if prefix == "A" else 10_000_000)
    chamas = Chama.objects.bulk_create(
        Chama(
            name=f"Bench chama {prefix}{n}",
            code=_code(prefix, n),
            plan=Plan.PREMIUM,
            contribution_amount=AMOUNT,
            rotation_amount=AMOUNT,
        )
        for n in range(count)
    )
    unusable = make_password(None)
    users = User.objects.bulk_create(
        User(phone=f"254{base + n:09d}", full_name=f"Member {n}", password=unusable)
        for n in range(count * MEMBERS)
    )
    memberships = Membership.objects.bulk_create(
        Membership(
            chama=chamas[n // MEMBERS],
            user=user,
            seat=n % MEMBERS + 1,
            member_code=f"M{n % MEMBERS + 1:03d}",
            receive_phone=user.phone,
            joined_on=due_date - timedelta(days=60),
        )
        for n, user in enumerate(users)
    )
    cycles = Cycle.objects.bulk_create(
        Cycle(chama=c, number=1, start_date=due_date, frequency=CycleFrequency.MONTHLY)
        for c in chamas
    )
    rounds = Round.objects.bulk_create(
        Round(
            cycle=cycle,
            chama=cycle.chama,
            number=1,
            meeting_date=due_date,
            recipient=memberships[n * MEMBERS],
        )
        for n, cycle in enumerate(cycles)
    )
    Due.objects.bulk_create(
        (
            Due(
                round=rounds[n // MEMBERS],
                chama=m.chama,
                membership=m,
                due_date=due_date,
                expected_amount=AMOUNT,
                rotation_amount=AMOUNT,
                savings_amount=Decimal("0.00"),
                welfare_amount=Decimal("0.00"),
            )
            for n, m in enumerate(memberships)
        ),
        batch_size=10_000,
    )


def _timed(today: date) -> dict[str, Any]:
    from governance.services.reminders import contribution_reminders

    try:
        with transaction.atomic():
            with CaptureQueriesContext(connection) as captured:
                started = time.perf_counter()
                run = contribution_reminders(today=today)
                seconds = time.perf_counter() - started
            started = time.perf_counter()
            again = contribution_reminders(today=today)
            rerun_s = time.perf_counter() - started
            raise Rollback
    except Rollback:
        pass
    return {
        "s": round(seconds, 3),
        "queries": len(captured.captured_queries),
        "batches": run.batches,
        "notified": run.notified,
        "rerun_s": round(rerun_s, 3),
        "rerun_notified": again.notified,
    }


def run(*, keep_db: bool = False, scratch_db: str = SCRATCH_DB) -> int:
    previous = scratch_database_create(scratch_db)
    try:
        first_day = timezone.localdate()
        results: dict[str, Any] = {"database": database_version()}
        for n, (size, prefix) in enumerate(zip(SIZES, "AB", strict=True)):
            today = first_day + timedelta(days=21 * n)
            started = time.perf_counter()
            dues_generate(size, due_date=today + timedelta(days=2), prefix=prefix)
            generated = time.perf_counter() - started
            with connection.cursor() as cursor:
                cursor.execute("VACUUM ANALYZE")
            results[str(size)] = {"generation_s": round(generated, 2), **_timed(today)}
        small, large = (results[str(size)] for size in SIZES)
        results["time_growth"] = round(large["s"] / small["s"], 2)
        results["query_growth"] = round(large["queries"] / small["queries"], 2)
        report_write(RESULTS, **results)
        print(f"contribution reminders ({results['database']}), chamas of {MEMBERS}")
        for size in SIZES:
            r = results[str(size)]
            print(
                f"  {size:>7,} dues  {r['s']:7.3f} s  {r['queries']:6} queries  "
                f"{r['batches']:5} batches  {r['notified']:7,} sent  "
                f"rerun {r['rerun_s']:.3f} s, {r['rerun_notified']} sent"
            )
        print(
            f"  growth for 10x the dues: time x{results['time_growth']}, "
            f"queries x{results['query_growth']}"
        )
    finally:
        if keep_db:
            print(f"kept the scratch database {scratch_db}")
        else:
            scratch_database_drop(previous)
    return 0
