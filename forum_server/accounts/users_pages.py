"""The secretariat's account pages (the JSON routes are in `api.py`):

GET  /admin/users                          every account, and the form making one
POST /admin/users                          make an account (a link to choose a password
                                           goes to its address)
POST /admin/users/{id}/deactivate          ends its sign-ins, tokens and sockets
POST /admin/users/{id}/reactivate
POST /admin/users/{id}/reset-sign-in       ends them too, forgets the password, sends a link
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from forum_server.accounts import management, provisioning
from forum_server.accounts.management import AccountView
from forum_server.accounts.profile_form import form_input, profile_choices
from forum_server.accounts.schemas import AccountCreate
from forum_server.db import Database
from forum_server.errors import Conflict, Forbidden, Invalid
from forum_server.i18n import N_, gettext
from forum_server.policy import Actor, check_may_manage_accounts
from forum_server.web.api import path_int, query_int
from forum_server.web.auth import actor_of
from forum_server.web.context import app_context
from forum_server.web.forms import error_for_field, read_form, validate_form

NOTICES = {
    "created": N_("The account is made; a link to choose a password is on its way to it."),
    "deactivated": N_("The account is deactivated: its sign-ins, tokens and connections ended."),
    "reactivated": N_("The account is active again."),
    "reset": N_(
        "The account's sign-ins ended and its password no longer works; a link to choose "
        "a new one is on its way to its address."
    ),
}

_ERRORS = {
    "already_deactivated": N_("This account is deactivated already."),
    "already_active": N_("This account is active already."),
    "own_account": N_("You cannot deactivate your own account."),
    "own_sign_in": N_("You cannot reset your own sign-in."),
    "account_deactivated": N_("This account is deactivated; reactivate it first."),
}


async def _users_page(
    request: Request,
    *,
    form: dict[str, str] | None = None,
    errors: dict[str, str] | None = None,
    status: int = 200,
) -> Response:
    ctx, actor = app_context(request), await actor_of(request)
    async with ctx.db.read() as session:
        page = await management.list_accounts(
            session, actor, after=query_int(request, "after"), limit=100
        )
    context: dict[str, Any] = {
        "page": page,
        "notice": None if errors else _said(NOTICES, request.query_params.get("notice")),
        "form_error": _said(_ERRORS, request.query_params.get("error")),
        "form": form or {},
        "errors": errors or {},
        **profile_choices(),
    }
    return await ctx.templates.page(request, "accounts/users.html", context, status=status)


async def users_page(request: Request) -> Response:
    return await _users_page(request)


async def create_account(request: Request) -> Response:
    ctx, actor = app_context(request), await actor_of(request)
    check_may_manage_accounts(actor)  # before reading the form
    form = await read_form(request)
    data, errors = validate_form(AccountCreate, form_input(form, AccountCreate))
    if data is not None:
        try:
            account = await provisioning.create_account(
                ctx.db, actor, ctx.settings.secret_key, data
            )
        except Invalid as error:
            errors = error_for_field(error)
        except Conflict as error:
            errors = {"email": error.message}
        else:
            return RedirectResponse(f"/admin/users?notice=created#user-{account.id}", 303)
    return await _users_page(request, form=form, errors=errors, status=422)


def _said(texts: dict[str, str], key: str | None) -> str | None:
    """The notice or error named in the address, in the reader's language."""
    text = texts.get(key or "")
    return gettext(text) if text else None


# A row's command: (database, actor, secret key, user id) -> the account.
RowCommand = Callable[[Database, Actor, str, int], Awaitable[AccountView]]


async def _deactivate(db: Database, actor: Actor, key: str, user_id: int) -> AccountView:
    return await management.deactivate_user(db, actor, user_id)


async def _reactivate(db: Database, actor: Actor, key: str, user_id: int) -> AccountView:
    return await management.reactivate_user(db, actor, user_id)


def _users_action(command: RowCommand, notice: str) -> Callable[[Request], Awaitable[Response]]:
    async def endpoint(request: Request) -> Response:
        ctx, actor = app_context(request), await actor_of(request)
        user_id = path_int(request, "user_id")
        try:
            await command(ctx.db, actor, ctx.settings.secret_key, user_id)
        except (Conflict, Forbidden) as error:
            if error.code not in _ERRORS:
                raise
            return RedirectResponse(f"/admin/users?error={error.code}#user-{user_id}", 303)
        return RedirectResponse(f"/admin/users?notice={notice}#user-{user_id}", 303)

    return endpoint


routes = [
    Route("/admin/users", users_page, methods=["GET"]),
    Route("/admin/users", create_account, methods=["POST"]),
    Route(
        "/admin/users/{user_id:int}/deactivate",
        _users_action(_deactivate, "deactivated"),
        methods=["POST"],
    ),
    Route(
        "/admin/users/{user_id:int}/reactivate",
        _users_action(_reactivate, "reactivated"),
        methods=["POST"],
    ),
    Route(
        "/admin/users/{user_id:int}/reset-sign-in",
        _users_action(provisioning.reset_sign_in, "reset"),
        methods=["POST"],
    ),
]
