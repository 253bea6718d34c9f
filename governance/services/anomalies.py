"""The nightly anomaly detection: for each active chama not yet looked at tonight, the model
over its expenses, contributions and loan repayments and the rules that need no model, and
the alerts that follow, notified to the chair and the treasurer after commit.

Idempotent per night: ``AnomalyRun(chama, day)`` is unique, and a chama with a run for the
day is not read again; a detector never flags one object twice (``AnomalyAlert``'s
constraint), so the next nights do not repeat an alert. Set-based: the history of every chama
due is read in a constant number of queries (governance.selectors.anomalies), each chama's
model is fitted in memory, and the runs and alerts are written with two bulk inserts.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import partial
from uuid import UUID

from django.db import IntegrityError, transaction
from django.utils import timezone

from governance.anomaly_model import CONTRIBUTION, EXPENSE, REPAYMENT, Finding, Kind, Row, detect
from governance.anomaly_rules import (
    PHONE_CHANGE_WINDOW,
    PhoneChange,
    expense_bursts,
    payout_phone_changes,
    self_approvals,
)
from governance.models import AnomalyAlert, AnomalyDetector, AnomalyRun, AnomalyTarget
from governance.selectors.anomalies import (
    ChamaHistory,
    anomaly_alert_keys,
    anomaly_history_get,
    payout_phone_changes_list,
)
from governance.services.anomaly_notify import anomaly_alerts_notify

# The history a chama's model learns from, and how recent a row must be to be reported: a
# week, so a night the job did not run is covered by the next (nothing is flagged twice).
HISTORY = timedelta(days=365)
LOOKBACK = timedelta(days=7)

SUGGESTED_ACTIONS = {
    AnomalyDetector.EXPENSE_MODEL: (
        "Check the receipt and the payee with the treasurer before the expense is paid."
    ),
    AnomalyDetector.CONTRIBUTION_MODEL: (
        "Confirm the payment with the member and check its M-Pesa code or bank slip."
    ),
    AnomalyDetector.REPAYMENT_MODEL: (
        "Confirm the repayment with the member and check its M-Pesa code or bank slip."
    ),
    AnomalyDetector.SELF_APPROVED_EXPENSE: (
        "Have another official review the expense: no official approves a payment to themselves."
    ),
    AnomalyDetector.EXPENSE_BURST: (
        "Review these expenses and their receipts together at the next officials' meeting."
    ),
    AnomalyDetector.PAYOUT_PHONE_CHANGED: (
        "Call the member on their usual contact phone to confirm the new payout phone."
    ),
}

MODELS: tuple[tuple[str, Kind, AnomalyDetector, AnomalyTarget], ...] = (
    ("expenses", EXPENSE, AnomalyDetector.EXPENSE_MODEL, AnomalyTarget.EXPENSE),
    ("contributions", CONTRIBUTION, AnomalyDetector.CONTRIBUTION_MODEL, AnomalyTarget.CONTRIBUTION),
    ("repayments", REPAYMENT, AnomalyDetector.REPAYMENT_MODEL, AnomalyTarget.LOAN_REPAYMENT),
)


@dataclass(frozen=True)
class _Flag:
    detector: AnomalyDetector
    target: AnomalyTarget
    finding: Finding

    @property
    def key(self) -> tuple[str, str, UUID]:
        return (self.detector.value, self.target.value, self.finding.id)


def _model_flags(
    history: ChamaHistory, recent_since: datetime
) -> tuple[dict[str, object], list[_Flag]]:
    outcome: dict[str, object] = {}
    flags: list[_Flag] = []
    for name, kind, detector, target in MODELS:
        rows: list[Row] = getattr(history, name)
        candidates = {row.id for row in rows if row.at >= recent_since}
        result = detect(kind=kind, rows=rows, candidates=candidates, currency=history.currency)
        outcome[name] = result.as_json()
        flags += [_Flag(detector, target, finding) for finding in result.findings]
    return outcome, flags


def _rule_flags(
    history: ChamaHistory, recent_since: datetime, changes: Iterable[PhoneChange]
) -> list[_Flag]:
    expense = partial(_Flag, target=AnomalyTarget.EXPENSE)
    recent_expenses = {row.id: row for row in history.expenses}
    return [
        *(
            expense(AnomalyDetector.SELF_APPROVED_EXPENSE, finding=f)
            for f in self_approvals(expenses=recent_expenses, approvals=history.approvals)
        ),
        *(
            expense(AnomalyDetector.EXPENSE_BURST, finding=f)
            for f in expense_bursts(
                expenses=history.expenses, since=recent_since, currency=history.currency
            )
        ),
        *(
            _Flag(AnomalyDetector.PAYOUT_PHONE_CHANGED, AnomalyTarget.PAYOUT, f)
            for f in payout_phone_changes(
                payouts=history.payouts,
                changes=changes,
                currency=history.currency,
            )
        ),
    ]


def anomalies_detect(*, now: datetime | None = None) -> list[AnomalyRun]:
    """Tonight's detection for every active chama without a run for today (Africa/Nairobi);
    returns the runs made (none when every chama was already looked at)."""
    now = now or timezone.now()
    day: date = timezone.localdate(now)
    recent_since = now - LOOKBACK
    try:
        with transaction.atomic():
            runs, alerts = _detect(now=now, day=day, recent_since=recent_since)
    except IntegrityError:  # a concurrent run of the same night won: it did the work
        return []
    if alerts:
        transaction.on_commit(partial(anomaly_alerts_notify, alert_ids=[a.id for a in alerts]))
    return runs


def _detect(
    *, now: datetime, day: date, recent_since: datetime
) -> tuple[list[AnomalyRun], list[AnomalyAlert]]:
    chamas = anomaly_history_get(day=day, since=now - HISTORY, recent_since=recent_since)
    if not chamas:
        return [], []
    changes = payout_phone_changes_list(since=recent_since - PHONE_CHANGE_WINDOW)
    seen = anomaly_alert_keys(since_day=(recent_since - timedelta(days=1)).date())
    runs, alerts = [], []
    for history in chamas.values():
        outcome, flags = _model_flags(history, recent_since)
        flags += _rule_flags(history, recent_since, changes)
        run = AnomalyRun(chama_id=history.id, day=day, outcome=outcome)
        for flag in flags:
            if flag.key in seen:
                continue
            seen.add(flag.key)
            alerts.append(
                AnomalyAlert(
                    chama_id=history.id,
                    run=run,
                    detector=flag.detector,
                    target_kind=flag.target,
                    target_id=flag.finding.id,
                    severity=flag.finding.severity,
                    reasons=flag.finding.reasons,
                    suggested_action=SUGGESTED_ACTIONS[flag.detector],
                )
            )
            run.alerts_raised += 1
        runs.append(run)
    AnomalyRun.objects.bulk_create(runs)
    AnomalyAlert.objects.bulk_create(alerts)
    return runs, alerts
