"""The search page: a form that works without JavaScript, its results a page at a
time (a link carries the cursor), and the same search language as the API."""

from __future__ import annotations

from urllib.parse import urlencode

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from forum_server.errors import Invalid
from forum_server.i18n import LANGUAGES
from forum_server.search import queries
from forum_server.search.query import FILTERS
from forum_server.search.views import SearchPage
from forum_server.web.auth import actor_of
from forum_server.web.context import app_context

FIELDS = ("q", *FILTERS, "order")


def _next_url(typed: dict[str, str], cursor: str | None) -> str | None:
    if cursor is None:
        return None
    return "/search?" + urlencode({**{k: v for k, v in typed.items() if v}, "cursor": cursor})


async def search_page(request: Request) -> Response:
    ctx, actor = app_context(request), await actor_of(request)
    typed = {name: request.query_params.get(name, "").strip() for name in FIELDS}
    page, error, status = SearchPage([], None), None, 200
    try:
        async with ctx.db.read() as db:
            query, page = await queries.search(
                db,
                actor,
                typed["q"],
                {name: typed[name] for name in FILTERS},
                order=typed["order"] or queries.NEWEST,
                cursor=request.query_params.get("cursor"),
            )
        searched = not query.empty
    except Invalid as refused:
        error, status, searched = refused, 422, False
    context = {
        "typed": typed,
        "page": page,
        "searched": searched,
        "next_url": _next_url(typed, page.next),
        "error": error,
        "search_q": typed["q"],
        "languages_offered": [
            (language.code, language.native_name) for language in LANGUAGES.values()
        ],
    }
    return await ctx.templates.page(request, "search/search.html", context, status=status)


routes = [Route("/search", search_page, methods=["GET"])]
