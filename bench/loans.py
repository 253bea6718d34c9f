"""Loan arithmetic benchmark: ``finance.loan_math`` in pure Python, no database.

Times, with ``timeit``:

* ``loan_schedule`` for a 60-month loan (250,000.00 at 14% a year), once per method;
* ``repayment_allocate`` of one repayment over a 60-installment loan with nothing yet paid and
  penalties on its three oldest installments: a month's installment (stops at the first
  installment) and a payoff with credit left over (every installment receives something).

Each measure lets ``timeit`` pick how many calls fill about 0.2 s, then times that many calls
``runs`` times; it reports the median and the best of the per-call times in microseconds.
"""

import json
import os
import platform
import statistics
import timeit
from collections.abc import Callable
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from finance.loan_math import (
    METHODS,
    InstallmentOwed,
    loan_schedule,
    repayment_allocate,
)

RESULTS = Path(__file__).resolve().parent / "results" / "loans.json"
PRINCIPAL = Decimal("250000.00")
RATE = Decimal("0.14")
TERM = 60
FIRST_DUE = date(2027, 1, 31)
PENALTY = Decimal("500.00")
OVERDUE = 3  # installments carrying a penalty


def _schedule(method: str) -> Callable[[], object]:
    def call() -> object:
        return loan_schedule(
            principal=PRINCIPAL,
            rate=RATE,
            rate_period="year",
            method=method,
            term_months=TERM,
            first_due=FIRST_DUE,
        )

    return call


def _outstanding() -> list[InstallmentOwed]:
    schedule = loan_schedule(
        principal=PRINCIPAL,
        rate=RATE,
        rate_period="year",
        method="reducing_balance",
        term_months=TERM,
        first_due=FIRST_DUE,
    )
    return [
        InstallmentOwed(
            number=row.number,
            penalty=PENALTY if row.number <= OVERDUE else Decimal("0.00"),
            fees=Decimal("0.00"),
            interest=row.interest,
            principal=row.principal,
        )
        for row in schedule
    ]


def _allocation(amount: Decimal, owed: list[InstallmentOwed]) -> Callable[[], object]:
    def call() -> object:
        return repayment_allocate(amount=amount, owed=owed)

    return call


def _measures() -> dict[str, tuple[str, Callable[[], object]]]:
    owed = _outstanding()
    everything = sum(
        (item.penalty + item.fees + item.interest + item.principal for item in owed),
        Decimal("0.00"),
    )
    one_month = owed[0].penalty + owed[0].interest + owed[0].principal
    measures = {
        f"schedule_{method}": (f"schedule, {TERM} months, {method}", _schedule(method))
        for method in METHODS
    }
    measures["allocate_one_installment"] = (
        f"allocate one installment's worth over {TERM}",
        _allocation(one_month, owed),
    )
    measures["allocate_payoff"] = (
        f"allocate a payoff over {TERM} (+ credit)",
        _allocation(everything + Decimal("1000.00"), owed),
    )
    return measures


def _time(call: Callable[[], object], *, runs: int) -> dict[str, Any]:
    timer = timeit.Timer(call)
    number, _ = timer.autorange()
    per_call = [seconds / number * 1e6 for seconds in timer.repeat(repeat=runs, number=number)]
    return {
        "median_us": round(statistics.median(per_call), 1),
        "min_us": round(min(per_call), 1),
        "calls_per_run": number,
        "runs": runs,
    }


def run(*, runs: int = 7) -> int:
    results: dict[str, dict[str, Any]] = {}
    lines = [f"{'measure':<46} | {'median µs':>10} | {'best µs':>8} | {'calls/run':>9}"]
    lines.append("-" * len(lines[0]))
    for key, (label, call) in _measures().items():
        timing = _time(call, runs=runs)
        results[key] = {"label": label, **timing}
        lines.append(
            f"{label:<46} | {timing['median_us']:>10.1f} | {timing['min_us']:>8.1f} | "
            f"{timing['calls_per_run']:>9}"
        )
    report = {
        "generated_at": datetime.now(UTC).isoformat(),
        "python": platform.python_version(),
        "machine": platform.platform(),
        "cpus": os.cpu_count(),
        "measures": results,
    }
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(report, indent=2) + "\n")
    print(f"Loan arithmetic, Python {report['python']}, {runs} timed runs per measure")
    print("\n".join(lines))
    print(f"\nWritten to {RESULTS}")
    return 0
