"""Pages for confirming an e-mail address (the JSON routes are in `api.py`):

GET  /confirm-email/{token}               the link: a page with one button, since
POST /confirm-email/{token}               a GET changes nothing
POST /profile/confirm-email               "send me the link again", from the profile
"""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from forum_server.accounts import email_confirmation
from forum_server.errors import Conflict, Invalid, RateLimited
from forum_server.i18n import N_, gettext
from forum_server.web.auth import actor_of
from forum_server.web.context import app_context


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
    "sent": N_("A confirmation link is on its way to your e-mail address."),
    "already_verified": N_("Your e-mail address is confirmed already."),
    "rate_limited": N_(
        "Several links were sent in the last hour; please look for them, or try later."
    ),
}


def profile_notice(key: str) -> str | None:
    """The profile page's notice after "send me the link again", in the reader's language."""
    notice = PROFILE_NOTICES.get(key)
    return gettext(notice) if notice else None


routes = [
    Route("/confirm-email/{token}", confirm_page, methods=["GET", "POST"]),
    Route("/profile/confirm-email", send_again, methods=["POST"]),
]
