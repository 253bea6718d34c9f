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
