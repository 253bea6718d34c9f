from rest_framework.request import Request

from accounts.models import User


def user_of(request: Request) -> User:
    """The signed-in user of a request that passed IsAuthenticated."""
    user = request.user
    assert isinstance(user, User)
    return user
