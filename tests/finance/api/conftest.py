from decimal import Decimal

import pytest
from rest_framework.test import APIClient

from finance.choices import PaymentMethod
from finance.services.contributions import contribution_record
from finance.services.loans import loan_policy_get
from groups.choices import Role
from tests.factories import UserFactory, add_member, appoint
from tests.finance.factories import merry_go_round


def make_books(client_for, **split):
    """A four-seat chama (1,000 a round, all rotation unless a split is given) with every
    role, their API clients, and an outsider who belongs to another chama."""
    chama, seats, cycle = merry_go_round(members=4, amount="1000.00", **split)
    chair, treasurer, secretary, member = seats
    appoint(treasurer, Role.TREASURER, by=chair)
    appoint(secretary, Role.SECRETARY, by=chair)
    auditor = add_member(chama, role=Role.AUDITOR)
    outsider = UserFactory()
    return {
        "chama": chama,
        "cycle": cycle,
        "round1": cycle.rounds.get(number=1),
        "seats": seats,
        "base": f"/api/v1/chamas/{chama.pk}",
        "clients": {
            "chair": client_for(chair.user),
            "treasurer": client_for(treasurer.user),
            "secretary": client_for(secretary.user),
            "auditor": client_for(auditor.user),
            "member": client_for(member.user),
            "outsider": client_for(outsider),
        },
    }


@pytest.fixture
def books(client_for):
    return make_books(client_for)


@pytest.fixture
def as_role(book, client_for):
    """An API client for a role of the test's ``book`` (a WelfareBook), for an ``outsider``
    who belongs to another chama, or ``anonymous``."""

    def make(role):
        if role == "anonymous":
            return APIClient()
        if role == "outsider":
            return client_for(UserFactory())
        return client_for(getattr(book, role).user)

    return make


@pytest.fixture
def lending(client_for):
    """A savings chama (1,000 a month, all savings) where every seat has paid 1,000 in cash."""
    books = make_books(client_for, savings_amount="1000.00")
    chama = books["chama"]
    for member in books["seats"]:
        contribution_record(
            chama=chama, membership=member, amount=Decimal("1000.00"), method=PaymentMethod.CASH
        )
    policy = loan_policy_get(chama=chama)
    policy.max_savings_multiple = Decimal("20")
    policy.save()
    return books
