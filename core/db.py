"""The transaction of a money service, and the work it does last, just before it commits."""

import functools
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, TypeVar

from django.db import transaction

R = TypeVar("R")

_BLOCK = "hazina_durable_block"


@dataclass
class _Block:
    """What the open durable block will do before it commits, and rows it is gathering."""

    hooks: dict[str, Callable[[], None]] = field(default_factory=dict)
    checks: dict[str, Callable[[], None]] = field(default_factory=dict)
    gathered: dict[str, list[Any]] = field(default_factory=dict)
    # False on an optimistic first attempt: nested blocks run without savepoints.
    savepoints: bool = True


class SavepointNeeded(Exception):
    """A nested block failed inside an optimistic attempt, which has no savepoint to roll it
    back to: the whole attempt is undone and run again with savepoints (``optimistic``)."""


def _block() -> _Block | None:
    return getattr(transaction.get_connection(), _BLOCK, None)


def _run(hooks: dict[str, Callable[[], None]]) -> None:
    while hooks:
        hooks.pop(next(iter(hooks)))()


@contextmanager
def durable_atomic(*, nested: bool = False) -> Iterator[None]:
    """The transaction of a money service: the outermost one, so that when it ends its writes
    are committed. Its last statements are the hooks registered with ``before_commit``, then
    the checks, after the service's own writes, so what they lock is held only through the
    commit.

    ``nested=True`` is a savepoint inside the caller's durable transaction instead, for an
    action that applies several services as one (the M-Pesa intake books a callback's money and
    records the callback's outcome together). Its checks run when it ends, so a caller that
    goes on after its refusal never commits what they would refuse; if it fails, what it
    gathered is dropped with its writes."""
    connection = transaction.get_connection()
    if nested:
        block = _block()
        if block is None:
            raise RuntimeError("nested=True needs the caller's durable transaction.")
        if not block.savepoints:
            try:
                yield
                _run(block.checks)
            except Exception as exc:
                raise SavepointNeeded from exc
            return
        marks = {key: len(rows) for key, rows in block.gathered.items()}
        try:
            with transaction.atomic():
                yield
                _run(block.checks)
        except BaseException:
            for key, rows in block.gathered.items():
                del rows[marks.get(key, 0) :]
            raise
        return
    with transaction.atomic(durable=True):
        block = _Block()
        setattr(connection, _BLOCK, block)
        try:
            yield
            _run(block.hooks)
            _run(block.checks)
        finally:
            setattr(connection, _BLOCK, None)


def durable(func: Callable[..., R]) -> Callable[..., R]:
    """Run a money service in ``durable_atomic``; the caller may pass ``nested=True``."""

    @functools.wraps(func)
    def run(*args: Any, nested: bool = False, **kwargs: Any) -> R:
        with durable_atomic(nested=nested):
            return func(*args, **kwargs)

    return run


def optimistic(func: Callable[..., R]) -> Callable[..., R]:
    """Run a durable action whose nested services may be refused, first without their
    savepoints: the common case (a payment that books) then saves two statements per nested
    service. When one is refused, the whole attempt rolls back and the action runs again
    with savepoints, where it handles the refusal as it always did."""

    @functools.wraps(func)
    def run(*args: Any, **kwargs: Any) -> R:
        try:
            with durable_atomic():
                durable_required().savepoints = False
                return func(*args, **kwargs)
        except SavepointNeeded:
            pass
        with durable_atomic():
            return func(*args, **kwargs)

    return run


def savepoints_available() -> bool:
    """Whether a nested block of the open durable block can fail alone (it has a savepoint),
    or fails the whole attempt (an ``optimistic`` first attempt)."""
    return durable_required().savepoints


def in_durable() -> bool:
    """Whether a money service's durable transaction is open here."""
    return _block() is not None


def durable_required() -> _Block:
    """The open durable block; outside one, a write that needs it is a programming error."""
    block = _block()
    if block is None:
        raise RuntimeError("This write must run inside a money service's durable transaction.")
    return block


def before_commit(key: str, hook: Callable[[], None], *, check: bool = False) -> None:
    """Run ``hook`` at the end of the open durable block, once per ``key`` (the first hook
    registered under a key is kept). A ``check`` runs after every plain hook, and also when a
    nested block ends."""
    block = durable_required()
    (block.checks if check else block.hooks).setdefault(key, hook)


def gathered(key: str) -> list[Any]:
    """Rows the open durable block gathers under ``key`` for one of its hooks to write; a
    nested block that fails drops what it added."""
    return durable_required().gathered.setdefault(key, [])
