"""The package layers, read from the source (AST), so a wrong import fails here, not in a cycle later.

1. `app.tenancy` (the tenancy mechanism) is the lowest floor: every package may use it, and it
   imports nothing of the app but itself and `app.extensions`, at module level or inside a
   function.
2. No domain package imports a blueprint: `app/<package>` (everything but `app/blueprints`
   and the factory `app/__init__.py`, which registers them) never imports `app.blueprints`.
3. A blueprint parses, calls an operation, renders (see `test_blueprints_run_no_queries_outside_views`).
"""
from __future__ import annotations

import ast
from pathlib import Path

from tests.helpers.source import APP, imported_modules

#: What the mechanism may import from the app.
TENANCY_MAY_IMPORT = ("app.tenancy", "app.extensions")


def _within(module: str, prefixes) -> bool:
    return any(module == p or module.startswith(p + ".") for p in prefixes)


def tenancy_violations(root: Path = APP) -> list[str]:
    """Imports of the app, other than the allowed ones, anywhere under `<root>/tenancy`."""
    bad = []
    for path in sorted((root / "tenancy").rglob("*.py")):
        for line, module in imported_modules(path, root):
            if _within(module, ("app",)) and module != "app" and not _within(module, TENANCY_MAY_IMPORT):
                # `from app.tenancy import x` also yields "app.tenancy.x": allowed by prefix.
                bad.append(f"{path.relative_to(root.parent)}:{line} imports {module}")
    return bad


def blueprint_importers(root: Path = APP) -> list[str]:
    """Modules outside `<root>/blueprints` (and the factory) that import a blueprint module."""
    bad = []
    for path in sorted(root.rglob("*.py")):
        rel = path.relative_to(root)
        if rel.parts[0] == "blueprints" or rel == Path("__init__.py"):
            continue
        for line, module in imported_modules(path, root):
            if _within(module, ("app.blueprints",)):
                bad.append(f"{path.relative_to(root.parent)}:{line} imports {module}")
    return bad


def test_tenancy_imports_no_domain_package():
    assert (APP / "tenancy" / "context.py").exists()
    assert tenancy_violations() == []


def test_no_domain_package_imports_a_blueprint():
    assert blueprint_importers() == []


def _fake_app(tmp_path: Path, files: dict[str, str]) -> Path:
    root = tmp_path / "app"
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    return root


def test_the_checks_see_nested_relative_and_package_imports(tmp_path):
    """The walker is not fooled by an import inside a function, a relative one, or `from app import x`."""
    root = _fake_app(tmp_path, {
        "__init__.py": "from app.blueprints import auth\n",
        "tenancy/__init__.py": "",
        "tenancy/ok.py": "from app.extensions import db\nfrom app.tenancy.models import Tenant\nfrom . import keys\n",
        "tenancy/nested.py": "def f():\n    from app.platform.models import TenantAlias\n",
        "tenancy/relative.py": "from ..casework import models\n",
        "tenancy/package.py": "from app import org\n",
        "casework/steps.py": "def f():\n    import app.blueprints.cases.routes\n",
    })
    assert tenancy_violations(root) == [
        "app/tenancy/nested.py:2 imports app.platform.models",
        "app/tenancy/nested.py:2 imports app.platform.models.TenantAlias",
        "app/tenancy/package.py:1 imports app.org",
        "app/tenancy/relative.py:1 imports app.casework",
        "app/tenancy/relative.py:1 imports app.casework.models",
    ]
    assert blueprint_importers(root) == ["app/casework/steps.py:2 imports app.blueprints.cases.routes"]


#: Session calls that run a query (`db.session.get`, a lookup by primary key, is not one of them).
QUERY_CALLS = {"execute", "scalar", "scalars", "query"}
VIEW_DECORATORS = {"get", "post", "put", "patch", "delete", "route"}


def _is_view(func: ast.FunctionDef) -> bool:
    for deco in func.decorator_list:
        target = deco.func if isinstance(deco, ast.Call) else deco
        if isinstance(target, ast.Attribute) and target.attr in VIEW_DECORATORS:
            return True
    return False


def _runs_query(func: ast.FunctionDef) -> bool:
    for node in ast.walk(func):
        if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in QUERY_CALLS
                and isinstance(node.func.value, ast.Attribute) and node.func.value.attr == "session"):
            return True
    return False


def _aborts_404(func: ast.FunctionDef) -> bool:
    return any(isinstance(node, ast.Call) and getattr(node.func, "id", None) == "abort"
               and node.args and getattr(node.args[0], "value", None) == 404 for node in ast.walk(func))


def blueprint_queries(root: Path = APP) -> list[str]:
    """Functions of blueprint modules that run a query without being a view or a load-or-404."""
    bad = []
    for path in sorted((root / "blueprints").rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and not _is_view(node) \
                    and _runs_query(node) and not _aborts_404(node):
                bad.append(f"{path.relative_to(root.parent)}:{node.lineno} {node.name}")
    return bad


def test_blueprints_run_no_queries_outside_views():
    """Blueprints parse, call one operation, render; queries and operations live in their domain package.

    The rule, as checked: in a module under `app/blueprints`, a function that runs a query
    (`db.session.execute/scalar/scalars/query`) is a view (decorated `@bp.get/post/put/patch/
    delete/route`) or a load-or-404 helper (it calls `abort(404)`: loading the row a URL names
    is parsing the request). Any other reading belongs in `app/<domain>/`. `db.session.get`, a
    lookup by primary key, is not counted. A view may still query (kept small by review, not
    by this test); helper modules left in a blueprint (`common.py`, `draft_page.py`,
    `receipts.py`…) are rendering helpers.
    """
    assert blueprint_queries() == []


def test_the_blueprint_check_sees_a_query_in_a_helper(tmp_path):
    root = _fake_app(tmp_path, {"blueprints/x/routes.py": (
        "@bp.get('/')\ndef view():\n    return db.session.scalars(q)\n\n"
        "def load(i):\n    row = db.session.scalar(q)\n    if row is None:\n        abort(404)\n    return row\n\n"
        "def helper():\n    return db.session.execute(q).all()\n\n"
        "def by_key(i):\n    return db.session.get(M, i)\n")})
    assert blueprint_queries(root) == ["app/blueprints/x/routes.py:11 helper"]
