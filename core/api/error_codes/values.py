"""What the walk reads a function into (raises, referenced codes) and what names mean to it."""

import functools
import importlib
import importlib.util
import inspect
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NamedTuple

from django.apps import apps
from django.conf import settings
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from rest_framework import exceptions

from core.exceptions import DomainError, ErrorCode


class Param(NamedTuple):
    """A value that is the raising function's parameter ``name``: read at each call."""

    name: str


ANY_FIELD = "*"  # a 400 about an input the walk could not name
Field = str | Param | None  # None: the error is not about one input
Code = str | Param | None  # None: made from a value (resolved against the codes referenced)


@dataclass(frozen=True)
class Raise:
    status: int
    code: Code
    field: Field = None


Binding = dict[str, set[Any]]


@dataclass
class Facts:
    raises: set[Raise] = field(default_factory=set)
    loose: set[str] = field(default_factory=set)  # codes referenced but not raised on the spot

    def add(self, other: "Facts", fields: Binding, codes: Binding) -> None:
        """A callee's facts, its parameters read as the call gave them."""
        for r in other.raises:
            self.raises.update(
                Raise(r.status, code, f)
                for code in bind(r.code, codes, None)
                for f in bind(r.field, fields, ANY_FIELD)
            )
        self.loose |= other.loose


def bind(value: Any, binding: Binding, unknown: Any) -> set[Any]:
    if isinstance(value, Param):
        return binding.get(value.name, {unknown})
    return {value}


@dataclass(frozen=True)
class Instance:
    cls: type


@dataclass(frozen=True)
class Method:
    func: Callable[..., Any]
    owner: type
    bound: bool  # called without its first argument (self or cls)


@dataclass(frozen=True)
class Super:
    owner: type
    after: type


@functools.cache
def hazina_packages() -> frozenset[str]:
    """The project's own apps: those whose package sits at the top of the repository."""
    base = Path(settings.BASE_DIR).resolve()
    return frozenset(
        config.name.split(".")[0]
        for config in apps.get_app_configs()
        if Path(config.path).resolve().parent == base
    )


def error_enums() -> list[type[ErrorCode]]:
    """Every app's error codes: the ``ErrorCode`` enums of each app's ``exceptions`` module."""
    for package in sorted(hazina_packages()):
        if importlib.util.find_spec(f"{package}.exceptions") is not None:
            importlib.import_module(f"{package}.exceptions")
    found, pending = [], list(ErrorCode.__subclasses__())
    while pending:
        enum = pending.pop(0)
        pending.extend(enum.__subclasses__())
        if enum.__module__.split(".")[0] in hazina_packages():
            found.append(enum)
    return sorted(found, key=lambda enum: (enum.__module__, enum.__name__))


def framework_packages(classes: Iterable[type]) -> frozenset[str]:
    """The packages of the framework classes Hazina classes build on, other than DRF and
    Django themselves (simplejwt's views, authentication and serializers)."""
    found = {k.__module__.split(".")[0] for cls in classes for k in cls.__mro__}
    return frozenset(found - hazina_packages() - {"builtins", "rest_framework", "django", "abc"})


def unwrap(func: Any) -> Any:
    return inspect.unwrap(func) if callable(func) else func


def status_of(cls: type) -> int | None:
    """The HTTP status an error of ``cls`` answers, if it is an error the API maps."""
    if issubclass(cls, DomainError | exceptions.APIException):
        return int(cls.status_code)
    if issubclass(cls, DjangoValidationError):
        return 400
    if issubclass(cls, Http404):
        return 404
    return None


def class_member(cls: type, name: str, owner: type, *, bound: bool) -> Any:
    """What ``cls.name`` is to the walk: a method (with the class ``self`` is), a plain
    function, a class, an enum member; None for data and descriptors it cannot follow."""
    if issubclass(cls, ErrorCode):
        return getattr(cls, name, None)
    try:
        raw = inspect.getattr_static(cls, name)
    except AttributeError:
        return None
    if isinstance(raw, staticmethod):
        return raw.__func__
    if isinstance(raw, classmethod):
        return Method(raw.__func__, owner, bound=True)
    if isinstance(raw, property):
        return Method(raw.fget, owner, bound=True) if raw.fget else None
    if isinstance(raw, functools.cached_property):
        return Method(raw.func, owner, bound=True)
    if inspect.isfunction(raw):
        return Method(raw, owner, bound=bound)
    return raw if isinstance(raw, type) else None
