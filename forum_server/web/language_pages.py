"""The footer's language switcher: works without JavaScript and without an account."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from forum_server.accounts import service
from forum_server.accounts.schemas import LanguageChoice
from forum_server.schemas import validate
from forum_server.web.auth import actor_of
from forum_server.web.context import app_context
from forum_server.web.forms import read_form
from forum_server.web.language import remember_language
from forum_server.web.redirects import safe_next


async def choose_language(request: Request) -> Response:
    ctx, actor = app_context(request), await actor_of(request)
    form = await read_form(request)
    choice = validate(LanguageChoice, {"lang": form.get("lang", "")})
    await service.set_interface_language(ctx.db, actor, choice)
    # Back to the same page: a URL means the same thing in every language.
    response = RedirectResponse(safe_next(form.get("next")), status_code=303)
    remember_language(response, ctx.settings, choice.lang)
    return response


routes = [Route("/language", choose_language, methods=["POST"])]
