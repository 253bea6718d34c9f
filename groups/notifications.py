"""Telling a chama's people about an event, after the transaction that made it commits.

The texts, channels and delivery live in ``accounts.notifications``; this layer knows who is
who in a chama, so callers in groups, finance, governance and investments name the members
(by membership id), or "the officials", or "everyone", and the event's values. Everything is
read after commit: no query runs inside the caller's transaction, and a failure to notify is
logged and never undoes the committed event (``robust``).
"""

from collections.abc import Callable, Iterable
from decimal import Decimal
from typing import Any
from uuid import UUID

from django.db import transaction
from django.db.models import Q

from accounts.notifications import notify
from groups.choices import OFFICIAL_ROLES, MembershipStatus
from groups.models import Chama, Membership

Context = dict[str, Any] | Callable[[], dict[str, Any]]


def amount_text(amount: Decimal) -> str:
    """An amount as the texts show it: 1,500.00."""
    return f"{amount:,.2f}"


def notify_after_commit(
    *,
    event: str,
    chama_id: UUID,
    context: Context,
    members: Iterable[UUID] = (),
    officials: bool = False,
    everyone: bool = False,
    exclude: Iterable[UUID] = (),
    key: str | None = None,
    urgent: bool = False,
) -> None:
    """On commit, tell the ``members`` (membership ids), and the active officials or every
    active member, about ``event``, except the ``exclude``d memberships. ``context`` may be a
    callable, read after commit (a balance the commit made); the chama's name and currency
    are added as ``chama`` and ``currency``."""
    named, left_out = list(members), list(exclude)

    def send() -> None:
        chama = Chama.objects.values("name", "currency").get(pk=chama_id)
        who = Q(pk__in=named)
        if everyone:
            who |= Q(status=MembershipStatus.ACTIVE)
        elif officials:
            who |= Q(status=MembershipStatus.ACTIVE, role__in=OFFICIAL_ROLES)
        people = Membership.objects.filter(who, chama_id=chama_id).exclude(pk__in=left_out)
        values = context() if callable(context) else context
        notify(
            event=event,
            users=people.values_list("user_id", flat=True),
            context={"chama": chama["name"], "currency": chama["currency"], **values},
            key=key,
            urgent=urgent,
            chama_id=chama_id,
        )

    transaction.on_commit(send, robust=True)


def member_name(membership_id: UUID) -> str:
    return str(
        Membership.objects.filter(pk=membership_id).values_list("user__full_name", flat=True).get()
    )
