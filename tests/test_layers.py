"""The layers hold: routes parse, call one command or query and format; only the policy
decides who may do what; forum code stands without moderation."""

from __future__ import annotations

import ast
import statistics
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "forum_server"
MODULES = {
    p.relative_to(PACKAGE).as_posix(): ast.parse(p.read_text()) for p in PACKAGE.rglob("*.py")
}


def is_route_module(name: str) -> bool:
    stem = name.rsplit("/", 1)[-1].removesuffix(".py")
    return not name.startswith("web/") and (
        "/pages/" in name or stem in {"api", "pages"} or stem.endswith(("_api", "_pages"))
    )


ROUTES = sorted(name for name in MODULES if is_route_module(name))
STARLETTE_ALLOWED = {"app.py", "cli.py", "live/endpoint.py", "live/stream.py"}
FORUM_CODE = ("rooms/", "live/", "policy/", "events.py", "audit.py", "db.py")


def imported(tree: ast.Module) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
    return names


def test_the_route_modules_are_found() -> None:
    assert len(ROUTES) >= 8, ROUTES


@pytest.mark.parametrize("name", ROUTES)
def test_routes_reach_storage_only_through_commands_and_queries(name: str) -> None:
    tree = MODULES[name]
    forbidden = {
        n
        for n in imported(tree)
        if n.split(".")[0] == "sqlalchemy" or n.endswith((".models", "UnitOfWork"))
    }
    assert not forbidden, f"{name} imports {sorted(forbidden)}"
    loads = [
        node.lineno
        for node in ast.walk(tree)
        if isinstance(node, ast.Call)
        and (getattr(node.func, "id", "") or getattr(node.func, "attr", "")).startswith("load_")
    ]
    assert not loads, f"{name} loads through the policy itself on lines {loads}"


@pytest.mark.parametrize("name", sorted(MODULES))
def test_only_the_web_layer_knows_starlette(name: str) -> None:
    if is_route_module(name) or name.startswith("web/") or name in STARLETTE_ALLOWED:
        return
    assert not any(n.startswith("starlette") for n in imported(MODULES[name])), name


@pytest.mark.parametrize("name", sorted(MODULES))
def test_only_the_policy_decides_by_role(name: str) -> None:
    """The caller's role or secretariat standing decides nothing outside the policy (a
    rule about the data, such as a space keeping an owner, may read a member's role)."""
    if name.startswith("policy/"):
        return
    decisions: list[int] = []
    for node in ast.walk(MODULES[name]):
        tests = [node.test] if isinstance(node, ast.If | ast.IfExp | ast.While) else []
        tests += [node.test] if isinstance(node, ast.Assert) else []
        for test in tests:
            decisions += [
                n.lineno
                for n in ast.walk(test)
                if isinstance(n, ast.Attribute)
                and n.attr in {"is_secretariat", "role"}
                and any(word in ast.unparse(n.value) for word in ("actor", "access"))
            ]
    assert not decisions, f"{name} decides by role or secretariat on lines {decisions}"


@pytest.mark.parametrize("name", [n for n in sorted(MODULES) if n.startswith(FORUM_CODE)])
def test_forum_code_does_not_import_moderation(name: str) -> None:
    found = {n for n in imported(MODULES[name]) if n.startswith("forum_server.moderation")}
    assert not found, f"{name} imports {sorted(found)}"


def route_bodies() -> dict[str, int]:
    """Lines of every route handler: an async function taking the request."""
    sizes: dict[str, int] = {}
    for name in ROUTES:
        for node in ast.walk(MODULES[name]):
            if isinstance(node, ast.AsyncFunctionDef) and [a.arg for a in node.args.args] == [
                "request"
            ]:
                first = node.body[0]
                if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
                    first = node.body[1] if len(node.body) > 1 else first  # skip the docstring
                end = node.end_lineno or node.lineno
                sizes[f"{name}:{node.name}"] = end - first.lineno + 1
    return sizes


def test_route_bodies_are_short() -> None:
    sizes = route_bodies()
    assert len(sizes) >= 40
    assert statistics.median(sizes.values()) <= 7, statistics.median(sizes.values())
    long = {name: n for name, n in sizes.items() if n > 25}
    assert not long, long
