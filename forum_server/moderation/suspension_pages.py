"""The suspensions page (the JSON routes are in `api.py`):

GET  /moderation/suspensions                  those in force that the reader may lift
POST /moderation/suspensions/{id}/lift        lift one (audited)
"""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from forum_server.errors import Conflict
from forum_server.i18n import N_, gettext
from forum_server.moderation import suspension_list
from forum_server.policy import require_signed_in
from forum_server.web.api import path_int
from forum_server.web.auth import actor_of
from forum_server.web.context import app_context

PAGE = "/moderation/suspensions"
NOTICES = {"lifted": N_("The suspension is lifted: they may post again.")}
ERRORS = {"already_lifted": N_("This suspension has been lifted already.")}


def _said(texts: dict[str, str], key: str | None) -> str | None:
    text = texts.get(key or "")
    return gettext(text) if text else None


async def suspensions_page(request: Request) -> Response:
    ctx, actor = app_context(request), await actor_of(request)
    require_signed_in(actor)
    async with ctx.db.read() as session:
        listed = await suspension_list.current_suspensions(session, actor)
    context = {
        "suspensions": listed,
        "notice": _said(NOTICES, request.query_params.get("notice")),
        "form_error": _said(ERRORS, request.query_params.get("error")),
    }
    return await ctx.templates.page(request, "moderation/suspensions.html", context)


async def lift(request: Request) -> Response:
    ctx, actor = app_context(request), await actor_of(request)
    require_signed_in(actor)
    try:
        await suspension_list.lift(ctx.db, actor, path_int(request, "suspension_id"))
    except Conflict as error:
        if error.code not in ERRORS:
            raise
        return RedirectResponse(f"{PAGE}?error={error.code}", 303)
    return RedirectResponse(f"{PAGE}?notice=lifted", 303)


routes = [
    Route(PAGE, suspensions_page, methods=["GET"]),
    Route(PAGE + "/{suspension_id:int}/lift", lift, methods=["POST"]),
]
