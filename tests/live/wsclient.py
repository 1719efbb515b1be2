"""A few helpers for talking to the live endpoint with the `websockets` client."""

from __future__ import annotations

import asyncio
import json
from typing import Any

from websockets.asyncio.client import ClientConnection, connect

from forum_server.db import Database

TIMEOUT = 5.0


def open_socket(url: str, headers: dict[str, str] | None = None, **options: Any) -> Any:
    """`async with open_socket(url, bearer(token)) as ws:` — a client connection."""
    return connect(url, additional_headers=headers or {}, open_timeout=TIMEOUT, **options)


async def send(ws: ClientConnection, **body: Any) -> None:
    await ws.send(json.dumps(body))


async def recv(ws: ClientConnection) -> dict[str, Any]:
    """The next frame that is not a heartbeat."""
    while True:
        frame: dict[str, Any] = json.loads(await asyncio.wait_for(ws.recv(), TIMEOUT))
        if frame.get("type") != "heartbeat":
            return frame


async def subscribe(ws: ClientConnection, session_id: int, **extra: Any) -> dict[str, Any]:
    await send(ws, type="subscribe", session_id=session_id, **extra)
    return await recv(ws)


async def until_pong(ws: ClientConnection) -> list[dict[str, Any]]:
    """Everything queued for this socket before now: frames are sent in order, so
    whatever the server queued before our ping arrives before its pong."""
    await send(ws, type="ping")
    frames = []
    while (frame := await recv(ws))["type"] != "pong":
        frames.append(frame)
    return frames


async def events_until(ws: ClientConnection, last_id: int) -> list[dict[str, Any]]:
    """Event frames until the one with `last_id` (which is included)."""
    events: list[dict[str, Any]] = []
    while not events or events[-1]["id"] < last_id:
        frame = await recv(ws)
        assert "id" in frame, frame
        events.append(frame)
    return events


async def emit(db: Database, type: str, data: dict[str, Any], **where: Any) -> None:
    async with db.write() as uow:
        uow.emit(type, data, **where)
