"""Ledger benchmark: statements, the trial balance and recording a contribution as books grow.

One chama of 200 members in a monthly merry-go-round (1,000 a month: 800 rotation, 150
savings, 50 welfare) gets its history through the ledger service, ``ledger_post`` (the only
writer), called directly in batches of entries per transaction: every contribution posts
Dr 1010 (or 1020/1030 for the bank and cash payers) · Cr 2200-R, 2100-M, 3200, and every round
ends with its pot paid out, Dr 2200-R · Cr 1010. The books are grown to each size in turn
(10,000 then 100,000 postings by default) and, at each size, after VACUUM ANALYZE, warm runs
measure:

* a member's statement over the last 12 months (``member_statement_get`` → the API's JSON
  bytes), the same over the whole history, and as a PDF;
* the chama's cash statement over the last month (the treasurer's cash book; its opening
  balance is the cash accounts' cached balances less what moved since);
* the trial balance (``finance.selectors.trial_balance_get``);
* recording one contribution through ``contribution_record`` (a write: timed over fewer calls).

Each measure reports the median and p95 in milliseconds and its number of queries.
"""

import statistics
import time
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any
from uuid import UUID

from dateutil.relativedelta import relativedelta
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.renderers import JSONRenderer

from accounts.services import user_get_or_invite
from bench.common import (
    SCRATCH_DB,
    Timing,
    measure,
    p95,
    report_write,
    scratch_database_create,
    scratch_database_drop,
)
from core.db import durable_atomic
from finance import chart
from finance.api.serializers.statements import (
    MemberStatementOutputSerializer,
    StatementOutputSerializer,
)
from finance.choices import EntryType, PaymentMethod
from finance.models import JournalEntry, LedgerAccount, Posting, Round
from finance.selectors import trial_balance_get
from finance.services.contributions import contribution_record
from finance.services.cycles import cycle_create
from finance.services.ledger import credit, debit, ledger_account_get, ledger_post
from finance.statement_renderers_member import member_statement_pdf
from finance.statements import statement_get
from finance.statements_member import member_statement_get
from groups.choices import CycleFrequency, Plan
from groups.models import Chama, Membership
from groups.services import chama_create, membership_add

RESULTS = Path(__file__).resolve().parent / "results" / "ledger.json"
MEMBERS = 200
START = date(2016, 1, 1)
BATCH = 500  # entries per transaction while generating
CONTRIBUTION = Decimal("1000.00")
ROTATION, SAVINGS, WELFARE = Decimal("800.00"), Decimal("150.00"), Decimal("50.00")
STATEMENT_SEAT = 100  # whose statement is read (never used for the contribution writes)
WRITES = 20  # contribution_record calls timed per size


# --- the history ----------------------------------------------------------------------------


@dataclass
class Books:
    chama: Chama
    members: list[Membership]
    rounds: list[Round]
    cash: dict[str, LedgerAccount]
    welfare: LedgerAccount
    savings: dict[UUID, LedgerAccount]
    pots: dict[UUID, LedgerAccount] = field(default_factory=dict)
    contributions: int = 0  # posted so far: round = n // MEMBERS, seat = n % MEMBERS
    postings: int = 0
    entries: int = 0
    last_date: date = START
    receipts: int = 0

    def receipt(self, prefix: str) -> str:
        self.receipts += 1
        return f"{prefix}{self.receipts:08d}"


def books_open() -> Books:
    """The chama, its members and one 200-round cycle, through the services."""
    chair = user_get_or_invite(phone="254730000000", full_name="Bench Chair")
    chama = chama_create(
        creator=chair,
        name="Bench Rotation Group",
        code="BEN001",
        plan=Plan.PREMIUM,
        cycle_frequency=CycleFrequency.MONTHLY,
        contribution_amount=CONTRIBUTION,
        rotation_amount=ROTATION,
        savings_amount=SAVINGS,
        welfare_amount=WELFARE,
    )
    for seat in range(2, MEMBERS + 1):
        membership_add(
            chama=chama,
            actor=None,
            phone=f"2547{30000000 + seat:08d}",
            full_name=f"Bench Member {seat:03d}",
        )
    cycle = cycle_create(chama=chama, start_date=START)
    members = list(Membership.objects.filter(chama=chama).select_related("user").order_by("seat"))
    return Books(
        chama=chama,
        members=members,
        rounds=list(cycle.rounds.select_related("cycle", "recipient").order_by("number")),
        cash={
            code: ledger_account_get(chama=chama, code=code)
            for code in (chart.MPESA_PAYBILL, chart.BANK, chart.CASH)
        },
        welfare=ledger_account_get(chama=chama, code=chart.WELFARE_FUND),
        savings={
            member.pk: ledger_account_get(chama=chama, code=chart.MEMBER_SAVINGS, member=member)
            for member in members
        },
    )


def _pot(books: Books, rnd: Round) -> LedgerAccount:
    if rnd.pk not in books.pots:
        books.pots[rnd.pk] = ledger_account_get(
            chama=books.chama, code=chart.POT_PAYABLE, round=rnd
        )
    return books.pots[rnd.pk]


def _post_next(books: Books) -> None:
    """The next member's contribution to the current round; the pot paid out after the last."""
    seat = books.contributions % MEMBERS
    rnd = books.rounds[books.contributions // MEMBERS]
    member = books.members[seat]
    # Most pay by M-Pesa; one in ten by bank, one in ten in cash at the meeting.
    code = {8: chart.BANK, 9: chart.CASH}.get(seat % 10, chart.MPESA_PAYBILL)
    receipt = books.receipt("QB") if code == chart.MPESA_PAYBILL else None
    paid_on = rnd.meeting_date - timedelta(days=seat % 10)
    ledger_post(
        chama=books.chama,
        entry_type=EntryType.CONTRIBUTION,
        lines=[
            debit(books.cash[code], CONTRIBUTION),
            credit(_pot(books, rnd), ROTATION),
            credit(books.savings[member.pk], SAVINGS),
            credit(books.welfare, WELFARE),
        ],
        effective_date=paid_on,
        memo=f"Contribution by {member.member_code}",
        member=member,
        external_source="mpesa" if receipt else "",
        external_ref=receipt,
    )
    books.contributions += 1
    books.entries += 1
    books.postings += 4
    books.last_date = max(books.last_date, paid_on)
    if seat == MEMBERS - 1:
        pot = ROTATION * MEMBERS
        ledger_post(
            chama=books.chama,
            entry_type=EntryType.PAYOUT,
            lines=[debit(_pot(books, rnd), pot), credit(books.cash[chart.MPESA_PAYBILL], pot)],
            effective_date=rnd.meeting_date,
            memo=f"Round {rnd.cycle.number}.{rnd.number} pot to {rnd.recipient.member_code}",
            member=rnd.recipient,
        )
        books.entries += 1
        books.postings += 2
        books.last_date = max(books.last_date, rnd.meeting_date)


def books_count(books: Books) -> tuple[int, int]:
    """(postings, entries) in the books, counted by the database."""
    chama = books.chama
    return (
        Posting.objects.filter(entry__chama=chama).count(),
        JournalEntry.objects.filter(chama=chama).count(),
    )


def books_grow(books: Books, postings: int) -> float:
    """Post until the books hold ``postings`` postings; returns the seconds it took."""
    started = time.perf_counter()
    books.postings, books.entries = books_count(books)
    while books.postings < postings:
        with durable_atomic():
            for _ in range(BATCH):
                if books.postings >= postings:
                    break
                _post_next(books)
    with connection.cursor() as cursor:
        # What autovacuum does on a database in service: clear the dead row versions that
        # every posting's balance-cache update leaves, and refresh the planner's statistics.
        cursor.execute("VACUUM ANALYZE")
    return time.perf_counter() - started


# --- measuring ------------------------------------------------------------------------------


def measure_contribution_record(books: Books, *, calls: int) -> Timing:
    """Record real contributions (M-Pesa, confirmed) for members other than the one whose
    statement is read; each call is one durable transaction, as in the API."""
    writers = [m for m in books.members if m.seat != STATEMENT_SEAT][-(calls + 2) :]
    samples, counts = [], set()
    for index, member in enumerate(writers):
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            contribution_record(
                chama=books.chama,
                membership=member,
                amount=CONTRIBUTION,
                method=PaymentMethod.MPESA,
                mpesa_receipt=books.receipt("QR"),
            )
            elapsed = (time.perf_counter() - started) * 1000
        if index >= 2:  # the first two warm up
            samples.append(elapsed)
            counts.add(len(captured.captured_queries))
    return Timing(
        median_ms=statistics.median(samples),
        p95_ms=p95(samples),
        queries=max(counts),
        runs=len(samples),
        detail={"query_counts_seen": sorted(counts)},
    )


def measure_size(books: Books, *, runs: int, warmup: int) -> dict[str, Timing]:
    chama = books.chama
    member = books.members[STATEMENT_SEAT - 1]
    year_to = books.last_date
    year_from = year_to - relativedelta(years=1) + timedelta(days=1)
    month_from = year_to - relativedelta(months=1) + timedelta(days=1)
    year = {"date_from": year_from, "date_to": year_to}
    json_renderer = JSONRenderer()

    def member_year() -> bytes:
        statement = member_statement_get(chama=chama, member=member, **year)
        return json_renderer.render(MemberStatementOutputSerializer(statement).data)

    def member_all() -> bytes:
        statement = member_statement_get(chama=chama, member=member)
        return json_renderer.render(MemberStatementOutputSerializer(statement).data)

    def member_year_pdf() -> bytes:
        return member_statement_pdf(member_statement_get(chama=chama, member=member, **year))

    def chama_month() -> bytes:
        statement = statement_get(chama=chama, date_from=month_from, date_to=year_to)
        return json_renderer.render(StatementOutputSerializer(statement).data)

    def member_rows(**period: Any) -> dict[str, Any]:
        statement = member_statement_get(chama=chama, member=member, **period)
        return {"rows": sum(len(section.rows) for section in statement.sections)}

    chama_rows = len(statement_get(chama=chama, date_from=month_from, date_to=year_to).rows)
    return {
        "member_statement_12m_json": measure(
            member_year, runs=runs, warmup=warmup, detail=member_rows(**year)
        ),
        "member_statement_all_json": measure(
            member_all, runs=runs, warmup=warmup, detail=member_rows()
        ),
        "member_statement_12m_pdf": measure(
            member_year_pdf,
            runs=max(5, runs // 5),
            warmup=2,
            detail=member_rows(**year),
        ),
        "chama_statement_1m_json": measure(
            chama_month, runs=runs, warmup=warmup, detail={"rows": chama_rows}
        ),
        "trial_balance": measure(lambda: trial_balance_get(chama=chama), runs=runs, warmup=warmup),
        "contribution_record": measure_contribution_record(books, calls=WRITES),
    }


# --- reporting ------------------------------------------------------------------------------

LABELS = {
    "member_statement_12m_json": "member statement, 12 months (JSON)",
    "member_statement_all_json": "member statement, all history (JSON)",
    "member_statement_12m_pdf": "member statement, 12 months (PDF)",
    "chama_statement_1m_json": "chama statement, last month (JSON)",
    "trial_balance": "trial balance",
    "contribution_record": "contribution_record (one write)",
}


def _table(sizes: list[dict[str, Any]], ratios: dict[str, float]) -> str:
    width = 28
    head = f"{'':<38}"
    sub = f"{'measure':<38}"
    for size in sizes:
        title = f"{size['postings']:,} postings"
        head += f" | {title:^{width}}"
        sub += f" | {'median':>8} {'p95':>8} {'queries':>9}"
    head += f" | {'ratio':>8}"
    sub += f" | {'medians':>8}"
    lines = [head, sub, "-" * len(sub)]
    for key, label in LABELS.items():
        line = f"{label:<38}"
        for size in sizes:
            timing = size["measures"][key]
            line += (
                f" | {timing['median_ms']:>8.2f} {timing['p95_ms']:>8.2f} {timing['queries']:>9}"
            )
        lines.append(f"{line} | {ratios[key]:>8.2f}")
    return "\n".join(lines)


def run(*, sizes: list[int], runs: int, warmup: int, keep_db: bool) -> int:
    if connection.vendor != "postgresql":
        print("DATABASE_URL does not lead to PostgreSQL; refusing to run.")
        return 2
    previous = scratch_database_create()
    try:
        print(f"Scratch database {SCRATCH_DB} created and migrated; opening the books…")
        books = books_open()
        results: list[dict[str, Any]] = []
        for target in sizes:
            seconds = books_grow(books, target)
            print(
                f"  {books.postings:,} postings in {books.entries:,} entries "
                f"(+{seconds:.1f} s); measuring…"
            )
            postings, entries = books_count(books)
            measures = measure_size(books, runs=runs, warmup=warmup)
            results.append(
                {
                    "target": target,
                    "postings": postings,
                    "entries": entries,
                    "generation_seconds": round(seconds, 1),
                    "measures": {key: t.as_json() for key, t in measures.items()},
                }
            )
        first, last = results[0]["measures"], results[-1]["measures"]
        ratios = {key: round(last[key]["median_ms"] / first[key]["median_ms"], 2) for key in LABELS}
        report = report_write(
            RESULTS,
            members=MEMBERS,
            runs=runs,
            warmup=warmup,
            sizes=results,
            ratios_last_to_first=ratios,
        )
        print()
        print(f"Ledger benchmark, {report['database']}, {MEMBERS} members, {runs} warm runs (ms)")
        print(_table(results, ratios))
        print(f"\nWritten to {RESULTS}")
        return 0
    finally:
        if keep_db:
            print(f"Kept {SCRATCH_DB} (--keep-db).")
        else:
            connection.close()
            scratch_database_drop(previous)
