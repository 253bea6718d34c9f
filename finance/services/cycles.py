"""Starting a cycle: its rounds in seat order and every member's dues."""

from datetime import date

from core.db import durable
from core.exceptions import ConflictError, ValidationFailed
from core.money import ZERO
from finance.choices import CycleStatus
from finance.exceptions import FinanceError
from finance.models import Cycle, Due, Round
from finance.services.contributions import member_credit_apply
from finance.services.ledger import ledger_round_accounts_open
from groups.locks import chama_lock
from groups.models import Chama, Membership
from groups.schedules import meeting_dates


@durable
def cycle_create(*, chama: Chama, start_date: date, acting: Membership | None = None) -> Cycle:
    """One round per active member in seat order, and a due per member per round, falling due
    on the round's meeting date: the chama's meeting rule's days from ``start_date`` on
    (groups.schedules.meeting_dates), or every period from it when the chama has no rule.
    Members' credit from earlier overpayments is applied to the new dues at once."""
    chama = chama_lock(chama.pk)
    if Cycle.objects.filter(chama=chama, status=CycleStatus.ACTIVE).exists():
        raise ConflictError(FinanceError.CYCLE_ACTIVE)
    members = list(Membership.objects.active().filter(chama=chama).order_by("seat", "member_code"))
    if len(members) < 2:
        raise ValidationFailed(FinanceError.TOO_FEW_MEMBERS)
    if chama.contribution_amount <= ZERO:
        raise ValidationFailed(FinanceError.NO_CONTRIBUTION)
    last = Cycle.objects.filter(chama=chama).order_by("-number").first()
    cycle = Cycle.objects.create(
        chama=chama,
        number=(last.number if last else 0) + 1,
        start_date=start_date,
        frequency=chama.cycle_frequency,
        created_by=acting.user if acting else None,
    )
    dates = meeting_dates(
        start_date=start_date,
        frequency=chama.cycle_frequency,
        count=len(members),
        schedule=chama.meeting_schedule,
    )
    rounds = Round.objects.bulk_create(
        [
            Round(cycle=cycle, chama=chama, number=i, meeting_date=day, recipient=member)
            for i, (day, member) in enumerate(zip(dates, members, strict=True), start=1)
        ]
    )
    ledger_round_accounts_open(chama=chama, rounds=rounds)
    Due.objects.bulk_create(
        [
            Due(
                round=rnd,
                chama=chama,
                membership=member,
                due_date=rnd.meeting_date,
                expected_amount=chama.contribution_amount,
                rotation_amount=chama.rotation_amount,
                savings_amount=chama.savings_amount,
                welfare_amount=chama.welfare_amount,
            )
            for rnd in rounds
            for member in members
        ]
    )
    for member in sorted(members, key=lambda m: m.pk):
        member_credit_apply(membership=member)
    return cycle
