"""The per-chama model of anomaly detection: features of one kind of row (expenses,
contributions or loan repayments), an IsolationForest fitted on the chama's history, and the
rows it finds unusual explained in words. Pure: rows in, findings out; no database.

The model flags a row when both hold:
- it is among the ``CONTAMINATION`` share of the history the forest isolates fastest (the
  forest's own threshold, ``predict`` = -1): a chama's year of 200 expenses yields at most two
  candidates, so officials are not flooded;
- its isolation score (``-score_samples``, 0-1; 0.5 is "nothing special") reaches
  ``SEVERITY_MIN``: the share alone would flag the two most unusual rows of a perfectly
  ordinary history, the score says they really stand apart.

Only rows the caller names as candidates (the recent ones) are reported; the rest of the
history is what they are compared with. A fixed ``random_state`` makes a night's result
reproducible.
"""

import math
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from statistics import median
from typing import Any
from uuid import UUID
from zoneinfo import ZoneInfo

import numpy as np
from sklearn.ensemble import IsolationForest

from core.money import CENT

NAIROBI = ZoneInfo("Africa/Nairobi")
MIN_HISTORY = 30
CONTAMINATION = 0.01
SEVERITY_MIN = Decimal("0.780")
N_ESTIMATORS = 200
RANDOM_STATE = 20  # any fixed seed: the same history gives the same alerts
# How far a feature must sit from the chama's usual (robust z-score) to be named as a reason.
REASON_Z = 2.0
MAX_REASONS = 4
Z_CAP = 10.0
# A creator is named as recording few expenses below this share of the chama's.
FEW_SHARE = 0.1


@dataclass(frozen=True)
class Row:
    """One row of history: its id, when it happened, its amount, who it belongs to (the
    expense's creator, the contribution's or loan's member) and its label (an expense's payee,
    a payment's method)."""

    id: UUID
    at: datetime
    amount: Decimal
    actor: UUID
    label: str


@dataclass(frozen=True)
class Finding:
    id: UUID
    severity: Decimal
    reasons: list[str]


@dataclass(frozen=True)
class Outcome:
    """What the model did for one kind of row: fitted on ``rows`` rows, or skipped and why."""

    status: str
    rows: int
    reason: str = ""
    findings: tuple[Finding, ...] = ()

    def as_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {"status": self.status, "rows": self.rows}
        if self.reason:
            data["reason"] = self.reason
        return data


@dataclass(frozen=True)
class Kind:
    """The words of one kind of row: what a row is called, who its actor is, and what its label
    is."""

    name: str
    plural: str
    actor: str
    label: str


EXPENSE = Kind("expense", "expenses", "the creator", "payee")
CONTRIBUTION = Kind("contribution", "contributions", "the member", "method")
REPAYMENT = Kind("loan repayment", "loan repayments", "the member", "method")


def _hour(at: datetime) -> float:
    local = at.astimezone(NAIROBI)
    return local.hour + local.minute / 60


def _norm(label: str) -> str:
    return " ".join(label.casefold().split())


def _times(x: float) -> str:
    return f"{x:.0f}x" if x >= 10 else f"{x:.1f}x"


class _Features:
    """The feature matrix of a history, in time order, with what explaining needs.

    Columns: log of the amount over the actor's median; log amount; hour of day (Nairobi);
    for expenses, the share of the chama's expenses the creator records and whether the payee
    was never paid before; for payments, how rarely the member pays by this method.
    """

    def __init__(self, kind: Kind, rows: Sequence[Row]) -> None:
        self.kind = kind
        self.rows = sorted(rows, key=lambda r: (r.at, str(r.id)))
        amounts: dict[UUID, list[Decimal]] = defaultdict(list)
        labels: dict[UUID, Counter[str]] = defaultdict(Counter)
        for row in self.rows:
            amounts[row.actor].append(row.amount)
            labels[row.actor][_norm(row.label)] += 1
        # Medians of Decimal amounts stay Decimal (the words quote them to the cent).
        self.actor_median = {actor: median(values) for actor, values in amounts.items()}
        self.median = median(row.amount for row in self.rows)
        self.actor_count = {actor: len(values) for actor, values in amounts.items()}
        self.actor_labels = labels
        seen: set[str] = set()
        self.new_label: list[bool] = []
        for row in self.rows:
            label = _norm(row.label)
            self.new_label.append(label not in seen)
            seen.add(label)
        self.columns = ["ratio", "amount", "hour"] + (
            ["frequency", "new_payee"] if kind is EXPENSE else ["method_rarity"]
        )
        self.matrix = np.array([self._vector(i, row) for i, row in enumerate(self.rows)])

    def _vector(self, i: int, row: Row) -> list[float]:
        amount = float(row.amount)
        base = [
            math.log10(amount / float(self.actor_median[row.actor])),
            math.log10(amount),
            _hour(row.at),
        ]
        n = len(self.rows)
        if self.kind is EXPENSE:
            return [*base, self.actor_count[row.actor] / n, float(self.new_label[i])]
        used = self.actor_labels[row.actor][_norm(row.label)]
        return [*base, 1 - used / self.actor_count[row.actor]]

    def explain(self, i: int, currency: str) -> list[str]:
        """The features of row ``i`` farthest from the history's usual, in words."""
        x = self.matrix[i]
        centre = np.median(self.matrix, axis=0)
        spread = 1.4826 * np.median(np.abs(self.matrix - centre), axis=0)
        spread = np.where(spread > 0, spread, self.matrix.std(axis=0))
        deviations: list[tuple[float, str]] = []
        for j, column in enumerate(self.columns):
            if spread[j] > 0:
                z = (x[j] - centre[j]) / spread[j]
            else:
                z = 0.0 if x[j] == centre[j] else math.inf
            if column == "frequency" and x[j] >= FEW_SHARE:
                continue
            if abs(z) >= REASON_Z:
                # Far is far: beyond Z_CAP the columns keep their order (the amount against the
                # actor's usual first), so the words do not shuffle with the decimals.
                deviations.append((min(abs(z), Z_CAP), self._words(column, i, currency)))
        deviations.sort(key=lambda d: -d[0])
        return [words for _, words in deviations[:MAX_REASONS]]

    def _words(self, column: str, i: int, currency: str) -> str:
        row, kind = self.rows[i], self.kind
        amount = f"{currency} {row.amount:,.2f}"
        if column == "amount":
            usual = self.median.quantize(CENT)
            return (
                f"amount {amount} against this chama's median {kind.name} of {currency} {usual:,}"
            )
        if column == "ratio":
            usual = self.actor_median[row.actor].quantize(CENT)
            ratio = float(row.amount) / float(usual)
            return f"amount {_times(ratio)} {kind.actor}'s median ({currency} {usual:,})"
        if column == "hour":
            hours = sorted(_hour(r.at) for r in self.rows)
            low, high = hours[len(hours) // 10], hours[(len(hours) * 9) // 10]
            at = row.at.astimezone(NAIROBI).strftime("%H:%M")
            return (
                f"at {at}, while this chama's {kind.plural} are usually between "
                f"{int(low):02d}:00 and {int(high) + 1:02d}:00"
            )
        if column == "frequency":
            return (
                f"recorded by someone who records few {kind.plural} "
                f"({self.actor_count[row.actor]} of {len(self.rows)})"
            )
        if column == "new_payee":
            return f"payee {row.label!r} never paid before"
        used = self.actor_labels[row.actor][_norm(row.label)]
        return (
            f"paid by {row.label}, which the member used for {used} of "
            f"{self.actor_count[row.actor]} {kind.plural}"
        )


def detect(*, kind: Kind, rows: Iterable[Row], candidates: set[UUID], currency: str) -> Outcome:
    """Fit the chama's model on ``rows`` (its history of one kind) and return the findings
    among ``candidates``; skipped, with the reason, when the history is too short."""
    history = list(rows)
    if len(history) < MIN_HISTORY:
        return Outcome(
            status="skipped",
            rows=len(history),
            reason=(
                f"{len(history)} {kind.plural} in the history; the model needs at least "
                f"{MIN_HISTORY}."
            ),
        )
    if not candidates:  # nothing new to report: the forest is not worth fitting tonight
        return Outcome(status="no_new_rows", rows=len(history))
    features = _Features(kind, history)
    forest = IsolationForest(
        n_estimators=N_ESTIMATORS, contamination=CONTAMINATION, random_state=RANDOM_STATE
    ).fit(features.matrix)
    scores = -forest.score_samples(features.matrix)
    flagged = forest.predict(features.matrix) == -1
    findings = []
    for i, row in enumerate(features.rows):
        severity = Decimal(str(round(float(scores[i]), 3)))
        if row.id in candidates and flagged[i] and severity >= SEVERITY_MIN:
            findings.append(Finding(row.id, severity, features.explain(i, currency)))
    return Outcome(status="fitted", rows=len(history), findings=tuple(findings))
