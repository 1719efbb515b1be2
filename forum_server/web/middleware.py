"""Pure ASGI middleware every response passes through: request ids and logging,
security headers, and the request size limit."""

from __future__ import annotations

import html
import json
import logging
import re
import secrets
import time

from starlette.datastructures import Headers, MutableHeaders
from starlette.middleware.gzip import GZipMiddleware
from starlette.requests import cookie_parser
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from forum_server.i18n import gettext

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


async def send_error(scope: Scope, send: Send, status: int, code: str, message: str) -> None:
    """An error answered before any route runs: JSON for the API, the site's error page
    otherwise (a bare one before the app has started)."""
    if scope.get("path", "").startswith("/api/"):
        body = json.dumps({"error": {"code": code, "message": message}}).encode()
        content_type = b"application/json"
    else:
        body = _error_page(scope, status, code, message).encode()
        content_type = b"text/html; charset=utf-8"
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"content-type", content_type),
                (b"content-length", str(len(body)).encode()),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})


def _error_page(scope: Scope, status: int, code: str, message: str) -> str:
    ctx = getattr(getattr(scope.get("app"), "state", None), "ctx", None)
    if ctx is not None:
        from forum_server.web.errors import came_from, error_page_html  # errors imports the app

        return error_page_html(
            ctx.templates,
            status,
            message,
            code=code,
            request_id=scope.get("state", {}).get("request_id"),
            back=came_from(Headers(scope=scope), ctx.settings.origins),
        )
    text = html.escape(message)
    return (
        f'<!doctype html><html lang="en"><meta charset="utf-8">'
        f"<title>Error {status}</title><main><h1>Error {status}</h1><p>{text}</p>"
        f'<p><a href="/">Home</a></p></main></html>'
    )


class RequestLogMiddleware:
    """One log line per request, tagged with a request id the client can quote.
    Query strings are not logged: they can carry tokens."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] not in {"http", "websocket"}:
            await self.app(scope, receive, send)
            return
        incoming = Headers(scope=scope).get("x-request-id", "")
        request_id = incoming if _REQUEST_ID.match(incoming) else secrets.token_hex(8)
        scope.setdefault("state", {})["request_id"] = request_id
        started = time.perf_counter()
        status = 0

        async def send_with_id(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                MutableHeaders(scope=message)["x-request-id"] = request_id
            await send(message)

        # A WebSocket sends thousands of frames: hand it the bare send, not a wrapper.
        outgoing = send_with_id if scope["type"] == "http" else send
        try:
            await self.app(scope, receive, outgoing)
        finally:
            took = (time.perf_counter() - started) * 1000
            method = scope.get("method", "WS")
            log.info(
                "%s %s %s %.1fms rid=%s", method, scope["path"], status or "-", took, request_id
            )


class SecurityHeadersMiddleware:
    def __init__(self, app: ASGIApp, *, hsts: bool) -> None:
        self.app = app
        self.headers = dict(SECURITY_HEADERS)
        if hsts:
            self.headers["strict-transport-security"] = "max-age=31536000"

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for name, value in self.headers.items():
                    headers.setdefault(name, value)
            await send(message)

        await self.app(scope, receive, send_with_headers)


PRIVATE = "private, no-store"


class PrivateCacheMiddleware:
    """Nothing answered to a signed-in caller is kept by a shared cache or on disk:
    every response to a request carrying a sign-in cookie or an API token, or setting
    the sign-in cookie, says `Cache-Control: private, no-store`. That covers every page
    of a members space, which only signed-in members get; pages reached through a secret
    link (an invitation to a members space, an e-mail confirmation, single sign-on, a
    personal calendar or feed) are private even to a visitor not signed in. Static files
    stay cacheable: they are the same for everyone."""

    SECRET_LINKS = ("/invitations/", "/confirm-email/", "/auth/", "/api/v1/feeds/")

    def __init__(self, app: ASGIApp, *, session_cookie: str, static_prefix: str = "/static/"):
        self.app = app
        self.session_cookie = session_cookie
        self.cookie_marker = f"{session_cookie}=".encode()
        self.static_prefix = static_prefix

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"].startswith(self.static_prefix):
            await self.app(scope, receive, send)
            return
        headers = Headers(scope=scope)
        private = (
            headers.get("authorization", "").lower().startswith("bearer ")
            or bool(cookie_parser(headers.get("cookie", "")).get(self.session_cookie))
            or scope["path"].startswith(self.SECRET_LINKS)
        )

        async def send_private(message: Message) -> None:
            if message["type"] == "http.response.start":
                response = MutableHeaders(scope=message)
                sets_sign_in = any(
                    value.startswith(self.cookie_marker)
                    for name, value in message.get("headers", [])
                    if name.lower() == b"set-cookie"
                )
                if private or sets_sign_in:
                    response["cache-control"] = PRIVATE
            await send(message)

        await self.app(scope, receive, send_private)


_VERSIONED = re.compile(rb"(?:^|&)v=[0-9a-f]{8,64}(?:&|$)")
IMMUTABLE = "public, max-age=31536000, immutable"


class StaticCacheMiddleware:
    """Versioned static files (`/static/forum.css?v=<content hash>`, as `static_url`
    writes them) never change under their URL, so browsers keep them for a year without
    asking again: on a slow connection the stylesheet and script cost one visit."""

    def __init__(self, app: ASGIApp, *, prefix: str = "/static/") -> None:
        self.app = app
        self.prefix = prefix

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if (
            scope["type"] != "http"
            or not scope["path"].startswith(self.prefix)
            or not _VERSIONED.search(scope.get("query_string", b""))
        ):
            await self.app(scope, receive, send)
            return

        async def send_cacheable(message: Message) -> None:
            if message["type"] == "http.response.start" and message["status"] in {200, 304}:
                MutableHeaders(scope=message)["cache-control"] = IMMUTABLE
            await send(message)

        await self.app(scope, receive, send_cacheable)


class _BodyTooLarge(Exception):
    pass


# Where files are uploaded: these take bodies up to the upload limit.
UPLOAD_PATHS = re.compile(
    r"^(?:(?:/api/v1)?/(?:spaces/[^/]+/library|documents/\d+/versions|threads/\d+/attachments)"
    r"|/threads/\d+/posts)$"  # the thread page's form, which may carry a file
)


class BodyLimitMiddleware:
    """Refuses bodies over the limit with 413, whether declared or streamed; upload
    routes have their own, larger limit."""

    def __init__(self, app: ASGIApp, *, max_bytes: int, upload_bytes: int | None = None) -> None:
        self.app = app
        self.body_bytes = max_bytes
        self.upload_bytes = upload_bytes or max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = self.upload_bytes if UPLOAD_PATHS.match(scope["path"]) else self.body_bytes
        # A form's fields and boundaries come on top of the file itself.
        max_bytes = limit + 64 * 1024 if limit != self.body_bytes else limit
        declared = Headers(scope=scope).get("content-length")
        if declared is not None:
            if not declared.isdigit():
                message = gettext("Invalid Content-Length.")
                await send_error(scope, send, 400, "bad_request", message)
                return
            if int(declared) > max_bytes:
                await _too_large(scope, send, limit)
                return
        received = 0
        started = False

        async def counting_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > max_bytes:
                    raise _BodyTooLarge
            return message

        async def tracking_send(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, counting_receive, tracking_send)
        except _BodyTooLarge:
            if not started:
                await _too_large(scope, send, limit)


async def _too_large(scope: Scope, send: Send, limit: int) -> None:
    message = gettext("The request body is larger than %(limit)s bytes.", limit=limit)
    await send_error(scope, send, 413, "too_large", message)


# Stored files as they are served: already compressed (PDF, Office, images) or large,
# and resumed by byte ranges, which a compressed body would no longer match.
FILE_PATHS = re.compile(r"^(?:/api/v1)?/files/\d+(?:/preview)?$")


class CompressionMiddleware:
    """gzip for pages and JSON; stored files go out as they are. Compressing a 20 MB
    PDF again costs a core for a second or more and saves almost nothing."""

    def __init__(self, app: ASGIApp, *, minimum_size: int) -> None:
        self.app = app
        self.gzip = GZipMiddleware(app, minimum_size=minimum_size)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and FILE_PATHS.match(scope["path"]):
            await self.app(scope, receive, send)
            return
        await self.gzip(scope, receive, send)
