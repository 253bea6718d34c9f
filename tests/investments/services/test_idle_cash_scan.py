"""The weekly scan: one snapshot per chama per day, in a number of queries that does not grow
with the number of chamas."""

import math
from datetime import timedelta
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.models import Model
from django.test.utils import CaptureQueriesContext

from bench.idle_cash import chamas_generate
from investments.models import IdleCashSnapshot, InvestmentProposal
from investments.services.idle_cash import ScanResult, idle_cash_scan
from tests.finance.welfare import claim_history
from tests.investments.idle_fixtures import TODAY, at

pytestmark = pytest.mark.django_db

# The statements other than the bulk inserts: the stale proposals expired (one UPDATE), the
# chamas, their rules, the idle-cash reads with the welfare history, the proposals' reads.
READS = 19


def scan_statements(more: int, prefix: str, days: int = 0) -> tuple[list[str], ScanResult]:
    """Generate ``more`` chamas, then scan every chama on TODAY + ``days``."""
    chamas_generate(more, on=TODAY, prefix=prefix)
    with CaptureQueriesContext(connection) as captured:
        result = idle_cash_scan(on=TODAY + timedelta(days=days))
    assert result.snapshots_written == result.chamas
    return [query["sql"] for query in captured.captured_queries], result


def batches(model: type[Model], rows: int) -> int:
    """How many statements Django's bulk_create takes for ``rows`` of ``model`` here."""
    fields = list(model._meta.concrete_fields)
    return math.ceil(rows / connection.ops.bulk_batch_size(fields, [None] * max(rows, 1)))


def inserts(statements: list[str]) -> int:
    return sum(sql.startswith("INSERT") for sql in statements)


def test_the_scan_costs_the_same_for_10_and_for_1000_chamas():
    few, few_scan = scan_statements(10, "K")
    many, many_scan = scan_statements(990, "L", days=1)  # the next day: 1,000 chamas
    # Every premium chama (one in two) holds enough idle cash for a proposal.
    assert (few_scan.proposals_made, many_scan.proposals_made) == (5, 495)

    reads_few = [sql for sql in few if not sql.startswith("INSERT")]
    reads_many = [sql for sql in many if not sql.startswith("INSERT")]
    # The chamas, their constitutions (2), the idle cash's accounts, postings, pots, loans,
    # welfare claims and policies (6), the snapshots counted before and after (2), and the
    # proposals' reads (7).
    assert len(reads_few) == len(reads_many) == READS, "\n".join(reads_many)
    if connection.vendor == "postgresql":
        # One INSERT for the snapshots (and one for the proposals) however many rows.
        assert len(few) == len(many), "\n".join(many)
    else:
        # SQLite takes at most 999 parameters a statement, so Django cuts a bulk insert into
        # batches: the two inserts are the one thing that grows, and only by their batches.
        assert inserts(few) == batches(IdleCashSnapshot, 10) + batches(InvestmentProposal, 5)
        # 500 premium chamas are offered a proposal; the first day's five still have theirs
        # open, and the partial unique index ignores their new one.
        assert inserts(many) == batches(IdleCashSnapshot, 1000) + batches(InvestmentProposal, 500)


@pytest.mark.postgres
def test_on_postgresql_the_count_is_exactly_the_same():
    few, _ = scan_statements(10, "M")
    many, _ = scan_statements(990, "N", days=1)

    assert len(few) == len(many), "\n".join(many)


def test_a_scan_fired_twice_writes_one_snapshot_per_chama_per_day():
    chamas = chamas_generate(3, on=TODAY, prefix="P")

    first = idle_cash_scan(on=TODAY)
    second = idle_cash_scan(on=TODAY)

    assert (first.snapshots_written, second.snapshots_written) == (3, 0)
    assert IdleCashSnapshot.objects.filter(chama__in=chamas).count() == 3
    # Chama 0's base is 70,000: in 70,000 + 35,000, out 52,500, in 17,500 + 70,000.
    snapshot = IdleCashSnapshot.objects.get(chama=chamas[0])
    assert (snapshot.scanned_on, snapshot.cash_like, snapshot.floor_30d, snapshot.idle) == (
        TODAY,
        Decimal("140000.00"),
        Decimal("52500.00"),  # the window opens at 105,000; the refund leaves 52,500
        Decimal("52500.00"),
    )
    assert snapshot.breakdown == {
        "pots": "0.00",
        "approved_loans": "0.00",
        "approved_expenses": "0.00",
        "welfare_buffer": "0.00",
        "reserve": "0.00",
    }
    assert snapshot.welfare_source == "none"  # no claims, no constitution


def test_the_snapshot_records_the_forecast_buffer_it_kept():
    book = claim_history(TODAY)

    idle_cash_scan(on=TODAY)

    snapshot = IdleCashSnapshot.objects.get(chama=book.chama)
    assert (snapshot.welfare_source, snapshot.breakdown["welfare_buffer"]) == (
        "history",
        "20962.53",
    )


def run_job() -> str:
    out = StringIO()
    call_command("run_job", "idle_cash_scan", stdout=out)
    return out.getvalue()


def test_run_job_scans_today_and_again_next_week():
    chamas_generate(2, on=TODAY, prefix="R")
    with at(TODAY):
        summary = run_job()
        again = run_job()
    with at(TODAY + timedelta(days=7)):
        run_job()

    assert summary.startswith(
        "idle_cash_scan: 2 chama(s) scanned on 2026-03-02, 2 snapshot(s) written"
    )
    assert "0 snapshot(s) written" in again
    assert IdleCashSnapshot.objects.count() == 4
