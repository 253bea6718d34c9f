"""A chama with every role, for the vote tests, and votes opened through the service."""

from dataclasses import dataclass, field
from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from governance.models import Vote, VoteKind
from governance.services.votes import vote_open
from groups.choices import Plan, Role
from groups.models import Chama, Membership
from tests.factories import UserFactory, add_member, appoint, make_chama


@dataclass
class Board:
    chama: Chama
    chair: Membership
    treasurer: Membership
    secretary: Membership
    auditor: Membership
    member: Membership
    others: list[Membership] = field(default_factory=list)

    @property
    def base(self) -> str:
        return f"/api/v1/chamas/{self.chama.pk}"

    @property
    def voters(self) -> list[Membership]:
        return [self.chair, self.treasurer, self.secretary, self.member, *self.others]


def make_board(others: int = 0) -> Board:
    chama = make_chama(name="Kijiji Vote Group", plan=Plan.PREMIUM)
    chair = chama.memberships.get()
    treasurer, secretary, member = add_member(chama), add_member(chama), add_member(chama)
    appoint(treasurer, Role.TREASURER, by=chair)
    appoint(secretary, Role.SECRETARY, by=chair)
    auditor = add_member(chama, role=Role.AUDITOR)
    extra = [add_member(chama) for _ in range(others)]
    return Board(chama, chair, treasurer, secretary, auditor, member, extra)


def open_vote(board: Board, **overrides: Any) -> Vote:
    data: dict[str, Any] = {
        "chama": board.chama,
        "acting": board.chair,
        "title": "Buy a tent for meetings",
        "kind": VoteKind.SIMPLE,
        "quorum": Decimal("0.5"),
        "closes_at": timezone.now() + timedelta(days=2),
        "anonymous": True,
    }
    data.update(overrides)
    return vote_open(**data)


@pytest.fixture
def board(db: None) -> Board:
    return make_board()


@pytest.fixture
def as_role(board: Board, client_for: Any) -> Any:
    def make(role: str) -> APIClient:
        if role == "anonymous":
            return APIClient()
        if role == "outsider":
            return client_for(UserFactory())
        return client_for(getattr(board, role).user)

    return make
