"""Routes for confirming an e-mail address, JSON and page:

POST /api/v1/me/email-confirmation       send the signed-in user a new link (202)
POST /api/v1/email-confirmations {token}  confirm, with the token from the link
GET  /confirm-email/{token}               the link: a page with one button, since
POST /confirm-email/{token}               a GET changes nothing
POST /profile/confirm-email               "send me the link again", from the profile
"""

from __future__ import annotations

from pydantic import Field
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from forum_server.accounts import email_confirmation
from forum_server.errors import Conflict, Invalid, RateLimited
from forum_server.schemas import Input
from forum_server.web.api import ApiRouter, json_response, parse_body
from forum_server.web.auth import actor_of
from forum_server.web.context import app_context

api = ApiRouter()


class ConfirmationCreate(Input):
    token: str = Field(min_length=1, max_length=1000)


@api.route(
    "POST",
    "/me/email-confirmation",
    summary="Send the signed-in user a link confirming their e-mail address",
    status=202,
)
async def request_link(request: Request) -> Response:
    ctx, actor = app_context(request), await actor_of(request)
    mail = await email_confirmation.request_link(ctx.db, ctx.settings, actor)
    return json_response({"sent_to": mail.to}, status=202)


@api.route(
    "POST",
    "/email-confirmations",
    summary="Confirm an e-mail address with the token of the link sent to it",
    body=ConfirmationCreate,
    auth="none",
)
async def confirm(request: Request) -> Response:
    ctx = app_context(request)
    data = await parse_body(request, ConfirmationCreate)
    user = await email_confirmation.confirm(ctx.db, ctx.settings, data.token)
    return json_response(user.as_json())


async def confirm_page(request: Request) -> Response:
    ctx = app_context(request)
    token = request.path_params["token"]
    context: dict[str, object] = {"token": token, "confirmed": None, "form_error": None}
    if request.method == "POST":
        try:
            context["confirmed"] = await email_confirmation.confirm(ctx.db, ctx.settings, token)
        except Invalid as error:
            context["form_error"] = error.message
            return await ctx.templates.page(
                request, "accounts/confirm_email.html", context, status=error.status
            )
    return await ctx.templates.page(request, "accounts/confirm_email.html", context)


async def send_again(request: Request) -> Response:
    ctx, actor = app_context(request), await actor_of(request)
    try:
        await email_confirmation.request_link(ctx.db, ctx.settings, actor)
    except (Conflict, RateLimited) as error:
        code = "already_verified" if isinstance(error, Conflict) else "rate_limited"
        return RedirectResponse(f"/profile?confirmation={code}", status_code=303)
    return RedirectResponse("/profile?confirmation=sent", status_code=303)


# What the profile page says after "send me the link again".
PROFILE_NOTICES = {
    "sent": "A confirmation link is on its way to your e-mail address.",
    "already_verified": "Your e-mail address is confirmed already.",
    "rate_limited": "Several links were sent in the last hour; please look for them, or try later.",
}

routes = [
    Route("/confirm-email/{token}", confirm_page, methods=["GET", "POST"]),
    Route("/profile/confirm-email", send_again, methods=["POST"]),
]
