"""Waiving a fine: an official forgives what is left of it, saying why. What was unpaid goes
back out of income (``Dr 4200 · Cr 1120-M``); what was paid stays paid.

Maker-checker: neither the fined member nor the official who issued the fine may waive it.
A waiver over the constitution's threshold needs a vote: governance decides that and, when the
vote passes, calls ``fine_waive`` with ``acting=None``."""

from django.utils import timezone

from core.db import durable
from core.exceptions import ConflictError
from finance import chart
from finance.choices import UNPAID_FINE_STATUSES, EntryType, FineStatus
from finance.exceptions import FineError
from finance.locks import fine_lock, membership_lock
from finance.models import Fine
from finance.services.fines.issuing import fine_reason_clean
from finance.services.ledger import credit, debit, ledger_accounts_get, ledger_post
from groups.models import Membership
from groups.rules import official_check


def fine_waive_check(*, fine: Fine, acting: Membership) -> None:
    """May ``acting`` waive ``fine``: an official, neither the fined member nor its issuer."""
    official_check(
        acting,
        chama_id=fine.chama_id,
        refused=FineError.OFFICIALS_WAIVE,
        makers=(fine.membership.user_id, fine.issued_by_id),
        maker_refused=FineError.OWN_FINE_WAIVER,
    )


@durable
def fine_waive(*, fine: Fine, acting: Membership | None, reason: str) -> Fine:
    """Waive what is left of ``fine``. ``acting`` None: a decision of the chama (a vote)."""
    if acting is not None:
        fine_waive_check(fine=fine, acting=acting)
    reason = fine_reason_clean(reason, required=FineError.WAIVE_REASON_REQUIRED)
    member = membership_lock(fine.membership_id)
    fine = fine_lock(fine.pk)
    if fine.status not in UNPAID_FINE_STATUSES:
        raise ConflictError(FineError.SETTLED, status=fine.get_status_display().lower())
    unpaid = fine.unpaid
    receivable = (chart.FINES_RECEIVABLE, member, None)
    income = (chart.FINES_INCOME, None, None)
    accounts = ledger_accounts_get(chama=member.chama, keys=[receivable, income])
    fine.waive_entry = ledger_post(
        chama=member.chama,
        entry_type=EntryType.FINE_WAIVER,
        lines=[debit(accounts[income], unpaid), credit(accounts[receivable], unpaid)],
        memo=f"Fine on {member.member_code} waived: {reason}",
        member=member,
        recorded_by=acting.user if acting is not None else None,
    )
    fine.status = FineStatus.WAIVED
    fine.waived_amount = unpaid
    fine.waived_by = acting.user if acting is not None else None
    fine.waived_at = timezone.now()
    fine.waive_reason = reason
    fine.save(
        update_fields=[
            "status",
            "waived_amount",
            "waived_by",
            "waived_at",
            "waive_reason",
            "waive_entry",
            "updated_at",
        ]
    )
    return fine
