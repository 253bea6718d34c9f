"""The walk: which functions it reads, each once, from an operation's roots."""

import functools
import inspect
from collections.abc import Iterable, Iterator
from typing import Any

from django.contrib.auth import password_validation

from core.api.error_codes.reader import Reader
from core.api.error_codes.values import (
    ANY_FIELD,
    Binding,
    Facts,
    Method,
    Raise,
    class_member,
    framework_packages,
    hazina_packages,
    unwrap,
)

Root = tuple[Any, type | None, str | None]  # a function, the class of its self, an HTTP method
SERIALIZER_HOOKS = ("validate", "to_internal_value", "run_validation")


class Walk:
    """Reads functions inside Hazina's packages (and ``packages``), each once."""

    def __init__(self, packages: Iterable[str] = ()) -> None:
        self.packages = hazina_packages() | frozenset(packages)
        self.memo: dict[Root, Facts] = {}
        self.active: set[Root] = set()
        self.cut = False  # a recursion was cut short: what depends on it is not memoised
        self.unresolved: set[tuple[str, int]] = set()  # (function, status): no code to read

    def known_raises(self, func: Any) -> frozenset[Raise] | None:
        """What a framework function raises that its source does not say."""
        if func is password_validation.validate_password:
            return password_validation_raises()
        return None

    def covers(self, func: Any) -> bool:
        module = getattr(func, "__module__", None) or ""
        return module.split(".")[0] in self.packages

    def function(self, func: Any, owner: type | None, method: str | None = None) -> Facts:
        key = (func, owner, method)
        if key in self.memo:
            return self.memo[key]
        if key in self.active:
            self.cut = True
            return Facts()
        self.active.add(key)
        was_cut, self.cut = self.cut, False
        try:
            facts = Reader(self, func, owner, method).read()
        finally:
            self.active.discard(key)
        if not self.cut:
            self.memo[key] = facts
        self.cut = self.cut or was_cut
        return facts

    def serializer_hooks(self, cls: type) -> Iterator[Method]:
        for name in dir(cls):
            if name in SERIALIZER_HOOKS or name.startswith("validate_"):
                member = class_member(cls, name, cls, bound=True)
                if isinstance(member, Method) and self.covers(unwrap(member.func)):
                    yield member

    def roots(self, roots: Iterable[Root]) -> Facts:
        """What the roots raise, each root's parameters read as their defaults."""
        facts = Facts()
        for func, owner, method in roots:
            func = unwrap(func)
            if inspect.isfunction(func) and self.covers(func):
                defaults = _defaults(func)
                facts.add(self.function(func, owner, method), defaults, {})
        return facts


def _defaults(func: Any) -> Binding:
    return {
        name: {p.default} if isinstance(p.default, str) else {ANY_FIELD}
        for name, p in inspect.signature(func).parameters.items()
    }


@functools.cache
def password_validation_raises() -> frozenset[Raise]:
    """Django's password validation runs the validators of AUTH_PASSWORD_VALIDATORS, found in
    the settings rather than in the code: their codes are read from their classes."""
    validators = password_validation.get_default_password_validators()
    walk = Walk(framework_packages(type(v) for v in validators) | {"django"})
    facts = walk.roots((type(v).validate, type(v), None) for v in validators)
    return frozenset(facts.raises)
