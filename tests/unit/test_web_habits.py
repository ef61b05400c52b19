"""Web habits: paging through `db.paginate` (`app.pagination.page_of`), fetch-or-404 through
`db.one_or_404` / `db.get_or_404`, htmx headers through flask-htmx; no hand-written copies.
"""
from __future__ import annotations

import ast
import re
from pathlib import Path

APP = Path(__file__).resolve().parents[2] / "app"


def _sources(root: Path = APP):
    for path in sorted(root.rglob("*.py")):
        yield path, path.read_text(encoding="utf-8")


def _none_checked(test: ast.expr) -> set[str]:
    """Names that `test` compares with `is None` (alone or inside and/or)."""
    if isinstance(test, ast.BoolOp):
        return set().union(*(_none_checked(v) for v in test.values))
    if (isinstance(test, ast.Compare) and len(test.ops) == 1 and isinstance(test.ops[0], ast.Is)
            and isinstance(test.left, ast.Name) and isinstance(test.comparators[0], ast.Constant)
            and test.comparators[0].value is None):
        return {test.left.id}
    return set()


def _fetched(function: ast.AST) -> set[str]:
    """Names the function assigns from a database read (`db.session.…`)."""
    return {target.id for node in ast.walk(function) if isinstance(node, ast.Assign)
            and "db.session." in ast.unparse(node.value) for target in node.targets if isinstance(target, ast.Name)}


def _aborts_404(body: list[ast.stmt]) -> bool:
    call = body[0].value if len(body) == 1 and isinstance(body[0], ast.Expr) else None
    return (isinstance(call, ast.Call) and getattr(call.func, "id", "") == "abort"
            and [getattr(a, "value", None) for a in call.args] == [404])


def hand_written_404s(root: Path = APP) -> list[str]:
    """`x = db.session.…; if x is None: abort(404)`: what `db.one_or_404` / `db.get_or_404` do."""
    found = []
    for path, source in _sources(root):
        for function in ast.walk(ast.parse(source)):
            if not isinstance(function, (ast.FunctionDef, ast.AsyncFunctionDef)):
                continue
            fetched = _fetched(function)
            found += [f"{path.relative_to(root.parent)}:{node.lineno}" for node in ast.walk(function)
                      if isinstance(node, ast.If) and _none_checked(node.test) & fetched and _aborts_404(node.body)]
    return sorted(set(found))


def hand_written_pages(root: Path = APP) -> list[str]:
    """Page counts and offsets computed by hand: what `db.paginate` does."""
    pattern = re.compile(r"-\(-\w+ // |\.offset\(\(\w+ - 1\)")
    return [f"{path.relative_to(root.parent)}:{source[:m.start()].count(chr(10)) + 1}"
            for path, source in _sources(root) for m in pattern.finditer(source)]


def raw_htmx_headers(root: Path = APP / "blueprints") -> list[str]:
    """htmx response headers spelled out in a blueprint: flask_htmx.responses sets them."""
    pattern = re.compile(r"""["']HX-[A-Za-z-]+["']""")
    return [f"{path.relative_to(root.parents[1])}:{source[:m.start()].count(chr(10)) + 1}"
            for path, source in _sources(root) for m in pattern.finditer(source)]


def test_no_hand_written_fetch_or_404():
    assert hand_written_404s() == []


def test_no_hand_written_pagination():
    assert hand_written_pages() == []


def test_no_raw_htmx_headers_in_blueprints():
    assert raw_htmx_headers() == []


def test_the_guards_find_what_they_look_for(tmp_path):
    (tmp_path / "blueprints").mkdir()
    (tmp_path / "blueprints" / "copy.py").write_text(
        "def view(x_id):\n    x = db.session.get(X, x_id)\n    if x is None or x.gone:\n        abort(404)\n"
        "    pages = max(1, -(-total // 20))\n    rows = stmt.offset((page - 1) * 20)\n"
        "    return '', 200, {'HX-Retarget': '#x'}\n")
    assert len(hand_written_404s(tmp_path)) == 1
    assert len(hand_written_pages(tmp_path)) == 2
    assert len(raw_htmx_headers(tmp_path / "blueprints")) == 1


def test_a_page_past_the_end_shows_the_last_page(staff):
    client = staff("manager", "bekasi")
    page = client.get("/cases/?view=all&page=9999").get_data(as_text=True)
    last = re.search(r"Halaman (\d+) dari (\d+)", page)
    assert last is None or last.group(1) == last.group(2)
    assert client.get("/cases/?view=all&page=0").status_code == 200
    assert client.get("/settings/history?page=9999").status_code == 200
    assert staff("data_officer", "bekasi").get("/verval/updates?page=9999").status_code == 200
