"""Finding a request's route without trying every route.

Starlette's router tries its routes one by one, and the app has about three hundred:
an API route near the end cost ~120 µs of regular expressions per request, a static
file or an unknown address ~230 µs (and a 404 twice that, with the trailing-slash
retry). Most routes begin with a fixed first segment (`/api/…`, `/threads/…`), and a
path can only match the routes whose first segment is its own, or those whose first
segment is a parameter. So the routes are indexed by that segment once, and a request
tries, in their declared order, only the routes it could match: the same route wins
as before, partial matches (405) and the trailing-slash redirect included.
"""

from __future__ import annotations

from collections.abc import Sequence

from starlette._utils import get_route_path
from starlette.datastructures import URL
from starlette.responses import RedirectResponse
from starlette.routing import BaseRoute, Host, Match, Router
from starlette.types import Receive, Scope, Send

_ANY = object()  # the key of routes whose first segment is not fixed


def first_segment(path: str) -> str:
    """`/api/v1/me` → `api`; `/` → ``."""
    return path[1:].partition("/")[0]


def _key(route: BaseRoute) -> str | object:
    path = getattr(route, "path", None)
    if isinstance(route, Host) or not isinstance(path, str) or not path.startswith("/"):
        return _ANY
    segment = first_segment(path)
    # A mount at `/static` serves `/static/…`: the same first segment.
    return _ANY if "{" in segment else segment


class RouteIndex:
    """The routes each first segment may match, in their declared order."""

    def __init__(self, routes: Sequence[BaseRoute]) -> None:
        self.source = (id(routes), len(routes))
        keyed = [(_key(route), route) for route in routes]
        anywhere = [route for key, route in keyed if key is _ANY]
        self.anywhere = tuple(anywhere)
        self.by_segment: dict[str, tuple[BaseRoute, ...]] = {
            str(key): tuple(r for k, r in keyed if k is _ANY or k == key)
            for key, _ in keyed
            if key is not _ANY
        }

    def candidates(self, route_path: str) -> tuple[BaseRoute, ...]:
        return self.by_segment.get(first_segment(route_path), self.anywhere)


class IndexedRouter(Router):
    _index: RouteIndex | None = None

    def _candidates(self, route_path: str) -> tuple[BaseRoute, ...]:
        index = self._index
        if index is None or index.source != (id(self.routes), len(self.routes)):
            index = self._index = RouteIndex(self.routes)  # built again if routes changed
        return index.candidates(route_path)

    async def app(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Starlette's `Router.app`, trying only the routes the path may match."""
        assert scope["type"] in ("http", "websocket", "lifespan")
        if "router" not in scope:
            scope["router"] = self
        if scope["type"] == "lifespan":
            await self.lifespan(scope, receive, send)
            return
        route_path = get_route_path(scope)
        partial = None
        partial_scope: Scope = {}
        for route in self._candidates(route_path):
            match, child_scope = route.matches(scope)
            if match is Match.FULL:
                scope["route"] = route
                scope.update(child_scope)
                await route.handle(scope, receive, send)
                return
            if match is Match.PARTIAL and partial is None:
                partial, partial_scope = route, child_scope
        if partial is not None:
            # An endpoint that can answer, but not this method: its 405.
            scope["route"] = partial
            scope.update(partial_scope)
            await partial.handle(scope, receive, send)
            return
        if scope["type"] == "http" and self.redirect_slashes and route_path != "/":
            redirect_scope = dict(scope)
            if route_path.endswith("/"):
                redirect_scope["path"] = redirect_scope["path"].rstrip("/")
            else:
                redirect_scope["path"] = redirect_scope["path"] + "/"
            for route in self._candidates(get_route_path(redirect_scope)):
                match, _ = route.matches(redirect_scope)
                if match is not Match.NONE:
                    response = RedirectResponse(url=str(URL(scope=redirect_scope)))
                    await response(scope, receive, send)
                    return
        await self.default(scope, receive, send)
