"""The secretariat's account pages (the JSON routes are in `api.py`):

GET  /admin/users                          every account
POST /admin/users/{id}/deactivate          ends its sign-ins, tokens and sockets
POST /admin/users/{id}/reactivate
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from forum_server.accounts import management
from forum_server.errors import Conflict, Forbidden
from forum_server.i18n import N_, gettext
from forum_server.web.api import path_int, query_int
from forum_server.web.auth import actor_of
from forum_server.web.context import app_context

NOTICES = {
    "deactivated": N_("The account is deactivated: its sign-ins, tokens and connections ended."),
    "reactivated": N_("The account is active again."),
}


async def users_page(request: Request) -> Response:
    ctx, actor = app_context(request), await actor_of(request)
    async with ctx.db.read() as session:
        page = await management.list_accounts(
            session, actor, after=query_int(request, "after"), limit=100
        )
    notice = _said(NOTICES, request.query_params.get("notice"))
    error = _said(_ERRORS, request.query_params.get("error"))
    context = {"page": page, "notice": notice, "form_error": error}
    return await ctx.templates.page(request, "accounts/users.html", context)


_ERRORS = {
    "already_deactivated": N_("This account is deactivated already."),
    "already_active": N_("This account is active already."),
    "own_account": N_("You cannot deactivate your own account."),
}


def _said(texts: dict[str, str], key: str | None) -> str | None:
    """The notice or error named in the address, in the reader's language."""
    text = texts.get(key or "")
    return gettext(text) if text else None


def _users_action(action: str) -> Callable[[Request], Awaitable[Response]]:
    command = {"deactivate": management.deactivate_user, "reactivate": management.reactivate_user}[
        action
    ]

    async def endpoint(request: Request) -> Response:
        ctx, actor = app_context(request), await actor_of(request)
        user_id = path_int(request, "user_id")
        try:
            await command(ctx.db, actor, user_id)
        except (Conflict, Forbidden) as error:
            if error.code not in _ERRORS:
                raise
            return RedirectResponse(f"/admin/users?error={error.code}#user-{user_id}", 303)
        return RedirectResponse(f"/admin/users?notice={action}d#user-{user_id}", 303)

    return endpoint


routes = [
    Route("/admin/users", users_page, methods=["GET"]),
    Route("/admin/users/{user_id:int}/deactivate", _users_action("deactivate"), methods=["POST"]),
    Route("/admin/users/{user_id:int}/reactivate", _users_action("reactivate"), methods=["POST"]),
]
