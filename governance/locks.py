"""Every row lock governance takes (select_for_update), in one place.

Order: a vote or a meeting (each before the rows it guards), then an expense (a dispute vote
closes before its expense); finance's ledger accounts last, through its ledger writer. An
anomaly alert is decided alone (no other row is locked with it).
Votes: a ballot and the close both lock the vote row first, so a ballot either lands before
the close counts or finds the vote closed.
"""

from uuid import UUID

from governance.models import AnomalyAlert, Expense, Meeting, Vote


def vote_lock(vote_id: UUID) -> Vote:
    return Vote.objects.select_for_update().select_related("chama").get(pk=vote_id)


def meeting_lock(meeting_id: UUID) -> Meeting:
    """The meeting, locked: its attendance and minutes are written by one writer at a time
    (a bulk record and a member's check-in never race to the unique attendance row)."""
    return Meeting.objects.select_for_update(of=("self",), no_key=True).get(pk=meeting_id)


def expense_lock(expense_id: UUID) -> Expense:
    """The expense, locked: its signatures, its dispute and its payment are decided one at a
    time. A vote's close locks its vote first, then the expense it decides (never the other
    way round: opening a dispute vote inserts the vote, it locks none)."""
    return (
        Expense.objects.select_for_update(of=("self",))
        .select_related("chama", "created_by")
        .get(pk=expense_id)
    )


def anomaly_alert_lock(alert_id: UUID) -> AnomalyAlert:
    """The alert, locked: two officials deciding it at once decide it once."""
    return AnomalyAlert.objects.select_for_update(of=("self",)).get(pk=alert_id)
