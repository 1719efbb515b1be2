"""Site-wide pages that belong to no single domain: the home page, and the liveness
and readiness checks."""

from __future__ import annotations

from sqlalchemy import text
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from forum_server.orm import utcnow
from forum_server.rooms import home as home_queries
from forum_server.rooms import queries
from forum_server.rooms.pages.shared import duration_text
from forum_server.web.auth import actor_of
from forum_server.web.context import app_context


async def home(request: Request) -> Response:
    """Every space the reader may see; a signed-in reader's page leads with what is
    open for them now."""
    ctx, actor = app_context(request), await actor_of(request)
    async with ctx.db.read() as db:
        spaces = await queries.list_spaces(db, actor)
        board = await home_queries.dashboard(db, actor)
    now = utcnow()

    def left(session: home_queries.OpenSession) -> str | None:
        return duration_text(session.closes_at - now) if session.closes_at else None

    context = {"spaces": spaces, "board": board, "time_left": left}
    return await ctx.templates.page(request, "home.html", context)


async def health(request: Request) -> Response:
    """The process is alive and serving: touches nothing else, so a load balancer's
    frequent checks cost no database work."""
    return JSONResponse({"status": "ok"})


async def ready(request: Request) -> Response:
    """The process can do its work: the database answers (503 otherwise)."""
    try:
        async with app_context(request).db.read() as session:
            await session.execute(text("SELECT 1"))
    except Exception:  # any failure to reach it means not ready, whatever the driver says
        return JSONResponse({"status": "unavailable", "database": "unreachable"}, status_code=503)
    return JSONResponse({"status": "ok", "database": "ok"})


routes = [
    Route("/", home, methods=["GET"]),
    Route("/healthz", health, methods=["GET"]),
    Route("/readyz", ready, methods=["GET"]),
]
