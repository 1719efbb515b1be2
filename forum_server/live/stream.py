"""GET /api/v1/live/events: the same live delivery as the WebSocket, as Server-Sent
Events, for networks that block WebSocket upgrades.

Only the transport differs. A stream is a `Connection` attached to the hub and
subscribed to one session exactly as a socket's `subscribe` frame would do it: the
same replay from a cursor, the same per-viewer visibility, the same caps, heartbeats
and re-checks (`live/upkeep.py`). Each frame the hub queues goes out as one SSE
message whose data is the very frame a socket would get; an event carries its id as
the SSE `id:`, so a browser that reconnects by itself sends `Last-Event-ID` and is
replayed what came after it, once. Heartbeats are comments. When the connection
ends (signed out, access lost, too slow, server restart), a last `close` message
gives the code a socket would have been closed with, and the stream ends.
"""

from __future__ import annotations

import asyncio
import contextlib
import json

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route
from starlette.types import Receive, Scope, Send

from forum_server.errors import Forbidden, Invalid
from forum_server.i18n import N_
from forum_server.live import protocol
from forum_server.live.connection import Connection, Credential
from forum_server.live.hub import Hub
from forum_server.live.upkeep import Upkeep
from forum_server.schemas import MAX_EVENT_ID, MAX_ID
from forum_server.settings import Settings
from forum_server.throttle import network_of
from forum_server.web.auth import SESSION_COOKIE, actor_of, bearer_token, client_address
from forum_server.web.context import app_context

CLOSE_GONE = 4404  # the session is missing, or no longer visible to the caller
RETRY_MS = 3000  # how long a browser waits before reconnecting by itself
_EVENT_PREFIX = '{"id":'
_HEARTBEAT_PREFIX = '{"type":"heartbeat"'
_ERROR_PREFIX = '{"type":"error"'


def sse_message(frame: str) -> bytes:
    """One hub frame as an SSE message (frames are JSON on one line)."""
    if frame.startswith(_EVENT_PREFIX):
        event_id = frame[len(_EVENT_PREFIX) : frame.index(",")]
        return f"id: {event_id}\ndata: {frame}\n\n".encode()
    if frame.startswith(_HEARTBEAT_PREFIX):
        return b": heartbeat\n\n"
    if frame.startswith(_ERROR_PREFIX):
        return f"event: refused\ndata: {frame}\n\n".encode()
    return f"data: {frame}\n\n".encode()


def _number(raw: str | None, name: str, minimum: int, maximum: int) -> int | None:
    if raw is None or raw == "":
        return None
    if not raw.isdigit() or not minimum <= int(raw) <= maximum:
        raise Invalid(
            N_("%(name)s must be an integer from %(minimum)s."),
            field=name,
            params={"name": name, "minimum": minimum},
        )
    return int(raw)


def stream_request(request: Request) -> tuple[int, int | None]:
    """The session followed and the cursor to resume after (`Last-Event-ID` first)."""
    session_id = _number(request.query_params.get("session_id"), "session_id", 1, MAX_ID)
    if session_id is None:
        raise Invalid(N_("session_id is required."), field="session_id")
    last = request.headers.get("last-event-id")
    if last is not None and last.strip():
        return session_id, _number(last.strip(), "Last-Event-ID", 0, MAX_EVENT_ID)
    return session_id, _number(request.query_params.get("after"), "after", 0, MAX_EVENT_ID)


class EventStream(Response):
    """The streaming answer: attach, subscribe, send what the hub queues, end on close."""

    media_type = "text/event-stream"

    def __init__(
        self,
        hub: Hub,
        connection: Connection,
        session_id: int,
        after: int | None,
        settings: Settings,
    ) -> None:
        # Not Response.__init__: it would declare an empty body's Content-Length.
        self.status_code, self.background = 200, None
        self.raw_headers = [
            (b"content-type", b"text/event-stream; charset=utf-8"),
            (b"cache-control", b"no-store, no-transform"),
            (b"x-accel-buffering", b"no"),  # nginx: pass each message on at once
        ]
        self.hub, self.connection, self.settings = hub, connection, settings
        self.session_id, self.after = session_id, after

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        hub, connection = self.hub, self.connection
        await send({"type": "http.response.start", "status": 200, "headers": self.raw_headers})

        async def write(body: bytes) -> None:
            await send({"type": "http.response.body", "body": body, "more_body": True})

        async def deliver(frame: str) -> None:
            await write(sse_message(frame))
            if frame.startswith(_ERROR_PREFIX):  # a stream follows one session: it ends
                connection.close(CLOSE_GONE, "not found", drain=True)

        hub.attach(
            connection,
            per_account=self.settings.live_connections_per_account,
            per_network=self.settings.live_connections_per_address,
        )
        upkeep = Upkeep(hub, connection, self.settings.session_days)
        tasks: list[asyncio.Task[None]] = []
        try:
            await write(f"retry: {RETRY_MS}\n\n".encode())
            if not connection.closed:
                await hub.subscribe(connection, self.session_id, self.after)
            connection.start_sending(deliver)
            if not connection.closed:
                upkeep.start()
            tasks = [
                asyncio.create_task(connection.wait_closed()),
                asyncio.create_task(_disconnected(receive)),
            ]
            done, _ = await asyncio.wait(tasks, return_when=asyncio.FIRST_COMPLETED)
            if tasks[1] in done or connection.send_failed:
                return  # the client left: nothing more to write
            connection.close(protocol.CLOSE_NORMAL)  # if nothing asked yet
            upkeep.stop()
            if connection.drain:
                await connection.wait_sent(connection.config.close_timeout)
            connection.stop_sending()
            ending = {"code": connection.close_code, "reason": connection.close_reason}
            with contextlib.suppress(OSError):
                await write(f"event: close\ndata: {json.dumps(ending)}\n\n".encode())
                await send({"type": "http.response.body", "body": b"", "more_body": False})
        finally:
            upkeep.stop()
            connection.stop_sending()
            for task in tasks:
                task.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)
            hub.detach(connection)


async def _disconnected(receive: Receive) -> None:
    while (await receive())["type"] != "http.disconnect":
        pass


async def live_events(request: Request) -> Response:
    hub: Hub = request.app.state.hub
    settings = app_context(request).settings
    session_id, after = stream_request(request)
    origin = request.headers.get("origin")
    if origin is not None and origin.rstrip("/") not in settings.origins:
        raise Forbidden(N_("This origin may not connect."), code="forbidden_origin")
    actor = await actor_of(request)
    token, cookie = bearer_token(request), request.cookies.get(SESSION_COOKIE)
    credential = (
        Credential("bearer", token)
        if token is not None
        else Credential("cookie", cookie)
        if cookie and actor.signed_in
        else None  # a guest, or a stale cookie: nothing to re-check
    )
    network = network_of(client_address(request, settings))
    connection = Connection(actor, credential, hub.config, network)
    return EventStream(hub, connection, session_id, after, settings)


routes = [Route("/api/v1/live/events", live_events, methods=["GET"])]
