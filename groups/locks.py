"""Every row lock in groups. Lock order across the project: chama, then its memberships by pk."""

from uuid import UUID

from groups.models import Chama


def chama_lock(chama_id: UUID) -> Chama:
    """Serialises changes to one chama's membership (seats, member codes, the plan limit)."""
    return Chama.objects.select_for_update(no_key=True).get(pk=chama_id)
