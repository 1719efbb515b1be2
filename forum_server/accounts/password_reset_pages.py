"""Pages for choosing a new password by e-mail (the JSON routes are in `api.py`):

GET|POST /forgot-password            the page asking for a link
GET|POST /reset-password/{token}     the link: the new password form
"""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from forum_server.accounts import password_reset
from forum_server.accounts.password_reset import ResetPassword, ResetRequest
from forum_server.errors import Invalid, RateLimited
from forum_server.schemas import validate
from forum_server.web.auth import client_address
from forum_server.web.context import app_context
from forum_server.web.forms import read_form


async def forgot_page(request: Request) -> Response:
    ctx = app_context(request)
    context: dict[str, object] = {"asked": None, "form_error": None, "email": ""}
    if request.method == "POST":
        form = await read_form(request)
        context["email"] = form.get("email", "")
        try:
            data = validate(ResetRequest, {"email": form.get("email", "")})
            client = client_address(request, ctx.settings)
            context["asked"] = await password_reset.request_reset(
                ctx.db, ctx.settings.secret_key, data, client=client
            )
        except (Invalid, RateLimited) as error:
            context["form_error"] = error.message
            return await ctx.templates.page(
                request, "accounts/forgot_password.html", context, status=error.status
            )
    return await ctx.templates.page(request, "accounts/forgot_password.html", context)


async def reset_page(request: Request) -> Response:
    ctx = app_context(request)
    token = request.path_params["token"]
    context: dict[str, object] = {"token": token, "done": None, "form_error": None}
    if request.method == "POST":
        form = await read_form(request)
        try:
            data = validate(ResetPassword, {"token": token, "password": form.get("password", "")})
            context["done"] = await password_reset.reset_password(
                ctx.db, ctx.settings.secret_key, data
            )
        except Invalid as error:
            context["form_error"] = error.message
            return await ctx.templates.page(
                request, "accounts/reset_password.html", context, status=error.status
            )
    return await ctx.templates.page(request, "accounts/reset_password.html", context)


routes = [
    Route("/forgot-password", forgot_page, methods=["GET", "POST"]),
    Route("/reset-password/{token}", reset_page, methods=["GET", "POST"]),
]
