"""JSON API for the signed-in user's notifications."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response
from typing_extensions import TypedDict

from forum_server.notifications import queries, reading
from forum_server.web.api import ApiRouter, json_response, path_int, query_int
from forum_server.web.auth import actor_of
from forum_server.web.context import app_context

api = ApiRouter()


class UnreadJson(TypedDict):
    unread: int


@api.route(
    "GET",
    "/me/notifications",
    summary="The signed-in user's notifications, newest first, with the unread count",
    query=("after", "limit"),
    response=queries.NotificationsPage,
)
async def list_notifications(request: Request) -> Response:
    ctx, actor = app_context(request), await actor_of(request)
    after, limit = query_int(request, "after"), query_int(request, "limit")
    async with ctx.db.read() as db:
        page = await queries.notifications(db, actor, after=after, limit=limit)
    return json_response(page.as_json())


@api.route(
    "POST",
    "/me/notifications/{notification_id:int}/read",
    summary="Mark one notification read",
    response=UnreadJson,
)
async def mark_read(request: Request) -> Response:
    ctx, actor = app_context(request), await actor_of(request)
    await reading.mark_read(ctx.db, actor, path_int(request, "notification_id"))
    return await _unread(request)


@api.route(
    "POST",
    "/me/notifications/read",
    summary="Mark every notification read",
    response=UnreadJson,
)
async def mark_all_read(request: Request) -> Response:
    ctx, actor = app_context(request), await actor_of(request)
    await reading.mark_all_read(ctx.db, actor)
    return await _unread(request)


async def _unread(request: Request) -> Response:
    ctx, actor = app_context(request), await actor_of(request)
    async with ctx.db.read() as db:
        unread: UnreadJson = {"unread": await queries.unread_count(db, actor)}
    return json_response(unread)
