"""House rules that `make lint` checks beside ruff, mypy and import-linter.

- Reads go through selectors: no ``<Model>.objects`` in an app's ``api/`` package.
- Rooms stay small: no module of app code (migrations aside) past ``MAX_MODULE_LINES``.

``python -m tools.house_rules`` prints each breach as ``path:line: message`` and exits 1.
"""

import ast
import sys
from collections.abc import Iterator
from pathlib import Path

APPS = ("config", "core", "accounts", "groups", "finance", "governance", "investments", "mpesa")
MAX_MODULE_LINES = 450


def app_modules(root: Path) -> Iterator[Path]:
    for app in APPS:
        for path in sorted((root / app).rglob("*.py")):
            if "migrations" not in path.relative_to(root).parts:
                yield path


def queries_in_api(path: Path, root: Path) -> Iterator[str]:
    if "api" not in path.relative_to(root).parts:
        return
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.Attribute) and node.attr == "objects":
            yield (
                f"{path.relative_to(root)}:{node.lineno}: a query in the API layer; "
                "read through a selector"
            )


def oversized(path: Path, root: Path) -> Iterator[str]:
    lines = len(path.read_text().splitlines())
    if lines > MAX_MODULE_LINES:
        yield (
            f"{path.relative_to(root)}:1: {lines} lines, over {MAX_MODULE_LINES}; "
            "split it along its verb families"
        )


def breaches(root: Path) -> list[str]:
    return [
        breach
        for path in app_modules(root)
        for rule in (queries_in_api, oversized)
        for breach in rule(path, root)
    ]


def main() -> int:
    found = breaches(Path(__file__).resolve().parent.parent)
    for breach in sorted(found):
        print(breach)
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
