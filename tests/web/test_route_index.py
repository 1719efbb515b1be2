"""The route index finds the very route Starlette's linear search would."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from starlette.routing import BaseRoute, Match

from forum_server.app import create_app
from forum_server.web.route_index import IndexedRouter, RouteIndex
from tests.helpers import make_settings


def sample_paths(routes: list[BaseRoute]) -> list[str]:
    paths = {"/", "/nope", "/nope/", "/static/forum.css", "/static", "/api", "/api/v1/nope"}
    for route in routes:
        path = getattr(route, "path", "")
        path = re.sub(r"\{[^}:]+:int\}", "12", path)
        path = re.sub(r"\{[^}:]+:path\}", "a/b.txt", path)
        path = re.sub(r"\{[^}]+\}", "some-slug", path)
        paths.update({path, path + "/", path.rstrip("/") or "/"})
    return sorted(paths)


def first_match(routes: tuple[BaseRoute, ...] | list[BaseRoute], path: str, method: str) -> object:
    scope = {"type": "http", "path": path, "method": method, "root_path": ""}
    partial = None
    for route in routes:
        match, _ = route.matches(scope)
        if match is Match.FULL:
            return route
        if match is Match.PARTIAL and partial is None:
            partial = route
    return partial


@pytest.mark.parametrize("method", ["GET", "POST"])
def test_every_path_finds_the_route_the_linear_search_finds(tmp_path: Path, method: str):
    app = create_app(make_settings(tmp_path, f"sqlite+aiosqlite:///{tmp_path}/x.db"))
    assert isinstance(app.router, IndexedRouter)
    routes = app.router.routes
    index = RouteIndex(routes)
    paths = sample_paths(routes)
    assert len(paths) > 300
    for path in paths:
        assert first_match(index.candidates(path), path, method) is first_match(
            routes, path, method
        ), path
