"""JSON route for mentioning: who may be mentioned in a thread (the autocomplete)."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response

from forum_server.rooms import mentions
from forum_server.web.api import ApiRouter, json_response, path_int, query_int
from forum_server.web.auth import actor_of
from forum_server.web.context import app_context
from forum_server.web.shapes import ListOf

api = ApiRouter()


@api.route(
    "GET",
    "/threads/{thread_id:int}/mentionable",
    summary="Participants who may be mentioned in a thread, by the start of their name",
    auth="optional",
    query=("q", "limit"),
    response=ListOf(mentions.Mentionable),
)
async def mentionable(request: Request) -> Response:
    ctx, actor = app_context(request), await actor_of(request)
    thread_id, prefix = path_int(request, "thread_id"), request.query_params.get("q", "")[:100]
    limit = query_int(request, "limit") or mentions.MAX_SUGGESTIONS
    async with ctx.db.read() as db:
        found = await mentions.mentionable(db, actor, thread_id, prefix, limit=limit)
    return json_response({"items": [person.as_json() for person in found], "next": None})
