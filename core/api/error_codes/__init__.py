"""Which error codes an API operation can answer, read from the code that serves it.

From an operation's roots (its handler, the view's own ``initial`` and ``get_queryset``, the
authenticators, the body parser, its serializer's validation hooks) the walk reads each
function's source and follows what it references: module functions, methods through ``self``,
``cls``, ``super()``, a class or an instance made in the function, properties, and functions
handed on as values (a service given to a helper, a check registered for the commit). It stays
inside Hazina's packages, and the framework packages a Hazina view or authenticator builds on
(simplejwt's). Each function is read once.

It collects each error made with the status of its class and its code: a member of an app's
``ErrorCode`` enum (``ConflictError(FinanceError.CYCLE_ACTIVE)``), a DRF exception's default
code (``exceptions.NotFound()``), an ``ErrorDetail``'s code, a framework's literal code. An
error made from a value (``ValidationFailed(reason.code)``) takes every code referenced by the
function that makes it and by what that function calls; a code passed as an argument is read
at each call, as is the ``field`` a 400 is about.

So a code may be listed for a branch that never runs (the schema over-promises a little), but a
code an operation raises is only missed when it is reached through an object the walk cannot
type: a gateway looked up in a dict, a task run later by a worker.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from rest_framework import serializers

from core.api.error_codes.values import (
    ANY_FIELD,
    Facts,
    Method,
    Raise,
    class_member,
    error_enums,
    framework_packages,
    hazina_packages,
)
from core.api.error_codes.walk import Root, Walk

__all__ = [
    "ANY_FIELD",
    "OperationErrors",
    "Raise",
    "authentication_codes",
    "error_enums",
    "field_error_codes",
    "hazina_packages",
    "operation_errors",
]

# The view's own checks that run before any handler: a 404 from them needs an object named in
# the path (the chama of chamas/{chama_id}/...).
VIEW_LAYERS = ("initial", "get_queryset", "get_object")


@dataclass(frozen=True)
class OperationErrors:
    raises: frozenset[Raise]
    unresolved: frozenset[tuple[str, int]]  # errors made from a value with no code in reach

    def codes(self, status: int) -> set[str]:
        return {str(r.code) for r in self.raises if r.status == status}


_WALKS: dict[frozenset[str], Walk] = {}


def _walk(packages: frozenset[str]) -> Walk:
    if packages not in _WALKS:
        _WALKS[packages] = Walk(packages)
    return _WALKS[packages]


def _method(cls: type, name: str) -> Root | None:
    member = class_member(cls, name, cls, bound=True)
    return (member.func, member.owner, None) if isinstance(member, Method) else None


def _serializer_class(view: Any) -> type | None:
    try:
        found = view.get_serializer_class()
    except (AssertionError, AttributeError):
        return None
    return found if isinstance(found, type) else None


def operation_errors(view: Any, method: str, *, path_has_parameters: bool) -> OperationErrors:
    """What an API operation (``view`` as the schema generator sets it up, its action
    chosen) can answer."""
    cls = type(view)
    handler = class_member(cls, getattr(view, "action", None) or method.lower(), cls, bound=True)
    authenticators: list[type] = [type(a) for a in view.get_authenticators()]
    serializer = _serializer_class(view)
    walk = _walk(framework_packages([cls, *authenticators, *([serializer] if serializer else [])]))

    roots: list[Root | None] = [
        (handler.func, cls, method) if isinstance(handler, Method) else None,
        *(_method(a, "authenticate") for a in authenticators),
        *(_method(type(p), "parse") for p in view.get_parsers()),
    ]
    if serializer is not None:
        roots += [(h.func, h.owner, None) for h in walk.serializer_hooks(serializer)]
    facts = walk.roots(r for r in roots if r is not None)
    layers = walk.roots(r for r in (_method(cls, name) for name in VIEW_LAYERS) if r)
    facts.raises |= {r for r in layers.raises if path_has_parameters or r.status != 404}
    facts.loose |= layers.loose
    return _settled(facts, walk)


def _settled(facts: Facts, walk: Walk) -> OperationErrors:
    unresolved = set(walk.unresolved)
    settled = set()
    for r in facts.raises:
        if isinstance(r.code, str):
            settled.add(Raise(r.status, r.code, r.field if isinstance(r.field, str) else None))
        else:
            unresolved.add(("(an operation's root)", r.status))
    return OperationErrors(frozenset(settled), frozenset(unresolved))


def authentication_codes(classes: Iterable[type]) -> set[str]:
    """The 401 codes the authentication ``classes`` answer (a token expired, a user gone)."""
    classes = list(classes)
    walk = _walk(framework_packages(classes))
    facts = walk.roots(r for r in (_method(cls, "authenticate") for cls in classes) if r)
    return {str(r.code) for r in facts.raises if r.status == 401 and isinstance(r.code, str)}


def field_error_codes(field: serializers.Field) -> set[str]:
    """The codes a request field of a Hazina class adds to DRF's own (a phone number that is
    not Kenyan): what its validation methods raise, as a 400 about that field."""
    cls = type(field)
    walk = _walk(framework_packages([cls]))
    roots = [_method(cls, name) for name in ("to_internal_value", "run_validation")]
    facts = walk.roots(r for r in roots if r is not None)
    return {str(r.code) for r in facts.raises if r.status == 400 and isinstance(r.code, str)}
