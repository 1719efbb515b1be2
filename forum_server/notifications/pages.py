"""The notifications page, and its forms (mark one read, mark all read; the CSRF
middleware checks their token)."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from forum_server.notifications import queries, reading
from forum_server.web.api import path_int, query_int
from forum_server.web.auth import actor_of
from forum_server.web.context import app_context


async def notifications_page(request: Request) -> Response:
    ctx, actor = app_context(request), await actor_of(request)
    async with ctx.db.read() as db:
        page = await queries.notifications(db, actor, after=query_int(request, "after"))
    return await ctx.templates.page(request, "notifications/list.html", {"page": page})


async def mark_read(request: Request) -> Response:
    ctx, actor = app_context(request), await actor_of(request)
    notification_id = path_int(request, "notification_id")
    await reading.mark_read(ctx.db, actor, notification_id)
    return RedirectResponse(f"/notifications#notification-{notification_id}", 303)


async def mark_all_read(request: Request) -> Response:
    ctx, actor = app_context(request), await actor_of(request)
    await reading.mark_all_read(ctx.db, actor)
    return RedirectResponse("/notifications", 303)


routes = [
    Route("/notifications", notifications_page, methods=["GET"]),
    Route("/notifications/read", mark_all_read, methods=["POST"]),
    Route("/notifications/{notification_id:int}/read", mark_read, methods=["POST"]),
]
