"""What the database holds of the payout rules when the services are bypassed (rows inserted
through the ORM's bulk_create, which runs no service): one primary payout per round, one
payout awaiting approval per round, and only top-ups proposed automatically, without an
override or a named requester."""

import uuid
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction

from finance.choices import PayoutKind, PayoutMethod, PayoutStatus
from finance.models import Payout
from finance.services.payouts import payout_approve, payout_request
from tests.finance.rotation import rotation

pytestmark = pytest.mark.django_db


@pytest.fixture
def paid():
    """Round 1 paid out in full (18,000 in cash)."""
    book = rotation()
    for seat in (book.chair, book.treasurer, book.member):
        book.pay(seat, "10000.00")
    payout = payout_request(round=book.round(1), acting=book.treasurer, method="cash")
    payout_approve(payout=payout, acting=book.chair)
    return book


def insert(book, **fields):
    """Insert a payout of round 1 straight into the table; the database's refusal or None."""
    values = {
        "chama": book.chama,
        "round": book.round(1),
        "recipient": book.chair,
        "amount": Decimal("100.00"),
        "method": PayoutMethod.CASH,
        "destination": book.chair.receive_phone,
        "requested_by": book.treasurer.user,
        "external_id": uuid.uuid4().hex,
        "kind": PayoutKind.TOP_UP,
        "status": PayoutStatus.REQUESTED,
        **fields,
    }
    try:
        with transaction.atomic():
            Payout.objects.bulk_create([Payout(**values)])
    except IntegrityError as exc:
        return str(exc)
    return None


UNIQUE = "UNIQUE"


@pytest.mark.parametrize(
    ("fields", "refused"),
    [
        ({}, None),  # a top-up awaiting approval beside the completed payout
        ({"status": PayoutStatus.IN_FLIGHT}, None),
        ({"kind": PayoutKind.PRIMARY}, "finance_payout_one_live_primary_per_round"),
        (
            {"kind": PayoutKind.PRIMARY, "status": PayoutStatus.FAILED},
            None,  # a failed attempt is not live
        ),
        ({"override_reason": "Urgent"}, "finance_payout_top_up_no_override"),
        (
            {"kind": PayoutKind.PRIMARY, "status": PayoutStatus.REJECTED, "automatic": True},
            "finance_payout_only_top_ups_automatic",
        ),
        ({"requested_by": None}, "finance_payout_requester_named"),
        ({"requested_by": None, "automatic": True}, None),
    ],
)
def test_the_database_holds_the_payout_rules(paid, fields, refused):
    said = insert(paid, **fields)

    if refused is None:
        assert said is None
    else:
        assert said is not None
        # SQLite names a unique index by its columns, PostgreSQL by its name
        assert refused in said or (UNIQUE in said.upper() and "round" in said)


def test_two_payouts_awaiting_approval_of_one_round_are_refused(paid):
    assert insert(paid) is None

    said = insert(paid, kind=PayoutKind.TOP_UP)

    assert said is not None
    assert "finance_payout_one_requested_per_round" in said or UNIQUE in said.upper()
