"""Reads of anomaly detection: the history of every chama due tonight in a handful of queries
(one per kind of row, whatever the number of chamas), and the alerts officials page through."""

from dataclasses import dataclass, field
from datetime import date, datetime
from uuid import UUID

from auditlog.models import LogEntry
from django.db.models import QuerySet

from finance.choices import ContributionStatus, PayoutStatus
from finance.models import Contribution, LoanRepayment, Payout
from governance.anomaly_model import Row
from governance.anomaly_rules import Approval, PhoneChange
from governance.anomaly_rules import Payout as PayoutRow
from governance.models import AnomalyAlert, AnomalyRun, Expense
from groups.choices import ApprovalKind, ChamaStatus, SignatureDecision
from groups.models import Chama, Signature

RECEIVE_PHONE = "receive_phone"


@dataclass
class ChamaHistory:
    """One chama's rows for tonight's detection."""

    id: UUID
    currency: str
    expenses: list[Row] = field(default_factory=list)
    contributions: list[Row] = field(default_factory=list)
    repayments: list[Row] = field(default_factory=list)
    approvals: list[Approval] = field(default_factory=list)
    payouts: list[PayoutRow] = field(default_factory=list)


def anomaly_chamas_due(*, day: date) -> QuerySet[Chama]:
    """Active chamas with no detection run for ``day`` yet (a query, lazily)."""
    return Chama.objects.filter(status=ChamaStatus.ACTIVE).exclude(anomaly_runs__day=day)


def anomaly_history_get(
    *, day: date, since: datetime, recent_since: datetime
) -> dict[UUID, ChamaHistory]:
    """Every due chama's history since ``since`` (expenses, confirmed contributions, loan
    repayments) and its recent approvals and payouts (since ``recent_since``), in six
    queries: the chamas, then one per kind with the chamas as a subquery."""
    due = anomaly_chamas_due(day=day)
    chamas = {pk: ChamaHistory(pk, currency) for pk, currency in due.values_list("id", "currency")}
    if not chamas:
        return chamas
    ids = due.values("id")
    for e in Expense.objects.filter(chama__in=ids, created_at__gte=since).values_list(
        "id", "chama_id", "created_at", "amount", "created_by_id", "payee"
    ):
        chamas[e[1]].expenses.append(Row(e[0], e[2], e[3], e[4], e[5]))
    for c in Contribution.objects.filter(
        chama__in=ids, status=ContributionStatus.CONFIRMED, paid_at__gte=since
    ).values_list("id", "chama_id", "paid_at", "amount", "membership_id", "method"):
        chamas[c[1]].contributions.append(Row(c[0], c[2], c[3], c[4], c[5]))
    for r in LoanRepayment.objects.filter(loan__chama__in=ids, paid_at__gte=since).values_list(
        "id", "loan__chama_id", "paid_at", "amount", "loan__membership_id", "method"
    ):
        chamas[r[1]].repayments.append(Row(r[0], r[2], r[3], r[4], r[5]))
    for s in Signature.objects.filter(
        chama__in=ids,
        kind=ApprovalKind.EXPENSE,
        decision=SignatureDecision.APPROVE,
        created_at__gte=recent_since,
    ).values_list(
        "chama_id",
        "target_id",
        "membership__user__full_name",
        "membership__user__phone",
        "membership__receive_phone",
    ):
        chamas[s[0]].approvals.append(Approval(s[1], s[2], (s[3], s[4])))
    for p in (
        Payout.objects.filter(chama__in=ids, created_at__gte=recent_since)
        .exclude(status=PayoutStatus.REJECTED)
        .values_list("id", "chama_id", "recipient_id", "created_at", "amount", "destination")
    ):
        chamas[p[1]].payouts.append(PayoutRow(p[0], p[2], p[3], p[4], p[5]))
    return chamas


def payout_phone_changes_list(*, since: datetime) -> list[PhoneChange]:
    """Changes of members' payout phones since ``since``, as django-auditlog recorded them
    (groups registers Membership; the entry's ``changes`` holds ``[old, new]``), in one query."""
    entries = LogEntry.objects.filter(
        content_type__app_label="groups",
        content_type__model="membership",
        action=LogEntry.Action.UPDATE,
        timestamp__gte=since,
        changes__has_key=RECEIVE_PHONE,
    ).values_list("object_pk", "timestamp", "changes")
    return [PhoneChange(UUID(pk), at, *changes[RECEIVE_PHONE]) for pk, at, changes in entries]


def anomaly_alert_keys(*, since_day: date) -> set[tuple[str, str, UUID]]:
    """(detector, target kind, target id) of the alerts raised since ``since_day``: what the
    recent rows were already flagged for."""
    return set(
        AnomalyAlert.objects.filter(run__day__gte=since_day).values_list(
            "detector", "target_kind", "target_id"
        )
    )


def anomaly_alert_list(*, chama: Chama) -> QuerySet[AnomalyAlert]:
    """The chama's alerts, newest first, with who decided them."""
    return (
        AnomalyAlert.objects.filter(chama=chama)
        .select_related("run", "decided_by__user")
        .order_by("-created_at", "-severity", "id")
    )


def anomaly_run_list(*, chama: Chama) -> QuerySet[AnomalyRun]:
    return AnomalyRun.objects.filter(chama=chama).order_by("-day")
