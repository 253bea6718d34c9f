import functools
from collections.abc import Callable
from datetime import date
from uuid import UUID

from django.utils import timezone

from accounts.models import User
from groups.models import Chama, ChamaQuerySet, Membership, MembershipQuerySet


def chama_list_for_user(*, user: User) -> ChamaQuerySet:
    return Chama.objects.visible_to(user).with_member_count().order_by("name", "id")


def membership_get_active(*, chama_id: UUID, user: User) -> Membership | None:
    """The caller's active membership of the chama, or None (the API answers 404). Every
    chama-scoped request asks: a user has one membership of a chama, so it is read by get(),
    without the ORDER BY that first() builds and sorts by. Its ``user`` is the caller already
    read, so a service recording who acted reads nobody again."""
    try:
        membership = (
            Membership.objects.active().select_related("chama").get(chama_id=chama_id, user=user)
        )
    except Membership.DoesNotExist:
        return None
    membership.user = user
    return membership


# Later layers add per-member figures as of a day to member lists without groups importing
# them (finance adds compliance_rate: dues settled / dues fallen due).
MEMBERSHIP_LIST_ANNOTATORS: list[Callable[[MembershipQuerySet, date], MembershipQuerySet]] = []


def membership_get(*, chama: Chama, member_id: UUID | str) -> Membership | None:
    """A member of the chama by id (any status), with their user."""
    return Membership.objects.filter(chama=chama, pk=member_id).select_related("user").first()


def membership_list(*, chama: Chama) -> MembershipQuerySet:
    return memberships_with_figures(timezone.localdate()).filter(chama=chama)


@functools.lru_cache(maxsize=2)
def memberships_with_figures(today: date) -> MembershipQuerySet:
    """Members with their users, their chama and the later layers' figures as of ``today``.
    Built once a day and filtered per request: resolving the figures' subqueries cost more
    than compiling the page's query. A QuerySet is copied by every filter and never evaluated
    here, so the one built is shared safely."""
    memberships = Membership.objects.select_related("user", "chama").order_by("seat", "member_code")
    for annotate in MEMBERSHIP_LIST_ANNOTATORS:
        memberships = annotate(memberships, today)
    return memberships
