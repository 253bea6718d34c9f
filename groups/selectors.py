from uuid import UUID

from accounts.models import User
from groups.models import Chama, ChamaQuerySet, Membership, MembershipQuerySet


def chama_list_for_user(*, user: User) -> ChamaQuerySet:
    return Chama.objects.visible_to(user).with_member_count().order_by("name", "id")


def membership_get_active(*, chama_id: UUID, user: User) -> Membership | None:
    """The caller's active membership of the chama, or None (the API answers 404)."""
    return (
        Membership.objects.active()
        .select_related("chama")
        .filter(chama_id=chama_id, user=user)
        .first()
    )


def membership_list(*, chama: Chama) -> MembershipQuerySet:
    return (
        Membership.objects.filter(chama=chama)
        .select_related("user", "chama")
        .order_by("seat", "member_code")
    )
