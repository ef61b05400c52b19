"""The test suite's own rule: a test module never imports another test module.

What several modules share lives in tests/conftest.py and tests/unit/conftest.py (fixtures),
tests/factories.py and tests/helpers/ (functions and constants), or tests/e2e/casework_walker.py.
Importing a test module would also import (and, for autouse fixtures, apply) its fixtures and
tie the modules' order together.
"""
from __future__ import annotations

import ast
from pathlib import Path

TESTS = Path(__file__).resolve().parents[1]


def imports_of_test_modules(root: Path = TESTS) -> list[str]:
    """`file:line module` for each import of a `test_*` module anywhere under `root`."""
    found = []
    for path in sorted(root.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
            names = ([a.name for a in node.names] if isinstance(node, ast.Import)
                     else [node.module or ""] if isinstance(node, ast.ImportFrom) else [])
            for name in names:
                if name.split(".")[-1].startswith("test_") or ".test_" in name:
                    found.append(f"{path.relative_to(root.parent)}:{node.lineno} {name}")
    return found


def test_no_imports_of_test_modules_another():
    assert imports_of_test_modules() == []


def test_the_check_finds_an_import_of_a_test_module(tmp_path):
    (tmp_path / "unit").mkdir()
    (tmp_path / "unit" / "test_a.py").write_text("def helper():\n    return 1\n", encoding="utf-8")
    (tmp_path / "unit" / "test_b.py").write_text(
        "import os\n\n\ndef test_b():\n    from tests.unit.test_a import helper\n    assert helper()\n",
        encoding="utf-8")
    (tmp_path / "helpers.py").write_text("import tests.unit.test_a as a\n", encoding="utf-8")
    assert imports_of_test_modules(tmp_path) == [
        f"{tmp_path.name}/helpers.py:1 tests.unit.test_a",
        f"{tmp_path.name}/unit/test_b.py:5 tests.unit.test_a",
    ]
