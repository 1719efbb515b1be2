"""The reader's interface language, chosen once per request (web/front.py sets it for
everything the request produces, errors included).

In order: the account's preference (set when the caller is known, web/auth.py),
the language picked from the footer's switcher (a cookie, for everyone), the
browser's Accept-Language, and the site's default.
"""

from __future__ import annotations

from collections.abc import Mapping

from starlette.requests import HTTPConnection
from starlette.responses import Response

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


def chosen_language(cookies: Mapping[str, str], accept_language: str | None, default: str) -> str:
    """The switcher's cookie, else Accept-Language, else the site's default."""
    cookie = cookies.get(LANGUAGE_COOKIE, "")
    return base_code(cookie) or from_accept_language(accept_language) or default


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
