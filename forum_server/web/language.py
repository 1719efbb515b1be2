"""The reader's interface language, chosen once per request.

In order: the account's preference (set when the caller is known, web/auth.py),
the language picked from the footer's switcher (a cookie, for everyone), the
browser's Accept-Language, and the site's default.
"""

from __future__ import annotations

from starlette.datastructures import Headers, MutableHeaders
from starlette.requests import HTTPConnection, cookie_parser
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from forum_server.i18n import (
    base_code,
    current_language,
    current_time_zone,
    from_accept_language,
)
from forum_server.policy import Actor
from forum_server.settings import Settings

LANGUAGE_COOKIE = "forum_lang"
COOKIE_MAX_AGE = 365 * 86400


def chosen_language(headers: Headers, default: str) -> str:
    """The switcher's cookie, else Accept-Language, else the site's default."""
    cookie = cookie_parser(headers.get("cookie", "")).get(LANGUAGE_COOKIE, "")
    return base_code(cookie) or from_accept_language(headers.get("accept-language")) or default


def adopt_account_language(actor: Actor) -> None:
    """A signed-in caller's own choice wins over the browser's (once the caller is known)."""
    if actor.language and (code := base_code(actor.language)):
        current_language.set(code)
    if actor.time_zone:
        current_time_zone.set(actor.time_zone)


def remember_language(response: Response, settings: Settings, code: str) -> None:
    response.set_cookie(
        LANGUAGE_COOKIE,
        code,
        max_age=COOKIE_MAX_AGE,
        httponly=True,
        secure=settings.cookies_secure,
        samesite="lax",
    )


def request_language(conn: HTTPConnection) -> str:
    return current_language.get()


class LanguageMiddleware:
    """Sets the language for everything the request produces, errors included, and
    tells caches that pages differ by language."""

    def __init__(self, app: ASGIApp, *, default: str) -> None:
        self.app = app
        self.default = default

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] not in {"http", "websocket"}:
            await self.app(scope, receive, send)
            return
        token = current_language.set(chosen_language(Headers(scope=scope), self.default))
        zone_token = current_time_zone.set(None)

        async def send_with_vary(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                if headers.get("content-type", "").startswith(("text/html", "application/json")):
                    headers.add_vary_header("Accept-Language")
                    headers.add_vary_header("Cookie")
            await send(message)

        try:
            await self.app(scope, receive, send_with_vary if scope["type"] == "http" else send)
        finally:
            current_language.reset(token)
            current_time_zone.reset(zone_token)
