"""Reading one function's source for the errors it makes, following what it references."""

import ast
import builtins
import importlib
import inspect
import textwrap
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from rest_framework import exceptions, serializers

from core.api.error_codes.syntax import constant_keys, keyword, looped, method_branch
from core.api.error_codes.values import (
    ANY_FIELD,
    Binding,
    Facts,
    Instance,
    Method,
    Param,
    Raise,
    Super,
    class_member,
    status_of,
    unwrap,
)
from core.exceptions import CoreError, DomainError, ErrorCode

if TYPE_CHECKING:
    from core.api.error_codes.walk import Walk


class Reader:
    """One function's source, with what its names mean."""

    def __init__(self, walk: "Walk", func: Any, owner: type | None, method: str | None) -> None:
        self.walk, self.func, self.owner, self.method = walk, func, owner, method
        self.facts = Facts()
        self.consumed: set[int] = set()  # nodes read as an error's code
        self.filed_under: set[str] = set()  # keys of a ValidationError({key: caught}) raised
        self.called: set[int] = set()  # nodes that are the callee of a call
        self.parents: dict[int, ast.AST] = {}
        self.signature = inspect.signature(func)
        self.params = list(self.signature.parameters)
        self.local_types: dict[str, type] = {}
        self.local_values: dict[str, Any] = {}
        self.locals: set[str] = set()
        self.node = self._parse()
        self.defining = self._defining_class()

    def _parse(self) -> ast.FunctionDef | ast.AsyncFunctionDef | None:
        try:
            tree = ast.parse(textwrap.dedent(inspect.getsource(self.func)))
        except (OSError, TypeError, SyntaxError):
            return None
        node = tree.body[0] if tree.body else None
        return node if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) else None

    def _defining_class(self) -> type | None:
        for cls in self.owner.__mro__ if self.owner else ():
            for raw in vars(cls).values():
                inner = getattr(raw, "__func__", getattr(raw, "fget", raw))
                if unwrap(inner) is self.func:
                    return cls
        return None

    def read(self) -> Facts:
        if self.node is None:
            return self.facts
        for node in ast.walk(self.node):
            for child in ast.iter_child_nodes(node):
                self.parents[id(child)] = node
        self._read_locals()
        self._visit_block(self.node.body)
        return self._resolved()

    def _resolved(self) -> Facts:
        """Errors made from a value here take each code referenced by this function and what
        it calls (a reason's code, a code chosen in a branch). A serializer's
        ``validate_<name>`` files its errors under ``name``, as DRF does, and a hook that
        re-raises what it caught under one key (``{"password": ...}``) files them there."""
        made = {r for r in self.facts.raises if r.code is None}
        for r in made:
            if not self.facts.loose:
                self.walk.unresolved.add((self.func.__qualname__, r.status))
            self.facts.raises.update(Raise(r.status, c, r.field) for c in self.facts.loose)
        self.facts.raises -= made
        name = self.func.__name__
        if (
            self.owner
            and issubclass(self.owner, serializers.BaseSerializer)
            and name.startswith("validate_")
        ):
            self.filed_under = {name.removeprefix("validate_")}
        if len(self.filed_under) == 1:
            (key,) = self.filed_under
            self.facts.raises = {
                Raise(r.status, r.code, key if r.field == ANY_FIELD else r.field)
                for r in self.facts.raises
            }
        return self.facts

    # What names mean --------------------------------------------------------------------

    def _read_locals(self) -> None:
        assert self.node is not None
        for name, hint in inspect.get_annotations(self.func).items():
            if isinstance(hint, type) and name != "return":
                self.local_types[name] = hint
        for node in ast.walk(self.node):
            if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
                self.locals.add(node.id)
            elif isinstance(node, ast.arg):
                self.locals.add(node.arg)
            elif isinstance(node, ast.ExceptHandler) and node.name:
                self.locals.add(node.name)
            elif isinstance(node, ast.Import | ast.ImportFrom):
                self._read_import(node)
        for node in ast.walk(self.node):
            if (
                isinstance(node, ast.Assign)
                and len(node.targets) == 1
                and isinstance(node.targets[0], ast.Name)
                and isinstance(node.value, ast.Call)
                and isinstance(made := self.resolve(node.value.func), type)
            ):
                self.local_types[node.targets[0].id] = made

    def _read_import(self, node: ast.Import | ast.ImportFrom) -> None:
        for alias in node.names:
            try:
                if isinstance(node, ast.ImportFrom) and node.module:
                    value = getattr(importlib.import_module(node.module), alias.name)
                else:
                    value = importlib.import_module(alias.name)
            except (ImportError, AttributeError):
                continue
            self.local_values[alias.asname or alias.name.split(".")[0]] = value

    def resolve(self, node: ast.AST) -> Any:
        """What ``node`` names, when the walk can tell; else None."""
        if isinstance(node, ast.Name):
            return self._resolve_name(node.id)
        if isinstance(node, ast.Attribute):
            return self._attribute(self.resolve(node.value), node.attr)
        if isinstance(node, ast.Call):
            if isinstance(node.func, ast.Name) and node.func.id == "super":
                if self.owner is not None and self.defining is not None:
                    return Super(self.owner, self.defining)
                return None
            made = self.resolve(node.func)
            return Instance(made) if isinstance(made, type) else None
        return None

    def _resolve_name(self, name: str) -> Any:
        if name in self.local_values:
            return self.local_values[name]
        if name in self.local_types:
            return Instance(self.local_types[name])
        if self.owner is not None and self.params and name == self.params[0]:
            return self.owner if name == "cls" else Instance(self.owner)
        if name in self.locals:
            return None
        closure = inspect.getclosurevars(self.func).nonlocals
        if name in closure:
            return closure[name]
        if name in self.func.__globals__:
            return self.func.__globals__[name]
        return getattr(builtins, name, None)

    def _attribute(self, base: Any, name: str) -> Any:
        if inspect.ismodule(base):
            return getattr(base, name, None)
        if isinstance(base, Super):
            mro = base.owner.__mro__
            for cls in mro[mro.index(base.after) + 1 :]:
                if name in vars(cls):
                    return class_member(cls, name, base.owner, bound=True)
            return None
        if isinstance(base, Instance):
            return class_member(base.cls, name, base.cls, bound=True)
        if isinstance(base, type):
            return class_member(base, name, base, bound=False)
        return None

    # What values an error's field or code can be --------------------------------------------

    def values(
        self, node: ast.AST | None, *, code: bool, seen: frozenset[str] = frozenset()
    ) -> set[Any]:
        """The strings ``node`` can be: a literal, a parameter (read at each call), a name set
        from such values or looped over a literal table, a member of an error enum; else the
        unknown (None for a code, ANY_FIELD for a field)."""
        unknown = None if code else ANY_FIELD
        if node is None:
            return {None}
        if isinstance(node, ast.Constant):
            return {node.value} if isinstance(node.value, str) else {None}
        if isinstance(node, ast.IfExp):
            return self.values(node.body, code=code, seen=seen) | self.values(
                node.orelse, code=code, seen=seen
            )
        if isinstance(node, ast.Name) and node.id not in seen:
            if node.id in self.params:
                return {Param(node.id)}
            found = self._assigned(node.id, code=code, seen=seen | {node.id})
            if found:
                return found
        target = self.resolve(node) if code else None
        return {target.value} if isinstance(target, ErrorCode) else {unknown}

    def _assigned(self, name: str, *, code: bool, seen: frozenset[str]) -> set[Any]:
        assert self.node is not None
        found: set[Any] = set()
        for node in ast.walk(self.node):
            if isinstance(node, ast.Assign) and any(
                isinstance(t, ast.Name) and t.id == name for t in node.targets
            ):
                found |= self.values(node.value, code=code, seen=seen)
            elif isinstance(node, ast.For) and isinstance(node.iter, ast.Tuple | ast.List):
                found |= looped(node.target, node.iter, name)
        return found

    # Visiting --------------------------------------------------------------------------------

    def _visit_block(self, statements: list[ast.stmt]) -> None:
        """A handler serving several HTTP methods reads only its operation's branch of
        ``if request.method == ...``, and stops where that branch returns."""
        for statement in statements:
            taken = None
            if isinstance(statement, ast.If) and self.method is not None:
                taken = method_branch(statement.test, self.method)
            if taken is None or not isinstance(statement, ast.If):
                self._visit(statement)
                continue
            branch = statement.body if taken else statement.orelse
            self._visit_block(branch)
            if branch and isinstance(branch[-1], ast.Return | ast.Raise):
                return

    def _visit(self, node: ast.AST) -> None:
        if isinstance(node, ast.Call):
            self.called.add(id(node.func))
            self._call(node)
        elif (
            isinstance(node, ast.Name | ast.Attribute)
            and isinstance(node.ctx, ast.Load)
            and id(node) not in self.called
            and id(node) not in self.consumed
        ):
            self._reference(node)
        for child in ast.iter_child_nodes(node):
            self._visit(child)

    def _reference(self, node: ast.AST) -> None:
        target = self.resolve(node)
        if isinstance(target, ErrorCode):
            self.facts.loose.add(target.value)
        elif isinstance(target, type):
            self._made(target)  # a class handed on (a body's serializer): it may be made
        elif target is not None:
            self._follow(target, None)  # a function handed on: it may be called

    def _call(self, node: ast.Call) -> None:
        target = self.resolve(node.func)
        if isinstance(target, type):
            if target is exceptions.ErrorDetail:
                self._error_detail(node)
            elif (status := status_of(target)) is not None:
                self._error(node, target, status)
            else:
                self._made(target)
        elif target is not None:
            self._follow(target, node)

    def _follow(self, target: Any, call: ast.Call | None) -> None:
        if (known := self.walk.known_raises(target)) is not None:
            self.facts.raises |= known
            return
        owner, bound = None, False
        if isinstance(target, Method):
            target, owner, bound = target.func, target.owner, target.bound
        target = unwrap(target)
        if not inspect.isfunction(target) or not self.walk.covers(target):
            return
        facts = self.walk.function(target, owner)
        self.facts.add(
            facts,
            self._binding(target, call, bound, code=False),
            self._binding(target, call, bound, code=True),
        )

    def _binding(self, func: Any, call: ast.Call | None, bound: bool, *, code: bool) -> Binding:
        parameters = list(inspect.signature(func).parameters.values())[1 if bound else 0 :]
        given: dict[str, ast.AST] = {}
        if call is not None:
            positional = [
                p for p in parameters if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)
            ]
            for parameter, arg in zip(positional, call.args, strict=False):
                if isinstance(arg, ast.Starred):
                    break
                given[parameter.name] = arg
            given.update({k.arg: k.value for k in call.keywords if k.arg})
        binding: Binding = {}
        for parameter in parameters:
            if parameter.name in given:
                binding[parameter.name] = self.values(given[parameter.name], code=code)
            elif isinstance(parameter.default, str):
                binding[parameter.name] = {parameter.default}
        return binding

    def _made(self, cls: type) -> None:
        """A class made here: its own construction, and a serializer's validation hooks."""
        for name in ("__init__", "__post_init__"):
            member = class_member(cls, name, cls, bound=True)
            if member is not None:
                self._follow(member, None)
        if issubclass(cls, serializers.BaseSerializer):
            for hook in self.walk.serializer_hooks(cls):
                self._follow(hook, None)

    def _error(self, node: ast.Call, cls: type, status: int) -> None:
        about_a_field = issubclass(cls, exceptions.ValidationError | DjangoValidationError)
        if issubclass(cls, DomainError):
            code_node = node.args[0] if node.args else None
            fields = self.values(keyword(node, "field"), code=False)
        else:
            code_node = keyword(node, "code") or (node.args[1] if len(node.args) > 1 else None)
            fields = {ANY_FIELD if about_a_field else None}
        if code_node is None:
            if about_a_field:  # its codes are its details' own (ErrorDetail, what it caught)
                self.filed_under |= constant_keys(node.args[0] if node.args else None)
                return
            default = getattr(cls, "default_code", None)  # an APIException's
            code = CoreError.NOT_FOUND.value if issubclass(cls, Http404) else default
            codes: set[Any] = {str(code)}
        else:
            self.consumed.add(id(code_node))
            codes = self.values(code_node, code=True)
        self.facts.raises.update(Raise(status, c, f) for c in codes for f in fields)

    def _error_detail(self, node: ast.Call) -> None:
        code_node = keyword(node, "code") or (node.args[1] if len(node.args) > 1 else None)
        if code_node is not None:
            self.consumed.add(id(code_node))
            field = self._dict_key(node)
            self.facts.raises.update(
                Raise(400, c, field) for c in self.values(code_node, code=True)
            )

    def _dict_key(self, node: ast.AST) -> str:
        """The key an error detail is filed under ({"to": [detail]}), or ANY_FIELD."""
        child, parent = node, self.parents.get(id(node))
        while isinstance(parent, ast.List | ast.Tuple):
            child, parent = parent, self.parents.get(id(parent))
        if isinstance(parent, ast.Dict):
            for key, value in zip(parent.keys, parent.values, strict=True):
                if value is child and isinstance(key, ast.Constant) and isinstance(key.value, str):
                    return key.value
        return ANY_FIELD
