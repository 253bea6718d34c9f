"""The house rules `make lint` checks (tools/house_rules.py) find what they are for."""

import json
import os
import subprocess
import sys
import tomllib
from pathlib import Path

from tools import house_rules

ROOT = Path(__file__).resolve().parent.parent


def write(root: Path, relative: str, text: str) -> None:
    path = root / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)


def test_a_query_in_a_view_is_a_breach(tmp_path):
    write(
        tmp_path, "finance/api/views/things.py", "def get(self):\n    return Thing.objects.all()\n"
    )
    write(tmp_path, "finance/selectors.py", "def thing_list():\n    return Thing.objects.all()\n")

    assert house_rules.breaches(tmp_path) == [
        "finance/api/views/things.py:2: a query in the API layer; read through a selector"
    ]


def test_an_oversized_module_is_a_breach_but_a_migration_is_not(tmp_path):
    limit = house_rules.MAX_MODULE_LINES
    write(tmp_path, "core/fits.py", "x = 1\n" * limit)
    write(tmp_path, "core/grown.py", "x = 1\n" * (limit + 1))
    write(tmp_path, "finance/migrations/0001_initial.py", "x = 1\n" * (limit + 1))

    assert house_rules.breaches(tmp_path) == [
        f"core/grown.py:1: {limit + 1} lines, over {limit}; split it along its verb families"
    ]


def test_the_layers_contract_breaks_on_an_upward_import(tmp_path):
    """Our layers contract, run on empty apps where core imports finance."""
    contracts = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["importlinter"]
    lines = ["[tool.importlinter]"]
    lines += [
        f"{key} = {json.dumps(value)}" for key, value in contracts.items() if key != "contracts"
    ]
    for contract in (c for c in contracts["contracts"] if c["type"] == "layers"):
        lines += ["[[tool.importlinter.contracts]]"]
        lines += [f"{key} = {json.dumps(value)}" for key, value in contract.items()]
    (tmp_path / "pyproject.toml").write_text("\n".join(lines) + "\n")
    for package in contracts["root_packages"]:
        write(tmp_path, f"{package}/__init__.py", "")
    write(tmp_path, "finance/selectors.py", "")
    write(tmp_path, "core/money.py", "from finance import selectors\n")

    result = subprocess.run(
        [str(Path(sys.executable).parent / "lint-imports")],
        cwd=tmp_path,
        env={**os.environ, "PYTHONPATH": str(tmp_path)},
        capture_output=True,
        text=True,
        check=False,
    )

    assert result.returncode == 1
    assert "Apps import only the layers below them BROKEN" in result.stdout
    assert "core.money -> finance.selectors" in result.stdout
