"""Pure ASGI middleware below the front layer (web/front.py): the request size limit,
compression, and the static files' caching; and the errors answered before any route."""

from __future__ import annotations

import html
import json
import re

from starlette.datastructures import Headers, MutableHeaders
from starlette.middleware.gzip import DEFAULT_EXCLUDED_CONTENT_TYPES, GZipResponder
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from forum_server.i18n import gettext


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


_VERSIONED = re.compile(rb"(?:^|&)v=[0-9a-f]{8,64}(?:&|$)")
IMMUTABLE = "public, max-age=31536000, immutable"


class StaticCacheMiddleware:
    """Versioned static files (`/static/forum.css?v=<content hash>`, as `static_url`
    writes them) never change under their URL, so browsers keep them for a year without
    asking again: on a slow connection the stylesheet and script cost one visit. It
    wraps the static files' mount only, so other requests never pass through it."""

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
    PDF again costs a core for a second or more and saves almost nothing.

    Starlette's GZipMiddleware, less its per-request set-up: the responder is built
    directly with the excluded types read once, and a client that takes no gzip gets
    only what Starlette's identity responder does (`Vary: Accept-Encoding` on bodies
    that would have been compressed), without holding anything back otherwise."""

    def __init__(self, app: ASGIApp, *, minimum_size: int) -> None:
        self.app = app
        self.minimum_size = minimum_size
        self.excluded = frozenset(DEFAULT_EXCLUDED_CONTENT_TYPES)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or FILE_PATHS.match(scope["path"]):
            await self.app(scope, receive, send)
            return
        accepts = next((v for n, v in scope["headers"] if n == b"accept-encoding"), b"")
        if b"gzip" in accepts:
            responder = GZipResponder(
                self.app, self.minimum_size, exclude_content_types=tuple(self.excluded)
            )
            await responder(scope, receive, send)
            return
        await self.app(scope, receive, self._identity(send))

    def _identity(self, send: Send) -> Send:
        held: Message | None = None

        async def send_identity(message: Message) -> None:
            nonlocal held
            kind = message["type"]
            if kind == "http.response.start" and self._may_compress(message):
                held = message  # until the body says whether it would have been compressed
                return
            if held is not None and kind in ("http.response.body", "http.response.pathsend"):
                start, held = held, None
                body = message.get("body", b"")
                if kind == "http.response.body" and (
                    message.get("more_body", False) or len(body) >= self.minimum_size
                ):
                    MutableHeaders(raw=start["headers"]).add_vary_header("Accept-Encoding")
                await send(start)
            await send(message)

        return send_identity

    def _may_compress(self, start: Message) -> bool:
        """What Starlette's responders check before looking at the body."""
        if start["status"] == 206:
            return False
        start.setdefault("headers", [])
        content_type = b""
        for name, value in start["headers"]:
            name = name.lower()
            if name == b"content-encoding":
                return False
            if name == b"content-type" and not content_type:
                content_type = value
        media = content_type.decode("latin-1").partition(";")[0].strip().lower()
        kinds = {media, media.partition("/")[0] + "/*"}
        if media.startswith("application/grpc+"):
            kinds.add("application/grpc")
        return kinds.isdisjoint(self.excluded)
