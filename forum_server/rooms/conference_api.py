"""JSON API routes of conferences: the conversation, sending a message, moving along
the agenda, and who is here now."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response

from forum_server.i18n import current_language
from forum_server.live.hub import Hub
from forum_server.live.presence import Present
from forum_server.rooms import conference
from forum_server.rooms.conference_queries import (
    ConferenceView,
    check_may_see_conference,
    conference_view,
)
from forum_server.rooms.posts_view import PostView
from forum_server.rooms.schemas import AgendaMove, PostCreate, written_in
from forum_server.rooms.space_views import SessionDetail
from forum_server.rooms.state import PENDING
from forum_server.web.api import ApiRouter, json_response, parse_body, path_int, query_int
from forum_server.web.auth import actor_of, client_address
from forum_server.web.context import app_context

api = ApiRouter()


@api.route(
    "GET",
    "/sessions/{session_id:int}/conference",
    summary="A conference: the session and its latest messages, oldest first",
    auth="optional",
    query=("before",),
    response=ConferenceView,
)
async def get_conference(request: Request) -> Response:
    ctx, actor = app_context(request), await actor_of(request)
    before = query_int(request, "before")
    async with ctx.db.read() as db:
        view = await conference_view(db, actor, path_int(request, "session_id"), before=before)
    return json_response(view.as_json())


@api.route(
    "POST",
    "/sessions/{session_id:int}/messages",
    summary="Send a message to the agenda item under discussion",
    body=PostCreate,
    status=201,
    auth="optional",
    response=PostView,
    also=(200, 202),  # 202 held for review, 200 a retry that found the original
)
async def send_message(request: Request) -> Response:
    ctx, actor = app_context(request), await actor_of(request)
    data = written_in(await parse_body(request, PostCreate), current_language.get())
    posted = await conference.send_message(
        ctx.db,
        actor,
        path_int(request, "session_id"),
        data,
        client=client_address(request, ctx.settings),
    )
    status = 202 if posted.post.status == PENDING else 201 if posted.created else 200
    return json_response(posted.post.as_json(), status=status)


@api.route(
    "POST",
    "/sessions/{session_id:int}/agenda",
    summary="Move the conference to an agenda item (moderators)",
    body=AgendaMove,
    response=SessionDetail,
)
async def move_agenda(request: Request) -> Response:
    ctx, actor = app_context(request), await actor_of(request)
    data = await parse_body(request, AgendaMove)
    detail = await conference.move_agenda(ctx.db, actor, path_int(request, "session_id"), data)
    return json_response(detail.as_json())


@api.route(
    "GET",
    "/sessions/{session_id:int}/presence",
    summary="Who is here now: people following the conference live, guests counted",
    auth="optional",
    response=Present,
)
async def get_presence(request: Request) -> Response:
    ctx, actor = app_context(request), await actor_of(request)
    session_id = path_int(request, "session_id")
    async with ctx.db.read() as db:
        await check_may_see_conference(db, actor, session_id)
    hub: Hub = request.app.state.hub
    return json_response(hub.presence.now(session_id).as_json(session_id))
