"""What the benchmarks share: a scratch database, timing a read, and writing a report."""

import json
import math
import os
import platform
import sqlite3
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import django
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

SCRATCH_DB = "hazina_bench"


# --- the scratch database -------------------------------------------------------------------


def scratch_database_create(name: str | None = SCRATCH_DB) -> str:
    """Create and migrate the scratch database ``name`` (``hazina_bench`` unless told; None
    on SQLite: in memory) and switch the connection to it (Django's test-database machinery,
    which drops a leftover one first). Returns the previous name."""
    previous: str = connection.settings_dict["NAME"]
    connection.settings_dict["TEST"]["NAME"] = name
    connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
    return previous


def scratch_database_drop(previous: str) -> None:
    connection.creation.destroy_test_db(previous, verbosity=0)


@dataclass(frozen=True)
class Timing:
    median_ms: float
    p95_ms: float
    queries: int
    runs: int
    detail: dict[str, Any]

    def as_json(self) -> dict[str, Any]:
        return {
            "median_ms": round(self.median_ms, 3),
            "p95_ms": round(self.p95_ms, 3),
            "queries": self.queries,
            "runs": self.runs,
            **self.detail,
        }


def p95(samples: list[float]) -> float:
    """Nearest rank: the smallest sample at or above 95% of them."""
    ordered = sorted(samples)
    return ordered[math.ceil(0.95 * len(ordered)) - 1]


def measure(
    read: Callable[[], Any], *, runs: int, warmup: int, detail: dict[str, Any] | None = None
) -> Timing:
    for _ in range(warmup):
        read()
    with CaptureQueriesContext(connection) as captured:
        read()
    # Counted now: a request in the timed runs would empty the connection's query log.
    queries = len(captured.captured_queries)
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        read()
        samples.append((time.perf_counter() - started) * 1000)
    return Timing(
        median_ms=statistics.median(samples),
        p95_ms=p95(samples),
        queries=queries,
        runs=runs,
        detail=detail or {},
    )


def database_version() -> str:
    if connection.vendor != "postgresql":
        return f"{connection.display_name} {sqlite3.sqlite_version} (in memory)"
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        row = cursor.fetchone()
    return f"PostgreSQL {row[0] if row else '?'}"


def report_write(path: Path, **report: Any) -> dict[str, Any]:
    """Write ``report`` to ``path`` as JSON with where and when it was measured; returns it."""
    report = {
        "generated_at": timezone.now().isoformat(),
        "database": database_version(),
        "python": platform.python_version(),
        "django": django.get_version(),
        "machine": platform.platform(),
        "cpus": os.cpu_count(),
        **report,
    }
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(report, indent=2, default=str) + "\n")
    return report
