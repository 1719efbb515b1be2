"""GET /api/v1/live: the WebSocket a browser or API client follows sessions with.

Thin transport: the handshake (who is calling, from which site), then the socket is
served until one side ends. Where the server can detach it (`DETACH`), the endpoint
returns and the socket is served by callbacks and short-lived tasks
(`live/detached.py`): an idle viewer then costs no task at all. Elsewhere it keeps
two: one reads and answers the client's frames, one waits for the connection's end.
Either way, frames skip the queue while the socket keeps up (`SEND_NOW`), a sender
task lives only while frames wait, and heartbeats and re-checks are timers
(`live/upkeep.py`).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging

from starlette.responses import JSONResponse
from starlette.routing import WebSocketRoute
from starlette.websockets import WebSocket, WebSocketState

from forum_server.errors import DomainError
from forum_server.i18n import gettext as _
from forum_server.live import protocol
from forum_server.live.connection import Connection, Credential
from forum_server.live.detached import DetachedSocket
from forum_server.live.hub import Hub
from forum_server.live.incoming import answer
from forum_server.live.upkeep import Upkeep
from forum_server.settings import Settings
from forum_server.throttle import network_of
from forum_server.web.auth import SESSION_COOKIE, actor_of, bearer_token, client_address
from forum_server.web.context import app_context
from forum_server.web.live_socket import DETACH, SEND_NOW

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
    extensions = websocket.scope.get("extensions") or {}
    connection.write_now = extensions.get(SEND_NOW)
    hub.attach(
        connection,
        per_account=settings.live_connections_per_account,
        per_network=settings.live_connections_per_address,
    )
    detach = extensions.get(DETACH)
    if detach is not None:
        DetachedSocket(hub, connection, settings.session_days).take_over(detach)
        return
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
    upkeep = Upkeep(hub, connection, settings.session_days)
    connection.start_sending(websocket.send_text)
    reader = asyncio.create_task(_read(websocket, hub, connection))
    closing = asyncio.create_task(connection.wait_closed())
    try:
        if not connection.closed:
            upkeep.start()
        await asyncio.wait((reader, closing), return_when=asyncio.FIRST_COMPLETED)
        client_left = _client_left(reader) or connection.send_failed
        if client_left:
            connection.close(protocol.CLOSE_NORMAL)
        else:
            connection.close(protocol.CLOSE_INTERNAL, "internal error")  # if nothing asked yet
        upkeep.stop()
        reader.cancel()
        if connection.drain:
            await connection.wait_sent(connection.config.close_timeout)
        connection.stop_sending()
        await asyncio.wait((reader, closing))
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
        upkeep.stop()
        connection.stop_sending()
        for task in (reader, closing):
            task.cancel()


def _client_left(reader: asyncio.Task[bool]) -> bool:
    if reader.done() and not reader.cancelled():
        if reader.exception() is None:
            return reader.result()
        log.error("live connection reader failed", exc_info=reader.exception())
    return False


async def _read(websocket: WebSocket, hub: Hub, connection: Connection) -> bool:
    """Answer the client's frames; True when the client left, False when we close."""
    while True:
        outcome = await answer(hub, connection, await websocket.receive())
        if outcome is not None:
            return outcome
