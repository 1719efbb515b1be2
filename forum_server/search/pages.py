"""The search page: a form that works without JavaScript, its results a page at a
time (a link carries the cursor), and the same search language as the API."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from forum_server.db import Database
from forum_server.errors import Invalid
from forum_server.i18n import LANGUAGES
from forum_server.policy import Actor
from forum_server.search import queries
from forum_server.search.query import FILTERS
from forum_server.web.auth import actor_of
from forum_server.web.context import app_context

FIELDS = ("q", *FILTERS, "order")


async def _results(
    db: Database, actor: Actor, typed: dict[str, str], cursor: str | None
) -> dict[str, Any]:
    """The page's context: the results, or why the search cannot be made."""
    try:
        async with db.read() as session:
            query, page = await queries.search(
                session,
                actor,
                typed["q"],
                {name: typed[name] for name in FILTERS},
                order=typed["order"] or queries.NEWEST,
                cursor=cursor,
            )
    except Invalid as error:
        return {"error": error, "searched": False, "hits": [], "next_url": None}
    following = None
    if page.next is not None:
        kept = {name: value for name, value in typed.items() if value}
        following = "/search?" + urlencode({**kept, "cursor": page.next})
    return {"error": None, "searched": not query.empty, "hits": page.hits, "next_url": following}


async def search_page(request: Request) -> Response:
    ctx, actor = app_context(request), await actor_of(request)
    typed = {name: request.query_params.get(name, "").strip() for name in FIELDS}
    context = await _results(ctx.db, actor, typed, request.query_params.get("cursor"))
    context.update(
        typed=typed,
        search_q=typed["q"],
        languages_offered=[(code, language.native_name) for code, language in LANGUAGES.items()],
    )
    status = 422 if context["error"] else 200
    return await ctx.templates.page(request, "search/search.html", context, status=status)


routes = [Route("/search", search_page, methods=["GET"])]
