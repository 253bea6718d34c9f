"""Every row lock governance takes (select_for_update), in one place.

Votes: a ballot and the close both lock the vote row first, so a ballot either lands before
the close counts or finds the vote closed; nothing else is locked after it.
"""

from uuid import UUID

from governance.models import Vote


def vote_lock(vote_id: UUID) -> Vote:
    return Vote.objects.select_for_update().select_related("chama").get(pk=vote_id)
