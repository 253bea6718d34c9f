"""The transaction of a money service, and work it does last, just before it commits."""

import functools
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, TypeVar

from django.db import transaction

R = TypeVar("R")

# The hooks of the durable block open on a connection, by key, in registration order.
_HOOKS = "hazina_before_commit"


@contextmanager
def durable_atomic(*, nested: bool = False) -> Iterator[None]:
    """The transaction of a money service: the outermost one, so that when it ends its writes
    are committed. Hooks registered with ``before_commit`` run as its last statements, after
    the service's own writes, so what they lock is held only through the commit.

    ``nested=True`` is a savepoint inside the caller's durable transaction instead, for an
    action that applies several services as one (the M-Pesa intake books a callback's money and
    records the callback's outcome together); its hooks run when the outer block ends."""
    connection = transaction.get_connection()
    if nested:
        if getattr(connection, _HOOKS, None) is None:
            raise RuntimeError("nested=True needs the caller's durable transaction.")
        with transaction.atomic():
            yield
        return
    with transaction.atomic(durable=True):
        setattr(connection, _HOOKS, {})
        try:
            yield
            hooks = getattr(connection, _HOOKS)
            while hooks:
                hooks.pop(next(iter(hooks)))()
        finally:
            setattr(connection, _HOOKS, None)


def durable(func: Callable[..., R]) -> Callable[..., R]:
    """Run a money service in ``durable_atomic``; the caller may pass ``nested=True``."""

    @functools.wraps(func)
    def run(*args: Any, nested: bool = False, **kwargs: Any) -> R:
        with durable_atomic(nested=nested):
            return func(*args, **kwargs)

    return run


def durable_required() -> dict[str, Callable[[], None]]:
    """The open durable block's hooks; outside one, a write that needs it is a programming
    error."""
    hooks = getattr(transaction.get_connection(), _HOOKS, None)
    if hooks is None:
        raise RuntimeError("This write must run inside a money service's durable transaction.")
    return hooks  # type: ignore[no-any-return]


def before_commit(key: str, hook: Callable[[], None]) -> None:
    """Run ``hook`` at the end of the open durable block (once per ``key``: the first hook
    registered under a key is kept)."""
    durable_required().setdefault(key, hook)


def before_commit_run(key: str) -> None:
    """Run the hook registered under ``key`` now, if there is one (a read that must see it)."""
    hooks = getattr(transaction.get_connection(), _HOOKS, None)
    if hooks and key in hooks:
        hooks.pop(key)()
