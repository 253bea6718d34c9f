"""The governance events members are told about, after commit: a vote opened and its result."""

from django.utils import timezone

from governance.models import Vote
from groups.notifications import notify_after_commit


def vote_opened(vote: Vote) -> None:
    notify_after_commit(
        event="vote_opened",
        chama_id=vote.chama_id,
        everyone=True,
        context={
            "question": vote.title,
            "closes": timezone.localtime(vote.closes_at).strftime("%Y-%m-%d %H:%M"),
        },
        key=f"vote_opened:{vote.pk}",
    )


def vote_result(vote: Vote) -> None:
    tally = f"{vote.yes_count} yes, {vote.no_count} no, {vote.abstain_count} abstained"
    notify_after_commit(
        event="vote_result",
        chama_id=vote.chama_id,
        everyone=True,
        context={"question": vote.title, "result": f"{vote.get_result_display()} ({tally})"},
        key=f"vote_result:{vote.pk}",
    )
