"""Reading plain syntax: a call's keyword, a loop over a literal table, a test of the HTTP
method."""

import ast
from typing import Any

from core.api.error_codes.values import ANY_FIELD


def keyword(node: ast.Call, name: str) -> ast.expr | None:
    return next((k.value for k in node.keywords if k.arg == name), None)


def looped(target: ast.AST, table: ast.Tuple | ast.List, name: str) -> set[Any]:
    """``for field, ... in (("a", ...), ("b", ...))``: the strings ``name`` takes."""
    if isinstance(target, ast.Name):
        index = None if target.id == name else -1
    elif isinstance(target, ast.Tuple):
        names = [t.id if isinstance(t, ast.Name) else None for t in target.elts]
        index = names.index(name) if name in names else -1
    else:
        return set()
    if index == -1:
        return set()
    found: set[Any] = set()
    for row in table.elts:
        item = row if index is None else (row.elts[index] if isinstance(row, ast.Tuple) else None)
        ok = isinstance(item, ast.Constant) and isinstance(item.value, str)
        found.add(item.value if ok else ANY_FIELD)  # type: ignore[union-attr]
    return found


def method_branch(test: ast.AST, method: str) -> bool | None:
    """``request.method == "GET"`` (or ``!=``) read for the operation's HTTP method; None when
    the test is anything else."""
    if not (
        isinstance(test, ast.Compare)
        and isinstance(test.left, ast.Attribute)
        and test.left.attr == "method"
        and len(test.ops) == 1
        and isinstance(test.comparators[0], ast.Constant)
    ):
        return None
    same = str(test.comparators[0].value).upper() == method.upper()
    if isinstance(test.ops[0], ast.Eq):
        return same
    return not same if isinstance(test.ops[0], ast.NotEq) else None


def constant_keys(node: ast.AST | None) -> set[str]:
    """The keys of ``{"password": get_error_detail(exc)}`` that file details made elsewhere
    (not an ``ErrorDetail`` made here, which knows its own key)."""
    if not isinstance(node, ast.Dict):
        return set()
    keys = set()
    for key, value in zip(node.keys, node.values, strict=True):
        made_here = isinstance(value, ast.List | ast.Tuple) or (
            isinstance(value, ast.Call) and "ErrorDetail" in ast.unparse(value.func)
        )
        if isinstance(key, ast.Constant) and isinstance(key.value, str) and not made_here:
            keys.add(key.value)
    return keys
