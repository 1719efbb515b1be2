"""Pages for mail: the one-click unsubscribe link of every message (no sign-in: the
signed link is the authority; RFC 8058's POST is answered 200), the watch buttons'
form target, and the secretariat's list of refused messages."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from forum_server.errors import Invalid
from forum_server.mail import outbox, watching
from forum_server.web.auth import actor_of
from forum_server.web.context import app_context
from forum_server.web.forms import read_form
from forum_server.web.redirects import safe_next


async def unsubscribe_page(request: Request) -> Response:
    """GET shows a button (a link opened by a mail scanner changes nothing); POST, from
    that button or from the mail client's one-click, stops the messages."""
    ctx = app_context(request)
    token = request.path_params["token"]
    context: dict[str, object] = {"token": token, "done": None, "form_error": None}
    try:
        if request.method == "POST":
            context["done"] = await watching.unsubscribe(ctx.db, ctx.settings.secret_key, token)
    except Invalid as error:
        context["form_error"] = error.message
        return await ctx.templates.page(request, "mail/unsubscribe.html", context, status=400)
    return await ctx.templates.page(request, "mail/unsubscribe.html", context)


async def watch_form(request: Request) -> Response:
    ctx, actor = app_context(request), await actor_of(request)
    form = await read_form(request)
    await watching.watch(ctx.db, actor, watching.watch_from_form(form))
    return RedirectResponse(safe_next(form.get("next")), status_code=303)


async def failures_page(request: Request) -> Response:
    ctx, actor = app_context(request), await actor_of(request)
    found = await outbox.mail_failures(ctx.db, actor)
    return await ctx.templates.page(request, "mail/failures.html", {"failures": found})


routes = [
    Route("/mail/unsubscribe/{token}", unsubscribe_page, methods=["GET", "POST"]),
    Route("/mail/watch", watch_form, methods=["POST"]),
    Route("/mail/failures", failures_page, methods=["GET"]),
]
