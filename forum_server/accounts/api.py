"""JSON API routes for accounts: tokens, the current user, creating users."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response

from forum_server.accounts import email_confirmation, service
from forum_server.accounts.queries import get_user
from forum_server.accounts.schemas import TokenCreate, UserCreate
from forum_server.policy import require_signed_in
from forum_server.web.api import ApiRouter, json_response, parse_body
from forum_server.web.auth import actor_of, bearer_token, client_address
from forum_server.web.context import app_context

api = ApiRouter()


@api.route(
    "POST",
    "/tokens",
    summary="Exchange e-mail and password for an API token",
    body=TokenCreate,
    status=201,
    auth="none",
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


@api.route("DELETE", "/tokens/current", summary="Revoke the token used for this request")
async def revoke_current_token(request: Request) -> Response:
    actor = await actor_of(request)
    await service.revoke_own_api_token(app_context(request).db, actor, bearer_token(request))
    return Response(status_code=204)


@api.route("GET", "/me", summary="The signed-in user")
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
)
async def create_user(request: Request) -> Response:
    ctx, actor = app_context(request), await actor_of(request)
    data = await parse_body(request, UserCreate)
    registration_open = ctx.settings.registration_open
    user = await service.create_user(ctx.db, actor, data, registration_open=registration_open)
    # Someone registering themselves is sent a link confirming their address.
    await email_confirmation.send_after_registration(ctx.db, ctx.settings, user)
    return json_response(user.as_json(), status=201)
