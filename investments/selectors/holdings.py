"""Reads of a chama's holdings."""

from django.db.models import QuerySet

from groups.models import Chama
from investments.models import Holding


def holding_list(*, chama: Chama) -> QuerySet[Holding]:
    """The chama's holdings, newest first, with their option and their 1200 account (whose
    balance is the holding's carrying value) in the same query."""
    return Holding.objects.filter(chama=chama).select_related("option", "ledger_account")
