"""GET /api/v1/live: the WebSocket a browser or API client follows sessions with.

Thin transport: the handshake (who is calling, from which site), then three tasks
per socket — read and answer the client's frames, send what the hub queued, and a
ticker for heartbeats and re-checking credentials and access — until one side ends.
Where the server offers it (`SEND_NOW`), frames skip the queue and its task while the
socket keeps up.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging

from starlette.responses import JSONResponse
from starlette.routing import WebSocketRoute
from starlette.websockets import WebSocket, WebSocketState

from forum_server.errors import DomainError
from forum_server.i18n import N_
from forum_server.i18n import gettext as _
from forum_server.live import protocol
from forum_server.live.connection import Connection, Credential
from forum_server.live.hub import Hub
from forum_server.live.ratelimit import Verdict
from forum_server.live.upkeep import tick
from forum_server.settings import Settings
from forum_server.throttle import network_of
from forum_server.web.auth import SESSION_COOKIE, actor_of, bearer_token, client_address
from forum_server.web.context import app_context
from forum_server.web.server import SEND_NOW

log = logging.getLogger(__name__)


async def live_endpoint(websocket: WebSocket) -> None:
    hub: Hub = websocket.app.state.hub
    settings = app_context(websocket).settings
    credential = _credential(websocket)
    if credential is not None and credential.kind == "cookie":
        # Browsers send cookies with any site's WebSocket and CORS does not apply:
        # refuse before reading the cookie, let alone sending anything.
        origin = websocket.headers.get("origin")
        if origin is None or origin.rstrip("/") not in settings.origins:
            await _deny(websocket, 403, "forbidden_origin", _("This origin may not connect."))
            return
    try:
        actor = await actor_of(websocket)
    except DomainError as exc:  # a wrong or revoked token, or the database busy
        await _deny(websocket, exc.status, exc.code, exc.message)
        return
    if credential is not None and credential.kind == "cookie" and not actor.signed_in:
        credential = None  # a stale cookie: a guest, with nothing to re-check
    await websocket.accept()
    network = network_of(client_address(websocket, settings))
    connection = Connection(actor, credential, hub.config, network)
    connection.write_now = websocket.scope.get("extensions", {}).get(SEND_NOW)
    hub.attach(
        connection,
        per_account=settings.live_connections_per_account,
        per_network=settings.live_connections_per_address,
    )
    try:
        await _serve(websocket, hub, connection, settings)
    finally:
        hub.detach(connection)


routes = [WebSocketRoute("/api/v1/live", live_endpoint)]


def _credential(websocket: WebSocket) -> Credential | None:
    token = bearer_token(websocket)
    if token is not None:
        return Credential("bearer", token)
    cookie = websocket.cookies.get(SESSION_COOKIE)
    return Credential("cookie", cookie) if cookie else None


async def _deny(websocket: WebSocket, status: int, code: str, message: str) -> None:
    """Refuse the handshake with an HTTP answer (a bare 403 where unsupported)."""
    body = {"error": {"code": code, "message": message}}
    try:
        await websocket.send_denial_response(JSONResponse(body, status_code=status))
    except RuntimeError:
        await websocket.close(protocol.CLOSE_FORBIDDEN_ORIGIN if status == 403 else 4000 + status)


async def _serve(
    websocket: WebSocket, hub: Hub, connection: Connection, settings: Settings
) -> None:
    reader = asyncio.create_task(_read(websocket, hub, connection))
    sender = asyncio.create_task(connection.pump(websocket.send_text))
    ticker = asyncio.create_task(tick(hub, connection, settings.session_days))
    closing = asyncio.create_task(connection.wait_closed())
    tasks = (reader, sender, ticker, closing)
    try:
        await asyncio.wait((reader, sender, closing), return_when=asyncio.FIRST_COMPLETED)
        client_left = _client_left(reader, sender)
        if client_left:
            connection.close(protocol.CLOSE_NORMAL)
        else:
            connection.close(protocol.CLOSE_INTERNAL, "internal error")  # if nothing asked yet
        for task in (reader, ticker, closing):
            task.cancel()
        if connection.drain and not sender.done():
            await asyncio.wait([sender], timeout=connection.config.close_timeout)
        sender.cancel()
        await asyncio.wait(tasks)
        if client_left or websocket.application_state != WebSocketState.CONNECTED:
            return
        assert connection.close_code is not None
        # A client that stopped reading may never make room for the close frame.
        with contextlib.suppress(Exception):
            await asyncio.wait_for(
                websocket.close(connection.close_code, connection.close_reason),
                connection.config.close_timeout,
            )
    finally:
        for task in tasks:
            task.cancel()


def _client_left(reader: asyncio.Task[bool], sender: asyncio.Task[None]) -> bool:
    if reader.done() and not reader.cancelled():
        if reader.exception() is None:
            return reader.result()
        log.error("live connection reader failed", exc_info=reader.exception())
    # Sending failed: the client is gone.
    return sender.done() and not sender.cancelled() and sender.exception() is not None


async def _read(websocket: WebSocket, hub: Hub, connection: Connection) -> bool:
    """Answer the client's frames; True when the client left, False when we close."""
    config = connection.config
    while True:
        message = await websocket.receive()
        if message["type"] == "websocket.disconnect":
            return True
        verdict = connection.limiter.check()
        if verdict is Verdict.CLOSE:
            connection.close(protocol.CLOSE_POLICY, "too many frames", drain=True)
            return False
        if verdict is Verdict.REFUSE:
            connection.offer_error("rate_limited", N_("Too many frames; slow down."))
            continue
        text = message.get("text")
        if text is None:
            connection.offer_error("bad_frame", N_("Send JSON in text frames."))
            continue
        if len(text) > config.max_frame_bytes // 4 and len(text.encode()) > config.max_frame_bytes:
            connection.offer_error(
                "too_large",
                N_("Frames are limited to %(limit)s bytes."),
                params={"limit": config.max_frame_bytes},
            )
            connection.close(protocol.CLOSE_TOO_LARGE, "frame too large", drain=True)
            return False
        try:
            await _handle(hub, connection, protocol.parse(text))
        except protocol.ProtocolError as exc:
            connection.offer_error(exc.code, exc.message, field=exc.field, params=exc.params)
        except DomainError as exc:  # e.g. the database busy
            connection.offer_error(exc.code, exc.template, params=exc.params)
        if connection.closed:
            return False


async def _handle(hub: Hub, connection: Connection, request: protocol.Request) -> None:
    if isinstance(request, protocol.Subscribe):
        await hub.subscribe(connection, request.session_id, request.after, request.presence)
    elif isinstance(request, protocol.Unsubscribe):
        hub.unsubscribe(connection, request.session_id)
    else:
        connection.offer(protocol.pong_frame(hub.position))
