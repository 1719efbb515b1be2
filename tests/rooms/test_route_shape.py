"""The forum's route modules only parse, call one command or query, and format:
no SQL, no models, no transactions, no policy loaders, and short bodies."""

from __future__ import annotations

import ast
import statistics
from pathlib import Path

import forum_server

ROOMS = Path(forum_server.__file__).parent / "rooms"
ROUTE_MODULES = [ROOMS / "api.py", *sorted((ROOMS / "pages").glob("*.py"))]


def _imports(tree: ast.Module) -> list[str]:
    names = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            names += [f"{node.module}.{alias.name}" for alias in node.names]
        elif isinstance(node, ast.Import):
            names += [alias.name for alias in node.names]
    return names


def _routes(tree: ast.Module) -> list[ast.AsyncFunctionDef]:
    """Module-level handlers: `async def name(request: Request) -> Response`."""
    return [
        node
        for node in tree.body
        if isinstance(node, ast.AsyncFunctionDef)
        and [a.arg for a in node.args.args] == ["request"]
        and ast.unparse(node.returns or ast.Constant(None)) == "Response"
    ]


def _body_lines(route: ast.AsyncFunctionDef) -> int:
    body = route.body
    if isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
        body = body[1:]  # the docstring
    end = body[-1].end_lineno
    assert end is not None
    return end - body[0].lineno + 1


def test_route_modules_leave_data_and_decisions_to_commands_and_queries():
    for path in ROUTE_MODULES:
        tree = ast.parse(path.read_text())
        for name in _imports(tree):
            assert not name.startswith("sqlalchemy"), (path.name, name)
            assert ".models." not in name and not name.endswith(".models"), (path.name, name)
            assert not name.endswith("UnitOfWork"), (path.name, name)
            assert not name.startswith("forum_server.policy.load_"), (path.name, name)
        calls = [n.func for n in ast.walk(tree) if isinstance(n, ast.Call)]
        named = {c.id if isinstance(c, ast.Name) else getattr(c, "attr", "") for c in calls}
        assert not {n for n in named if n.startswith("load_")}, path.name
        assert "write" not in named, path.name  # no db.write(): commands open their own


def test_route_bodies_are_short():
    lengths = [
        _body_lines(route)
        for path in ROUTE_MODULES
        for route in _routes(ast.parse(path.read_text()))
    ]
    assert len(lengths) > 20
    assert max(lengths) <= 25
    assert statistics.median(lengths) <= 7
