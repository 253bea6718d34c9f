"""The savings-goal simulator: ``investments.simulator.simulate`` (NumPy, vectorised) against a
straightforward per-path Python loop of the same model, no database.

Both answer the same questions for one goal — 10,000 paths x 24 months by default, monthly
contributions bootstrapped from a year of history, monthly returns from an option's rate
history, 5% inflation: the chance of reaching the target investing and in cash, the
10/50/90 percentile bands of each month (investing and cash), and the extra monthly amount a
90% chance needs (a bisection over the paths' final balances). The loop draws with Python's
``random`` (cheaper per draw than NumPy's generator called once per value), keeps each path's
month balances in lists, sorts each month's balances for its percentiles and bisects over
plain lists.

The two are timed in interleaved rounds (vectorised, loop, vectorised, loop...), so a change
in the machine's load falls on both; the report gives each one's median over the rounds and
the ratio of the medians. Targets: the vectorised run under 50 ms, and at least 100x the loop.
"""

import json
import os
import platform
import random
import statistics
import time
from datetime import UTC, datetime
from decimal import ROUND_CEILING, Decimal
from pathlib import Path
from typing import Any

import numpy as np

from investments.simulator import MONTHS_PER_YEAR, simulate

RESULTS = Path(__file__).resolve().parent / "results" / "simulator.json"
PATHS = 10_000
MONTHS = 24
# A member's last twelve months (one missed) and a money-market fund's rate history.
HISTORY = [3000.0, 3000.0, 2500.0, 3000.0, 0.0, 4000.0, 3000.0, 3000.0, 3500.0, 3000.0, 2000.0]
RATES = [0.1425, 0.1390, 0.1310, 0.1275, 0.1198, 0.1105]
INFLATION = 0.05
TARGET = 75_000.0
TARGET_PROBABILITY = 0.9
TARGET_MS = 50.0
TARGET_RATIO = 100.0


def _percentile(ordered: list[float], share: float) -> float:
    """NumPy's default (linear) percentile of sorted values."""
    position = share * (len(ordered) - 1)
    low = int(position)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


def _reach(final: list[float], annuity: list[float], extra: float, target: float) -> float:
    return sum(1 for f, a in zip(final, annuity, strict=True) if f + extra * a >= target) / len(
        final
    )


def simulate_loop(
    *,
    contributions: list[float],
    annual_rates: list[float],
    inflation: float,
    months: int,
    target: float,
    paths: int,
    seed: int,
    target_probability: float = TARGET_PROBABILITY,
    bands: bool = True,
) -> dict[str, Any]:
    """The model of ``investments.simulator`` path by path, month by month, in plain Python."""
    draw = random.Random(seed)
    monthly_inflation = (1.0 + inflation) ** (1.0 / MONTHS_PER_YEAR)
    deflators = [monthly_inflation ** (month + 1) for month in range(months)]
    investing_by_month: list[list[float]] = [[] for _ in range(months)]
    cash_by_month: list[list[float]] = [[] for _ in range(months)]
    finals, annuities, cash_finals = [], [], []
    for _ in range(paths):
        balance = annuity = cash = 0.0
        for month in range(months):
            contribution = draw.choice(contributions)
            growth = 1.0 + draw.choice(annual_rates) / MONTHS_PER_YEAR
            balance = balance * growth + contribution
            annuity = annuity * growth + 1.0
            cash += contribution
            if bands:
                investing_by_month[month].append(balance / deflators[month])
                cash_by_month[month].append(cash / deflators[month])
        finals.append(balance / deflators[-1])
        annuities.append(annuity / deflators[-1])
        cash_finals.append(cash / deflators[-1])

    percentiles = []
    for month in range(months if bands else 0):
        investing, saved = sorted(investing_by_month[month]), sorted(cash_by_month[month])
        percentiles.append(
            [
                _percentile(values, share)
                for values in (investing, saved)
                for share in (0.1, 0.5, 0.9)
            ]
        )
    needed = 0.0
    if _reach(finals, annuities, 0.0, target) < target_probability:
        low, high = 0.0, max(target, 1.0)
        while _reach(finals, annuities, high, target) < target_probability:
            high *= 2
        while high - low > 0.01:
            middle = (low + high) / 2
            if _reach(finals, annuities, middle, target) >= target_probability:
                high = middle
            else:
                low = middle
        needed = high
    return {
        "probability_investing": _reach(finals, annuities, 0.0, target),
        "probability_cash": sum(1 for c in cash_finals if c >= target) / paths,
        "bands": percentiles,
        "monthly_increase_needed": Decimal(repr(needed)).quantize(
            Decimal("0.01"), rounding=ROUND_CEILING
        ),
    }


def _vectorised(seed: int, bands: bool = True) -> Any:
    return simulate(
        contributions=HISTORY,
        annual_rates=RATES,
        inflation=INFLATION,
        months=MONTHS,
        target=TARGET,
        paths=PATHS,
        seed=seed,
        target_probability=TARGET_PROBABILITY,
        bands=bands,
    )


def _loop(seed: int, bands: bool = True) -> dict[str, Any]:
    return simulate_loop(
        contributions=HISTORY,
        annual_rates=RATES,
        inflation=INFLATION,
        months=MONTHS,
        target=TARGET,
        paths=PATHS,
        seed=seed,
        bands=bands,
    )


def _timed(call: Any, seed: int, bands: bool) -> float:
    started = time.perf_counter()
    call(seed, bands)
    return (time.perf_counter() - started) * 1000


# (key, label, with the bands)
MEASURES = [
    ("full", "the whole answer (with the bands)", True),
    ("paths", "the paths alone (chances and the increase, no bands)", False),
]


def run(*, rounds: int = 7, vectorised_runs: int = 5) -> int:
    """``rounds`` interleaved rounds: in each, for each measure, ``vectorised_runs``
    vectorised runs (their median is the round's figure) and one loop run."""
    _vectorised(0)  # NumPy's first calls load their code
    times: dict[str, dict[str, list[float]]] = {
        key: {"vectorised": [], "loop": []} for key, _, _ in MEASURES
    }
    for number in range(rounds):
        for key, _, bands in MEASURES:
            runs = [_timed(_vectorised, number, bands) for _ in range(vectorised_runs)]
            times[key]["vectorised"].append(statistics.median(runs))
            times[key]["loop"].append(_timed(_loop, number, bands))
    measures: dict[str, dict[str, Any]] = {}
    verdict = {True: "PASS", False: "MISS"}
    lines = [
        f"Savings-goal simulator, {PATHS:,} paths x {MONTHS} months, {rounds} interleaved "
        f"rounds (NumPy {np.__version__})",
        f"{'measure':<54} | {'vectorised ms':>13} | {'loop ms':>8} | {'ratio':>6}",
    ]
    for key, label, _ in MEASURES:
        vector_median = statistics.median(times[key]["vectorised"])
        loop_median = statistics.median(times[key]["loop"])
        ratio = loop_median / vector_median
        measures[key] = {
            "label": label,
            "vectorised_ms_by_round": [round(ms, 2) for ms in times[key]["vectorised"]],
            "loop_ms_by_round": [round(ms, 1) for ms in times[key]["loop"]],
            "vectorised_median_ms": round(vector_median, 2),
            "loop_median_ms": round(loop_median, 1),
            "ratio": round(ratio, 1),
        }
        lines.append(f"{label:<54} | {vector_median:>13.2f} | {loop_median:>8.1f} | {ratio:>5.1f}x")
    full = measures["full"]
    lines.append(
        f"targets (the whole answer): vectorised < {TARGET_MS:.0f} ms "
        f"{verdict[full['vectorised_median_ms'] < TARGET_MS]}, ratio >= {TARGET_RATIO:.0f}x "
        f"{verdict[full['ratio'] >= TARGET_RATIO]}"
    )
    vectorised, looped = _vectorised(rounds), _loop(rounds)
    # The same model, different draws: the answers agree within sampling error.
    answers = {
        "vectorised": {
            "probability_investing": vectorised.probability_investing,
            "probability_cash": vectorised.probability_cash,
            "monthly_increase_needed": str(vectorised.monthly_increase_needed),
            "median_final": round(vectorised.bands_investing[-1].p50, 2),
        },
        "loop": {
            "probability_investing": looped["probability_investing"],
            "probability_cash": looped["probability_cash"],
            "monthly_increase_needed": str(looped["monthly_increase_needed"]),
            "median_final": round(looped["bands"][-1][1], 2),
        },
    }
    for name, answer in answers.items():
        lines.append(f"  {name:<10} {answer}")
    report = {
        "generated_at": datetime.now(UTC).isoformat(),
        "python": platform.python_version(),
        "numpy": np.__version__,
        "machine": platform.platform(),
        "cpus": os.cpu_count(),
        "load_average": os.getloadavg(),
        "paths": PATHS,
        "months": MONTHS,
        "rounds": rounds,
        "measures": measures,
        "answers": answers,
    }
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(report, indent=2) + "\n")
    print("\n".join(lines))
    print(f"\nWritten to {RESULTS}")
    return 0
