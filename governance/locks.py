"""Every row lock in governance. Order: meeting (before the attendance rows it guards)."""

from uuid import UUID

from governance.models import Meeting


def meeting_lock(meeting_id: UUID) -> Meeting:
    """The meeting, locked: its attendance and minutes are written by one writer at a time
    (a bulk record and a member's check-in never race to the unique attendance row)."""
    return Meeting.objects.select_for_update(of=("self",), no_key=True).get(pk=meeting_id)
