from collections.abc import Callable

import pytest
from rest_framework.response import Response
from rest_framework.test import APIClient

from accounts.models import User
from tests.factories import PASSWORD, UserFactory

TOKEN_URL = "/api/v1/auth/token/"


@pytest.fixture
def member(db: None) -> User:
    """A member whose phone is 0712 345 678 and whose email is member@example.com."""
    return UserFactory(phone="254712345678", email="member@example.com", full_name="Chama Member")


@pytest.fixture
def sign_in(api: APIClient) -> Callable[..., Response]:
    """POST the sign-in form: ``sign_in("0712345678")`` uses the factories' password."""

    def post(login: str, password: str = PASSWORD) -> Response:
        return api.post(TOKEN_URL, {"login": login, "password": password})

    return post
