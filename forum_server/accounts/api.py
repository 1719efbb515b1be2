"""JSON API routes for accounts: tokens, the current user, creating users, confirming
an e-mail address, and the secretariat's account management:

POST /api/v1/me/email-confirmation       send the signed-in user a new link (202)
POST /api/v1/email-confirmations {token}  confirm, with the token from the link
POST /api/v1/password-reset-requests {email}     ask for a new-password link (202)
POST /api/v1/password-resets {token, password}    choose it, with the link's token
GET  /api/v1/users?after=&limit=          every account (the secretariat)
POST /api/v1/users/{id}/deactivate         ends its sign-ins, tokens and sockets
POST /api/v1/users/{id}/reactivate
POST /api/v1/users/{id}/reset-sign-in      ends them, forgets the password, sends a link
POST /api/v1/accounts                      the secretariat makes an account without a
                                           password (a link to choose one is sent)
"""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response
from typing_extensions import TypedDict

from forum_server.accounts import (
    email_confirmation,
    management,
    password_reset,
    provisioning,
    service,
)
from forum_server.accounts.management import AccountView
from forum_server.accounts.password_reset import ResetPassword, ResetRequest
from forum_server.accounts.queries import UserView, get_user
from forum_server.accounts.schemas import (
    AccountCreate,
    ConfirmationCreate,
    TokenCreate,
    UserCreate,
)
from forum_server.policy import require_signed_in
from forum_server.web.api import ApiRouter, json_response, parse_body, path_int, query_int
from forum_server.web.auth import actor_of, bearer_token, client_address
from forum_server.web.context import app_context
from forum_server.web.shapes import ListOf

api = ApiRouter()


@api.route(
    "POST",
    "/tokens",
    summary="Exchange e-mail and password for an API token",
    body=TokenCreate,
    status=201,
    auth="none",
    response=service.IssuedToken,
)
async def create_token(request: Request) -> Response:
    ctx = app_context(request)
    data = await parse_body(request, TokenCreate)
    issued = await service.issue_api_token(
        ctx.db,
        data,
        client=client_address(request, ctx.settings),
        max_failures=ctx.settings.login_attempts,
    )
    return json_response(issued.as_json(), status=201)


@api.route(
    "DELETE",
    "/tokens/current",
    summary="Revoke the token used for this request",
    status=204,
)
async def revoke_current_token(request: Request) -> Response:
    actor = await actor_of(request)
    await service.revoke_own_api_token(app_context(request).db, actor, bearer_token(request))
    return Response(status_code=204)


@api.route("GET", "/me", summary="The signed-in user", response=UserView)
async def me(request: Request) -> Response:
    user_id = require_signed_in(await actor_of(request))
    async with app_context(request).db.read() as session:
        user = await get_user(session, user_id)
    return json_response(user.as_json())


@api.route(
    "POST",
    "/users",
    summary="Create a user (secretariat, or anyone where registration is open)",
    body=UserCreate,
    status=201,
    auth="optional",
    response=UserView,
)
async def create_user(request: Request) -> Response:
    ctx, actor = app_context(request), await actor_of(request)
    data = await parse_body(request, UserCreate)
    user = await service.create_user(
        ctx.db,
        actor,
        data,
        registration_open=ctx.settings.registration_open,
        confirmation=ctx.settings,
    )
    return json_response(user.as_json(), status=201)


@api.route(
    "GET",
    "/users",
    summary="Every account (the secretariat)",
    query=("after", "limit"),
    response=ListOf(AccountView),
)
async def list_users(request: Request) -> Response:
    ctx, actor = app_context(request), await actor_of(request)
    async with ctx.db.read() as session:
        page = await management.list_accounts(
            session,
            actor,
            after=query_int(request, "after"),
            limit=query_int(request, "limit") or 50,
        )
    return json_response({"items": [a.as_json() for a in page.items], "next": page.next})


@api.route(
    "POST",
    "/users/{user_id:int}/deactivate",
    summary="Deactivate an account: its sign-ins, API tokens and live connections end",
    response=AccountView,
)
async def deactivate(request: Request) -> Response:
    ctx, actor = app_context(request), await actor_of(request)
    account = await management.deactivate_user(ctx.db, actor, path_int(request, "user_id"))
    return json_response(account.as_json())


@api.route(
    "POST",
    "/users/{user_id:int}/reactivate",
    summary="Reactivate an account",
    response=AccountView,
)
async def reactivate(request: Request) -> Response:
    ctx, actor = app_context(request), await actor_of(request)
    account = await management.reactivate_user(ctx.db, actor, path_int(request, "user_id"))
    return json_response(account.as_json())


@api.route(
    "POST",
    "/users/{user_id:int}/reset-sign-in",
    summary="Reset an account's sign-in: its sign-ins, tokens and live connections end, "
    "its password stops working, and a link to choose a new one goes to its address",
    response=AccountView,
)
async def reset_sign_in(request: Request) -> Response:
    ctx, actor = app_context(request), await actor_of(request)
    user_id = path_int(request, "user_id")
    account = await provisioning.reset_sign_in(ctx.db, actor, ctx.settings.secret_key, user_id)
    return json_response(account.as_json())


@api.route(
    "POST",
    "/accounts",
    summary="Make an account for someone (the secretariat): no password; a link to "
    "choose one, valid for a week, goes to its address",
    body=AccountCreate,
    status=201,
    response=AccountView,
)
async def create_account(request: Request) -> Response:
    ctx, actor = app_context(request), await actor_of(request)
    data = await parse_body(request, AccountCreate)
    account = await provisioning.create_account(ctx.db, actor, ctx.settings.secret_key, data)
    return json_response(account.as_json(), status=201)


class LinkSentJson(TypedDict):
    sent_to: str


@api.route(
    "POST",
    "/me/email-confirmation",
    summary="Send the signed-in user a link confirming their e-mail address",
    status=202,
    response=LinkSentJson,
)
async def request_link(request: Request) -> Response:
    ctx, actor = app_context(request), await actor_of(request)
    mail = await email_confirmation.request_link(ctx.db, ctx.settings, actor)
    answer: LinkSentJson = {"sent_to": mail.to}
    return json_response(answer, status=202)


@api.route(
    "POST",
    "/email-confirmations",
    summary="Confirm an e-mail address with the token of the link sent to it",
    body=ConfirmationCreate,
    auth="none",
    response=UserView,
)
async def confirm(request: Request) -> Response:
    ctx = app_context(request)
    data = await parse_body(request, ConfirmationCreate)
    user = await email_confirmation.confirm(ctx.db, ctx.settings, data.token)
    return json_response(user.as_json())


@api.route(
    "POST",
    "/password-reset-requests",
    summary="Ask for a link to choose a new password (the answer never says if the "
    "address has an account)",
    body=ResetRequest,
    status=202,
    auth="none",
    response=password_reset.ResetAsked,
)
async def request_reset(request: Request) -> Response:
    ctx = app_context(request)
    data = await parse_body(request, ResetRequest)
    client = client_address(request, ctx.settings)
    asked = await password_reset.request_reset(ctx.db, ctx.settings.secret_key, data, client=client)
    return json_response(asked.as_json(), status=202)


@api.route(
    "POST",
    "/password-resets",
    summary="Choose a new password with the link's token (ends every sign-in)",
    body=ResetPassword,
    auth="none",
    response=UserView,
)
async def reset(request: Request) -> Response:
    ctx = app_context(request)
    data = await parse_body(request, ResetPassword)
    user = await password_reset.reset_password(ctx.db, ctx.settings.secret_key, data)
    return json_response(user.as_json())
