"""The "Calendar and feeds" page: a person's own calendar address, the addresses of
the workspaces they belong to, and a form to reset them all."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from forum_server.feeds.keys import feed_key_of, reset_feed_key
from forum_server.feeds.queries import member_spaces
from forum_server.policy import require_signed_in
from forum_server.web.auth import actor_of
from forum_server.web.context import app_context


async def calendar_page(request: Request) -> Response:
    ctx, actor = app_context(request), await actor_of(request)
    user_id = require_signed_in(actor)
    key = await feed_key_of(ctx.db, ctx.settings.secret_key, actor)
    async with ctx.db.read() as db:
        spaces = await member_spaces(db, user_id)
    base = ctx.settings.base_url.rstrip("/") + "/api/v1/feeds/" + key
    context: dict[str, Any] = {
        "calendar_url": base + "/calendar.ics",
        "webcal_url": "webcal://" + (base + "/calendar.ics").split("://", 1)[1],
        "spaces": [
            {
                "title": title,
                "visibility": visibility,
                "calendar_url": f"{base}/spaces/{slug}/calendar.ics",
                "feed_url": f"{base}/spaces/{slug}/feed.atom",
                "board_feed_url": f"{base}/spaces/{slug}/board/feed",
            }
            for slug, title, visibility in spaces
        ],
        "was_reset": request.query_params.get("reset") == "1",
    }
    return await ctx.templates.page(request, "feeds/calendar.html", context)


async def reset_addresses(request: Request) -> Response:
    ctx, actor = app_context(request), await actor_of(request)
    await reset_feed_key(ctx.db, ctx.settings.secret_key, actor)
    return RedirectResponse("/profile/calendar?reset=1", status_code=303)


routes = [
    Route("/profile/calendar", calendar_page, methods=["GET"]),
    Route("/profile/calendar/reset", reset_addresses, methods=["POST"]),
]
