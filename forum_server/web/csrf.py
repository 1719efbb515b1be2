"""Cross-site request forgery protection for cookie-authenticated changes.

A browser sends our cookies with any cross-site form or fetch, so every unsafe
request that comes from a browser must carry a token that only our own pages
know: `csrf_token` in a form (the first field of a multipart form, see
csrf_multipart.py), or the `X-CSRF-Token` header from JavaScript. The
token is an HMAC of a random `forum_csrf` cookie, so it cannot be guessed and
needs no server-side storage. Requests with a foreign `Origin` are refused
outright. Bearer-token requests carry no ambient credentials and need neither.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from urllib.parse import parse_qs

from starlette.datastructures import Headers
from starlette.requests import HTTPConnection, cookie_parser
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from forum_server.i18n import gettext
from forum_server.settings import Settings
from forum_server.web.auth import SESSION_COOKIE
from forum_server.web.csrf_multipart import first_field
from forum_server.web.middleware import send_error

CSRF_COOKIE = "forum_csrf"
CSRF_FIELD = "csrf_token"
CSRF_HEADER = "x-csrf-token"
_SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}
_SCOPE_KEY = "forum.csrf_cookie"
_MAX_FORM_FIELDS = 100
# Paths whose unsafe requests act only by a signed token in the path, never by the
# cookies: a forger would need the token. RFC 8058's one-click unsubscribe is POSTed
# by mail clients, which hold no CSRF token of ours.
_TOKEN_PATHS = ("/mail/unsubscribe/",)


def token_for(secret: str, cookie_value: str) -> str:
    return hmac.new(secret.encode(), b"csrf:" + cookie_value.encode(), hashlib.sha256).hexdigest()


def csrf_token(conn: HTTPConnection, secret: str) -> str:
    """The token to embed in this response's forms. A browser without a CSRF cookie
    gets one with this response (web/front.py sends it), so the forms it is about to
    get carry a token that will verify; answers without forms set no cookie."""
    cookie = conn.scope.get(_SCOPE_KEY) or conn.cookies.get(CSRF_COOKIE, "")
    if not cookie:
        cookie = conn.scope[_SCOPE_KEY] = secrets.token_urlsafe(24)
    return token_for(secret, cookie)


def minted_cookie(scope: Scope, *, secure: bool) -> bytes | None:
    """The Set-Cookie value for a CSRF cookie minted during this request, if any."""
    value = scope.get(_SCOPE_KEY)
    if value is None:
        return None
    flags = "; Secure" if secure else ""
    return f"{CSRF_COOKIE}={value}; Path=/; HttpOnly; SameSite=Lax{flags}".encode()


def _cookies(headers: Headers) -> dict[str, str]:
    # Starlette's lenient parser, the one `request.cookies` uses: the stricter
    # SimpleCookie drops every cookie when another cookie of the site has a space in
    # it, and the check would then see no session cookie at all.
    return cookie_parser(headers.get("cookie", ""))


class CsrfMiddleware:
    def __init__(self, app: ASGIApp, settings: Settings) -> None:
        self.app = app
        self.settings = settings

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] in _SAFE_METHODS:
            await self.app(scope, receive, send)
            return
        headers = Headers(scope=scope)
        cookies = _cookies(headers)
        if headers.get("authorization", "").lower().startswith("bearer "):
            await self.app(scope, receive, send)
            return
        if scope["path"].startswith(_TOKEN_PATHS):
            await self.app(scope, receive, send)
            return
        origin = headers.get("origin")
        if origin is not None and origin.rstrip("/") not in self.settings.origins:
            await _refuse(scope, send, self._foreign_origin(origin))
            return
        content_type = headers.get("content-type", "").split(";")[0].strip().lower()
        is_form = content_type in {"application/x-www-form-urlencoded", "multipart/form-data"}
        if not is_form and not cookies.get(SESSION_COOKIE):
            # No ambient credentials and not a browser form: nothing to forge.
            await self.app(scope, receive, send)
            return
        submitted = headers.get(CSRF_HEADER)
        if submitted is None and content_type == "application/x-www-form-urlencoded":
            body, receive = await _buffer(receive)
            try:
                fields = parse_qs(body.decode("latin-1"), max_num_fields=_MAX_FORM_FIELDS)
            except ValueError:
                message = gettext("The form has too many fields.")
                await send_error(scope, send, 400, "bad_request", message)
                return
            submitted = next(iter(fields.get(CSRF_FIELD, [])), None)
        elif submitted is None and content_type == "multipart/form-data":
            # From the form's first field, before the route accepts any file; never
            # from the address, where tokens end up in logs and Referer headers.
            full_type = headers.get("content-type", "")
            submitted, receive = await first_field(full_type, receive, CSRF_FIELD)
        expected = token_for(self.settings.secret_key, cookies.get(CSRF_COOKIE, ""))
        if (
            not cookies.get(CSRF_COOKIE)
            or not submitted
            # Bytes: compare_digest refuses non-ASCII str (a 500 for a forged token).
            or not hmac.compare_digest(submitted.encode(), expected.encode())
        ):
            message = gettext("The form has expired or did not come from this site; reload it.")
            await _refuse(scope, send, message)
            return
        await self.app(scope, receive, send)

    def _foreign_origin(self, origin: str) -> str:
        base_url = self.settings.base_url
        return gettext(
            "This server takes sign-ins and changes only from %(base_url)s, and this page "
            "was opened at %(origin)s. Open %(base_url)s instead. If you run this "
            "server, set FORUM_BASE_URL to the address people open (or add this one to "
            "FORUM_ALLOWED_ORIGINS) and restart it.",
            base_url=base_url,
            origin=origin[:200],
        )


async def _buffer(receive: Receive) -> tuple[bytes, Receive]:
    """Read the whole (already size-limited) body, and a receive that replays it."""
    chunks = []
    while True:
        message = await receive()
        if message["type"] != "http.request":
            break
        chunks.append(message.get("body", b""))
        if not message.get("more_body", False):
            break
    body = b"".join(chunks)
    sent = False

    async def replay() -> Message:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        return await receive()

    return body, replay


async def _refuse(scope: Scope, send: Send, message: str) -> None:
    await send_error(scope, send, 403, "csrf_failed", message)
