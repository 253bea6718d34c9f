"""Idle-cash scan benchmark: ``investments_idle_cash_scan`` over 5,000 generated chamas on
PostgreSQL, in seconds, with its query count (the same for any number of chamas).

The chamas are generated in bulk, not through the services (5,000 chamas through
``chama_create`` and the contribution service would take most of an hour): the chamas and
their charts of accounts are inserted in one statement each, then their cash history is posted
through the ledger's bulk writer (``finance.services.ledger_bulk.ledger_post_many``: balanced
entries, each chama's own accounts, the balances moved and checked by the ledger as always).
Each chama receives unidentified paybill money five times over 40 days (Dr 1010 · Cr 2600)
and refunds part of it once (Dr 2600 · Cr 1010), so its 30-day floor is a dip inside the
window; every other chama is on the premium plan, so the scan also makes proposals.

The scan runs in a scratch database (``hazina_bench_idle`` unless ``--scratch-db``) created
and dropped beside yours, as the other PostgreSQL benchmarks do.
"""

import time
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from bench.common import (
    database_version,
    report_write,
    scratch_database_create,
    scratch_database_drop,
)
from core.db import durable_atomic
from finance import chart
from finance.chart import CHART
from finance.choices import AccountScope, EntryType
from finance.models import LedgerAccount
from finance.services.ledger import credit, debit
from finance.services.ledger_bulk import EntryDraft, ledger_post_many
from groups.choices import Plan
from groups.models import Chama

SCRATCH_DB = "hazina_bench_idle"
RESULTS = Path(__file__).resolve().parent / "results" / "idle_cash.json"
CHAMAS = 5_000
LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
# (days before the scan, amount in or out of the paybill as a share of the chama's base)
HISTORY: list[tuple[int, Decimal]] = [
    (40, Decimal(1)),
    (25, Decimal("0.5")),
    (18, Decimal("-0.75")),
    (12, Decimal("0.25")),
    (3, Decimal(1)),
]


def _code(prefix: str, n: int) -> str:
    """Chama codes ``<prefix><A-Z><A-Z><000-999>``: 676,000 of them per prefix letter."""
    return f"{prefix}{LETTERS[n // 26000 % 26]}{LETTERS[n // 1000 % 26]}{n % 1000:03d}"


def chamas_generate(count: int, *, on: date, prefix: str = "Q") -> list[Chama]:
    """``count`` active chamas with a chart of accounts and 40 days of paybill history up to
    ``on`` (see the module docstring). Chama ``n`` has a base of 70,000 + (n mod 7) x 10,000;
    its 30-day floor, three quarters of it, reaches the default proposal minimum of 50,000.
    Three bulk inserts, then two for the ledger's entries and postings (in SQLite's batches
    there)."""
    chamas = Chama.objects.bulk_create(
        [
            Chama(
                name=f"Generated chama {n}",
                code=_code(prefix, n),
                plan=Plan.PREMIUM if n % 2 == 0 else Plan.FREE,
                contribution_amount=Decimal("1000.00"),
                savings_amount=Decimal("1000.00"),
            )
            for n in range(count)
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
            for chama in chamas
            for spec in CHART
            if spec.scope == AccountScope.CHAMA
        ]
    )
    accounts = {
        (a.chama_id, a.code): a
        for a in LedgerAccount.objects.filter(
            chama__in=chamas, code__in=[chart.MPESA_PAYBILL, chart.SUSPENSE]
        )
    }
    drafts = []
    for n, chama in enumerate(chamas):
        paybill = accounts[(chama.pk, chart.MPESA_PAYBILL)]
        suspense = accounts[(chama.pk, chart.SUSPENSE)]
        base = Decimal(70_000 + (n % 7) * 10_000)
        for days, share in HISTORY:
            amount = (base * abs(share)).quantize(Decimal("0.01"))
            receipt = share > 0
            drafts.append(
                EntryDraft(
                    chama=chama,
                    entry_type=EntryType.SUSPENSE if receipt else EntryType.REVERSAL,
                    lines=[debit(paybill, amount), credit(suspense, amount)]
                    if receipt
                    else [debit(suspense, amount), credit(paybill, amount)],
                    memo="Unidentified paybill receipt" if receipt else "Receipt refunded",
                    effective_date=on - timedelta(days=days),
                )
            )
    with durable_atomic():
        ledger_post_many(drafts=drafts)
    return chamas


def run(*, chamas: int = CHAMAS, keep_db: bool = False, scratch_db: str = SCRATCH_DB) -> int:
    from investments.services.idle_cash import idle_cash_scan

    previous = scratch_database_create(scratch_db)
    try:
        on = timezone.localdate()
        started = time.perf_counter()
        chamas_generate(chamas, on=on)
        generated_s = time.perf_counter() - started
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            result = idle_cash_scan(on=on)
            scan_s = time.perf_counter() - started
        started = time.perf_counter()
        again = idle_cash_scan(on=on)  # the job fired twice: writes nothing
        rescan_s = time.perf_counter() - started
        report: dict[str, Any] = {
            "database": database_version(),
            "chamas": result.chamas,
            "generation_s": round(generated_s, 2),
            "scan_s": round(scan_s, 3),
            "scan_queries": len(captured.captured_queries),
            "snapshots_written": result.snapshots_written,
            "proposals_made": result.proposals_made,
            "rescan_s": round(rescan_s, 3),
            "rescan_snapshots_written": again.snapshots_written,
            "rescan_proposals_made": again.proposals_made,
        }
        report_write(RESULTS, **report)
        print(f"idle-cash scan over {result.chamas:,} chamas ({report['database']})")
        print(f"  generation        {generated_s:8.2f} s")
        print(f"  scan              {scan_s:8.3f} s   {report['scan_queries']} queries")
        print(f"  snapshots written {result.snapshots_written:8,}")
        print(f"  proposals made    {result.proposals_made:8,}")
        print(f"  scan again        {rescan_s:8.3f} s   {again.snapshots_written} written")
    finally:
        if keep_db:
            print(f"kept the scratch database {scratch_db}")
        else:
            scratch_database_drop(previous)
    return 0
