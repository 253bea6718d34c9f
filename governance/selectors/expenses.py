"""Reads of expenses: the chama's list with what its page shows, and the ones the hourly
escalation takes to a dispute vote."""

from datetime import datetime, timedelta

from django.db.models import DecimalField, QuerySet
from django.db.models.fields.json import KeyTextTransform, KeyTransform
from django.db.models.functions import Cast

from core.money import DECIMAL_PLACES, MAX_DIGITS
from governance.models import Expense, ExpenseStatus
from groups.choices import ApprovalKind
from groups.models import Chama

# How long an expense above the chair threshold may wait for its signatures before the
# members are asked to decide it (issue 13: 48 hours).
ESCALATION_AFTER = timedelta(hours=48)
SIGNATURES: str = "signatures"  # Expense.signatures (groups.approvals.TargetSignatures)


def expense_list(*, chama: Chama) -> QuerySet[Expense]:
    """The chama's expenses, newest first, with their maker, receipt and signatures (one
    query for a page's signatures)."""
    return (
        Expense.objects.filter(chama=chama)
        .select_related("chama", "created_by__user", "paid_by__user", "receipt")
        .prefetch_related(SIGNATURES)
        .order_by("-created_at", "-id")
    )


def expense_list_escalation_due(*, now: datetime) -> QuerySet[Expense]:
    """Expenses pending for ``ESCALATION_AFTER`` whose amount is above their chama's expense
    chair threshold, and never taken to a vote, in one query. The threshold is read where the
    constitution writes it on adoption (``Chama.approval_rules``, groups.approvals); a chama
    without one sends nothing to a vote."""
    rule = f"chama__approval_rules__{ApprovalKind.EXPENSE.value}__chair_threshold"
    threshold = Cast(
        KeyTextTransform(
            "chair_threshold", KeyTransform(ApprovalKind.EXPENSE.value, "chama__approval_rules")
        ),
        DecimalField(max_digits=MAX_DIGITS, decimal_places=DECIMAL_PLACES),
    )
    return (
        Expense.objects.filter(
            status=ExpenseStatus.PENDING,
            dispute_vote__isnull=True,
            created_at__lte=now - ESCALATION_AFTER,
            **{f"{rule}__isnull": False},  # the key is there...
        )
        .exclude(**{rule: None})  # ...and not JSON null (SQLite would read it as 0)
        .alias(threshold=threshold)
        .filter(amount__gt=threshold)
        .select_related("chama")
        .order_by("chama_id", "created_at", "pk")
    )
