"""Site-wide pages that belong to no single domain: the home page and health check."""

from __future__ import annotations

from sqlalchemy import text
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from forum_server.rooms import queries
from forum_server.web.auth import actor_of
from forum_server.web.context import app_context


async def home(request: Request) -> Response:
    ctx, actor = app_context(request), await actor_of(request)
    async with ctx.db.read() as db:
        spaces = await queries.list_spaces(db, actor)
    return await ctx.templates.page(request, "home.html", {"spaces": spaces})


async def health(request: Request) -> Response:
    async with app_context(request).db.read() as session:
        await session.execute(text("SELECT 1"))
    return JSONResponse({"status": "ok"})


routes = [
    Route("/", home, methods=["GET"]),
    Route("/healthz", health, methods=["GET"]),
]
