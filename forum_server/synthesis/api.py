"""The draft synthesis in the API, for a session's moderators."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response

from forum_server.synthesis.drafts import SessionSynthesis, session_synthesis
from forum_server.web.api import ApiRouter, json_response, path_int
from forum_server.web.auth import actor_of
from forum_server.web.context import app_context

api = ApiRouter()


@api.route(
    "GET",
    "/sessions/{session_id:int}/synthesis",
    summary="Draft syntheses of a session and its questions, not reviewed (its moderators)",
    response=SessionSynthesis,
)
async def get_synthesis(request: Request) -> Response:
    ctx, actor = app_context(request), await actor_of(request)
    async with ctx.db.read() as db:
        synthesis = await session_synthesis(db, actor, path_int(request, "session_id"))
    return json_response(synthesis.as_json())
