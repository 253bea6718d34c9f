"""Loan installment reminders (daily): an installment falling within the constitution's
``reminders.installment_days`` is announced to the borrower once, and one still unpaid the day
after its date and the loan policy's grace days is reported overdue once."""

from datetime import date, timedelta

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from finance.choices import InstallmentStatus, LoanStatus
from finance.models import Installment
from governance.constitution_rules import MAX_REMINDER_DAYS
from governance.selectors.constitution import constitution_rules_map
from governance.services.reminders.batches import OVERDUE_WINDOW_DAYS, Batches, ReminderRun
from groups.models import Chama

INSTALLMENT_DUE = "installment_due"
INSTALLMENT_OVERDUE = "installment_overdue"
# The most grace days a loan policy allows (the constitution serializer's bound).
MAX_LOAN_GRACE_DAYS = 365


@transaction.atomic
def loan_reminders(*, today: date | None = None) -> ReminderRun:
    """Remind every borrower of an active loan of the installment coming due and the one
    overdue, in four queries and one ``notify`` per chama, date and amount.

    The key is ``{event}:{chama}:{due date}``: a member has one active loan in a chama, so it
    names one installment; a later loan's installments fall due a month or more after it is
    disbursed, after the earlier loan closed, so never on a date the earlier one was reminded
    for."""
    today = today or timezone.localdate()
    installments = list(
        Installment.objects.filter(
            loan__status=LoanStatus.ACTIVE,
            status__in=(InstallmentStatus.PENDING, InstallmentStatus.PARTIAL),
            due_date__gt=today - timedelta(days=MAX_LOAN_GRACE_DAYS + OVERDUE_WINDOW_DAYS),
            due_date__lte=today + timedelta(days=MAX_REMINDER_DAYS),
        )
        .annotate(
            owed=F("principal")
            + F("interest")
            - F("interest_waived")
            + F("penalty_charged")
            - F("paid_principal")
            - F("principal_recovered")
            - F("paid_interest")
            - F("paid_penalty")
        )
        .values_list("loan__chama_id", "due_date", "owed", "loan__membership__user_id")
    )
    chamas = {c.pk: c for c in Chama.objects.filter(pk__in={i[0] for i in installments})}
    rules = constitution_rules_map(chamas=chamas.values())
    batches = Batches()
    for chama_id, due_date, owed, user_id in installments:
        chama_rules = rules[chama_id]
        batches.add_payment(
            events=(INSTALLMENT_DUE, INSTALLMENT_OVERDUE),
            key=f"{{event}}:{chama_id}:{due_date.isoformat()}",
            chama=chamas[chama_id],
            amount=owed,
            due_date=due_date,
            today=today,
            days_before=chama_rules.reminders.installment_days,
            grace_days=chama_rules.loans.grace_days,
            user_id=user_id,
        )
    return batches.send()
