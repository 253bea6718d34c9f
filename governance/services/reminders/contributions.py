"""Contribution reminders (daily): a due falling within the constitution's
``reminders.contribution_days`` is announced once, and a due still unsettled the day after its
date and grace days is reported overdue once."""

from datetime import date, timedelta

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from finance.choices import SETTLED_DUE_STATUSES
from finance.models import Due
from governance.constitution_rules import MAX_REMINDER_DAYS
from governance.selectors.constitution import constitution_rules_map
from governance.services.reminders.batches import OVERDUE_WINDOW_DAYS, Batches, ReminderRun
from groups.choices import MembershipStatus
from groups.models import Chama

CONTRIBUTION_DUE = "contribution_due"
CONTRIBUTION_OVERDUE = "contribution_overdue"
# The most grace days a constitution allows (its serializer's bound).
MAX_GRACE_DAYS = 90


@transaction.atomic
def contribution_reminders(*, today: date | None = None) -> ReminderRun:
    """Remind every active member of their unsettled dues, in four queries and one
    ``notify`` per round (and amount): the keys ``contribution_due:{round}`` and
    ``contribution_overdue:{round}`` reach a member once per due whatever the reruns."""
    today = today or timezone.localdate()
    dues = list(
        Due.objects.filter(
            due_date__gt=today - timedelta(days=MAX_GRACE_DAYS + OVERDUE_WINDOW_DAYS),
            due_date__lte=today + timedelta(days=MAX_REMINDER_DAYS),
            membership__status=MembershipStatus.ACTIVE,
        )
        .exclude(status__in=SETTLED_DUE_STATUSES)
        .annotate(
            unpaid=F("expected_amount") - F("paid_rotation") - F("paid_savings") - F("paid_welfare")
        )
        .values_list("round_id", "chama_id", "due_date", "unpaid", "membership__user_id")
    )
    chamas = {chama.pk: chama for chama in Chama.objects.filter(pk__in={d[1] for d in dues})}
    rules = constitution_rules_map(chamas=chamas.values())
    batches = Batches()
    for round_id, chama_id, due_date, unpaid, user_id in dues:
        chama_rules = rules[chama_id]
        batches.add_payment(
            events=(CONTRIBUTION_DUE, CONTRIBUTION_OVERDUE),
            key=f"{{event}}:{round_id}",
            chama=chamas[chama_id],
            amount=unpaid,
            due_date=due_date,
            today=today,
            days_before=chama_rules.reminders.contribution_days,
            grace_days=chama_rules.contribution.grace_days,
            user_id=user_id,
        )
    return batches.send()
