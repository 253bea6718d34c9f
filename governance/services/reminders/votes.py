"""Vote reminders (hourly): a member who could vote and has not hears once, within the last
24 hours of an open vote. Whether a member voted is what the vote already records
(``VoteParticipation``, a proxy's ballot included); a secret ballot's choice is never read."""

from datetime import datetime, timedelta
from uuid import UUID

from django.db import transaction
from django.utils import timezone

from governance.models import Vote, VoteParticipation, VoteStatus
from governance.services.reminders.batches import Batches, ReminderRun
from groups.choices import MembershipStatus, Role
from groups.models import Membership

VOTE_CLOSING = "vote_closing"
CLOSING_WITHIN = timedelta(hours=24)


@transaction.atomic
def vote_reminders(*, now: datetime | None = None) -> ReminderRun:
    """Open votes closing within 24 hours, to the electorate (active members other than the
    auditor) who have not voted: three queries and one ``notify`` per vote, keyed
    ``vote_closing:{vote}``."""
    now = now or timezone.now()
    votes = list(
        Vote.objects.filter(
            status=VoteStatus.OPEN,
            opens_at__lte=now,
            closes_at__gt=now,
            closes_at__lte=now + CLOSING_WITHIN,
        ).select_related("chama")
    )
    voted = set(
        VoteParticipation.objects.filter(vote__in=votes).values_list("vote_id", "membership_id")
    )
    electorate: dict[UUID, list[tuple[UUID, UUID]]] = {}
    for chama_id, membership_id, user_id in (
        Membership.objects.filter(
            chama_id__in={v.chama_id for v in votes}, status=MembershipStatus.ACTIVE
        )
        .exclude(role=Role.AUDITOR)
        .values_list("chama_id", "pk", "user_id")
    ):
        electorate.setdefault(chama_id, []).append((membership_id, user_id))
    batches = Batches()
    for vote in votes:
        closes = timezone.localtime(vote.closes_at)
        batches.add_many(
            event=VOTE_CLOSING,
            key=f"{VOTE_CLOSING}:{vote.pk}",
            chama_id=vote.chama_id,
            context={
                "chama": vote.chama.name,
                "question": vote.title,
                "closes": closes.strftime("%Y-%m-%d %H:%M"),
            },
            user_ids=[
                user_id
                for membership_id, user_id in electorate.get(vote.chama_id, [])
                if (vote.pk, membership_id) not in voted
            ],
        )
    return batches.send()
