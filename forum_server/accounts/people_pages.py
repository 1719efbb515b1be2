"""GET /people/{id}: a person's page, where mentions of them link."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from forum_server.accounts import people
from forum_server.web.api import path_int
from forum_server.web.auth import actor_of
from forum_server.web.context import app_context


async def person_page(request: Request) -> Response:
    ctx, actor = app_context(request), await actor_of(request)
    async with ctx.db.read() as db:
        found = await people.person(db, actor, path_int(request, "user_id"))
    return await ctx.templates.page(request, "accounts/person.html", {"person": found})


routes = [Route("/people/{user_id:int}", person_page, methods=["GET"])]
