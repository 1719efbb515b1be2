"""What a live socket does with each message its client sends, whichever way the
socket is served (its own task, or detached: `live/detached.py`)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from forum_server.errors import DomainError
from forum_server.i18n import N_
from forum_server.live import protocol
from forum_server.live.connection import Connection
from forum_server.live.hub import Hub
from forum_server.live.ratelimit import Verdict


async def answer(hub: Hub, connection: Connection, message: Mapping[str, Any]) -> bool | None:
    """Answer one ASGI message: True when the client left, False when we close, None
    to go on reading."""
    config = connection.config
    if message["type"] == "websocket.disconnect":
        return True
    verdict = connection.limiter.check()
    if verdict is Verdict.CLOSE:
        connection.close(protocol.CLOSE_POLICY, "too many frames", drain=True)
        return False
    if verdict is Verdict.REFUSE:
        connection.offer_error("rate_limited", N_("Too many frames; slow down."))
        return None
    text = message.get("text")
    if text is None:
        connection.offer_error("bad_frame", N_("Send JSON in text frames."))
        return None
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
    return False if connection.closed else None


async def _handle(hub: Hub, connection: Connection, request: protocol.Request) -> None:
    if isinstance(request, protocol.Subscribe):
        await hub.subscribe(connection, request.session_id, request.after, request.presence)
    elif isinstance(request, protocol.Unsubscribe):
        hub.unsubscribe(connection, request.session_id)
    else:
        connection.offer(protocol.pong_frame(hub.position))
