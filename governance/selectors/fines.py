"""Reads of a chama's fines."""

from django.db.models import QuerySet

from finance.models import Fine
from groups.models import Chama


def fine_list(*, chama: Chama) -> QuerySet[Fine]:
    """The chama's fines, newest first, with the member fined and who issued and waived."""
    return (
        Fine.objects.filter(chama=chama)
        .select_related("membership__user", "issued_by", "waived_by")
        .order_by("-created_at", "-pk")
    )
