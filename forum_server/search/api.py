"""The search's JSON route."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response

from forum_server.search import queries
from forum_server.search.query import FILTERS
from forum_server.search.views import SearchHit
from forum_server.web.api import ApiRouter, json_response, query_int
from forum_server.web.auth import actor_of
from forum_server.web.context import app_context
from forum_server.web.shapes import ListOf

api = ApiRouter()


@api.route(
    "GET",
    "/search",
    summary="Search what the caller may read",
    auth="optional",
    query=("q", *FILTERS, "order", "cursor", "limit"),
    response=ListOf(SearchHit),
)
async def search(request: Request) -> Response:
    ctx, actor, params = app_context(request), await actor_of(request), request.query_params
    fields = {name: params.get(name, "") for name in FILTERS}
    order, cursor = params.get("order") or queries.NEWEST, params.get("cursor")
    async with ctx.db.read() as db:
        _, page = await queries.search(
            db,
            actor,
            params.get("q", ""),
            fields,
            order=order,
            cursor=cursor,
            limit=query_int(request, "limit"),
        )
    return json_response({"items": [hit.as_json() for hit in page.hits], "next": page.next})
