"""The first layer every request passes: what the site adds to every exchange, done in
one pass over the request's headers and one over the response's.

- a request id the client can quote (theirs if well-formed), and one log line per
  request (query strings are not logged: they can carry tokens);
- the interface language (web/language.py) for everything the request produces,
  errors included, and `Vary: Accept-Language, Cookie` on pages and JSON;
- the security headers, unless a route set its own;
- `Cache-Control: private, no-store` on every answer to a signed-in caller (web/cache
  rules below);
- the CSRF cookie, when this response's forms were given a token for a browser that
  had none (web/csrf.py mints it).

This was six middleware layers, each wrapping `send` and parsing the headers again;
together they cost about as much as the rest of a trivial request.
"""

from __future__ import annotations

import logging
import re
import secrets
import time

from starlette.requests import cookie_parser
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from forum_server.i18n import current_language, current_time_zone
from forum_server.settings import Settings
from forum_server.web.csrf import minted_cookie
from forum_server.web.language import chosen_language

log = logging.getLogger("forum_server.requests")

_REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")

CONTENT_SECURITY_POLICY = "; ".join(
    (
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "frame-ancestors 'none'",
        "form-action 'self'",
    )
)
SECURITY_HEADERS = {
    "content-security-policy": CONTENT_SECURITY_POLICY,
    "x-content-type-options": "nosniff",
    "referrer-policy": "same-origin",
    "x-frame-options": "DENY",
    "cross-origin-opener-policy": "same-origin",
    "permissions-policy": "camera=(), microphone=(), geolocation=(), interest-cohort=()",
}

PRIVATE = b"private, no-store"
# Nothing answered to a signed-in caller is kept by a shared cache or on disk: every
# response to a request carrying a sign-in cookie or an API token, or setting the
# sign-in cookie, is private. So is every page reached through a secret link (an
# invitation to a members space, an e-mail confirmation, single sign-on, a personal
# calendar or feed), even to a visitor not signed in. Static files stay cacheable.
SECRET_LINKS = ("/invitations/", "/confirm-email/", "/auth/", "/api/v1/feeds/")
_VARIED = (b"text/html", b"application/json")


class FrontMiddleware:
    def __init__(
        self,
        app: ASGIApp,
        *,
        settings: Settings,
        session_cookie: str,
        static_prefix: str = "/static/",
    ) -> None:
        self.app = app
        self.default_language = settings.default_language
        security = dict(SECURITY_HEADERS)
        if settings.base_url.startswith("https://"):
            security["strict-transport-security"] = "max-age=31536000"
        self.security = [(name.encode(), value.encode()) for name, value in security.items()]
        self.session_cookie = session_cookie
        self.sign_in_marker = f"{session_cookie}=".encode()
        self.static_prefix = static_prefix
        self.secure_cookies = settings.cookies_secure

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        kind = scope["type"]
        if kind != "http" and kind != "websocket":
            await self.app(scope, receive, send)
            return
        incoming = cookie = language = authorization = None
        for name, value in scope["headers"]:
            if name == b"cookie":
                # Every Cookie header, as `request.cookies` reads them.
                cookie = value if cookie is None else cookie + b"; " + value
            elif name == b"x-request-id" and incoming is None:
                incoming = value.decode("latin-1")
            elif name == b"accept-language" and language is None:
                language = value.decode("latin-1")
            elif name == b"authorization" and authorization is None:
                authorization = value
        cookies = cookie_parser(cookie.decode("latin-1")) if cookie else {}
        request_id = incoming if incoming and _REQUEST_ID.match(incoming) else secrets.token_hex(8)
        scope.setdefault("state", {})["request_id"] = request_id
        started = time.perf_counter()
        status = 0
        language_token = current_language.set(
            chosen_language(cookies, language, self.default_language)
        )
        zone_token = current_time_zone.set(None)
        path: str = scope["path"]
        private = not path.startswith(self.static_prefix) and (
            (authorization is not None and authorization[:7].lower() == b"bearer ")
            or bool(cookies.get(self.session_cookie))
            or path.startswith(SECRET_LINKS)
        )

        async def send_with_headers(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                message["headers"] = self._finish(
                    scope, list(message.get("headers", ())), request_id, private
                )
            await send(message)

        try:
            # A WebSocket sends thousands of frames: hand it the bare send, not a wrapper.
            await self.app(scope, receive, send_with_headers if kind == "http" else send)
        finally:
            current_language.reset(language_token)
            current_time_zone.reset(zone_token)
            took = (time.perf_counter() - started) * 1000
            method = scope.get("method", "WS")
            log.info("%s %s %s %.1fms rid=%s", method, path, status or "-", took, request_id)

    def _finish(
        self, scope: Scope, headers: list[tuple[bytes, bytes]], request_id: str, private: bool
    ) -> list[tuple[bytes, bytes]]:
        """The response's headers with the site's own, in one pass."""
        if (minted := minted_cookie(scope, secure=self.secure_cookies)) is not None:
            headers.append((b"set-cookie", minted))
        present: set[bytes] = set()
        content_type = vary = None
        sets_sign_in = False
        for name, value in headers:
            name = name.lower()
            present.add(name)
            if name == b"content-type" and content_type is None:
                content_type = value
            elif name == b"vary" and vary is None:
                vary = value
            elif name == b"set-cookie" and value.startswith(self.sign_in_marker):
                sets_sign_in = True
        if private or sets_sign_in:
            _replace(headers, b"cache-control", PRIVATE)
        headers.extend(item for item in self.security if item[0] not in present)
        if content_type is not None and content_type.startswith(_VARIED):
            varied = b"Accept-Language, Cookie"
            _replace(headers, b"vary", varied if vary is None else vary + b", " + varied)
        _replace(headers, b"x-request-id", request_id.encode())
        return headers


def _replace(headers: list[tuple[bytes, bytes]], name: bytes, value: bytes) -> None:
    """Set a header: the first of its name takes the value, any others go."""
    found = [i for i, (n, _) in enumerate(headers) if n.lower() == name]
    if not found:
        headers.append((name, value))
        return
    headers[found[0]] = (name, value)
    for index in reversed(found[1:]):
        del headers[index]
