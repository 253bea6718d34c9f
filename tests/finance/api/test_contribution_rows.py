"""A contributions page is written from its columns, not by the serializer: field for field
the same, whatever the contribution's state."""

from decimal import Decimal

import pytest
import time_machine

from finance.api.serializers.contributions import (
    CONTRIBUTION_COLUMNS,
    ContributionOutputSerializer,
    contribution_rows,
)
from finance.choices import ContributionStatus, PaymentMethod
from finance.models import Contribution
from finance.services.contributions import contribution_record, contribution_reverse

pytestmark = pytest.mark.django_db


def test_the_rows_equal_what_the_serializer_writes(books):
    chama, seats = books["chama"], books["seats"]
    # Given contributions in every state: confirmed by M-Pesa, pending cash, reversed, a
    # timestamp at midnight UTC, an amount with cents
    with time_machine.travel("2026-03-01 00:00:00+00:00", tick=False):
        contribution_record(
            chama=chama,
            membership=seats[0],
            amount=Decimal("1000.50"),
            method=PaymentMethod.MPESA,
            mpesa_receipt="ROW0000001",
        )
    contribution_record(
        chama=chama,
        membership=seats[1],
        amount=Decimal("250.00"),
        method=PaymentMethod.CASH,
        status=ContributionStatus.PENDING,
        reference="Slip 7",
    )
    mistaken = contribution_record(
        chama=chama, membership=seats[2], amount=Decimal("75.25"), method=PaymentMethod.BANK
    )
    contribution_reverse(contribution=mistaken, acting=seats[0], reason="Wrong member")
    contributions = Contribution.objects.filter(chama=chama).select_related("membership__user")

    rows = contribution_rows(contributions.values(*CONTRIBUTION_COLUMNS))

    assert rows == ContributionOutputSerializer(contributions, many=True).data
    assert {row["status"] for row in rows} == {"confirmed", "pending", "reversed"}


def test_the_list_answers_what_the_serializer_would(books):
    chama = books["chama"]
    for i, member in enumerate(books["seats"]):
        contribution_record(
            chama=chama,
            membership=member,
            amount=Decimal("10.00"),
            method=PaymentMethod.MPESA,
            mpesa_receipt=f"ROW000010{i}",
        )
    page = books["clients"]["member"].get(f"{books['base']}/contributions/?limit=3").json()
    shown = Contribution.objects.select_related("membership__user").filter(
        pk__in=[row["id"] for row in page["results"]]
    )
    by_id = {row["id"]: row for row in ContributionOutputSerializer(shown, many=True).data}

    assert page["count"] == 4
    assert page["results"] == [by_id[row["id"]] for row in page["results"]]
