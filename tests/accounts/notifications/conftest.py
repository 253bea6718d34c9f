from typing import Any

import pytest

from accounts.models import User
from tests.factories import UserFactory

RECEIPT = {
    "chama": "Umoja Group",
    "currency": "KES",
    "amount": "1,500.00",
    "receipt": "SGH7K2L9QX",
    "total_saved": "12,000.00",
}


@pytest.fixture
def receipt() -> dict[str, Any]:
    """The context of a contribution_received event."""
    return dict(RECEIPT)


@pytest.fixture
def wanjiku(db: None) -> User:
    """A member with a phone and an email, reading English."""
    return UserFactory(phone="254712345678", email="wanjiku@example.com", full_name="Wanjiku")
