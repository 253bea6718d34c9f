"""The transaction of a money service."""

import functools
from collections.abc import Callable
from typing import Any, TypeVar

from django.db import transaction

R = TypeVar("R")


def durable(func: Callable[..., R]) -> Callable[..., R]:
    """Run a money service in a durable transaction: the outermost one, so that when it
    returns its writes are committed. ``nested=True`` runs it instead as a savepoint inside
    the caller's durable transaction, for an action that applies several services as one (the
    M-Pesa intake books a callback's money and records the callback's outcome together)."""

    @functools.wraps(func)
    def run(*args: Any, nested: bool = False, **kwargs: Any) -> R:
        if nested:
            if not transaction.get_connection().in_atomic_block:
                raise RuntimeError(f"{func.__name__}(nested=True) needs the caller's transaction.")
            with transaction.atomic():
                return func(*args, **kwargs)
        with transaction.atomic(durable=True):
            return func(*args, **kwargs)

    return run
