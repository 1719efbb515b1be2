"""A live WebSocket once its endpoint has returned (where the server can detach it:
`web/live_socket.py`): no task and no middleware frames while it is idle.

The protocol calls `wake` when a message waits; a reader task then answers what
waits, in order, and ends. Frames go out as on any socket (`Connection.offer`: at
once, or through a sender task while some wait). Heartbeats and re-checks are timers
(`live/upkeep.py`). When the connection is asked to close, a last task drains what
must be drained, sends the close frame, detaches it from the hub and lets the server
close the socket.
"""

from __future__ import annotations

import asyncio
import contextlib
import contextvars
import logging
from collections.abc import Callable
from typing import Any, Protocol

from forum_server.live import protocol
from forum_server.live.connection import Connection
from forum_server.live.hub import Hub
from forum_server.live.incoming import answer
from forum_server.live.upkeep import Upkeep

log = logging.getLogger(__name__)


class Socket(Protocol):
    """What the server's protocol offers a detached socket's app."""

    async def receive(self) -> Any: ...

    async def send(self, message: Any) -> None: ...

    def release(self) -> None: ...

    @property
    def queue(self) -> Any: ...


Detach = Callable[[Callable[[], None]], Socket]


class DetachedSocket:
    __slots__ = ("_ending", "_left", "_reader", "connection", "context", "hub", "socket", "upkeep")

    def __init__(self, hub: Hub, connection: Connection, session_days: int) -> None:
        self.hub, self.connection = hub, connection
        self.upkeep = Upkeep(hub, connection, session_days)
        # The request's context (its language, …) for the tasks started later.
        self.context = contextvars.copy_context()
        self._reader: asyncio.Task[None] | None = None
        self._ending: asyncio.Task[None] | None = None
        self._left = False  # the client left: no close frame to send

    def take_over(self, detach: Detach) -> None:
        """Serve the socket from now on; the endpoint returns right after."""
        self.socket = detach(self._wake)
        connection = self.connection
        connection.start_sending(self._send_text)
        connection.on_close = self._closed
        if connection.closed:  # refused by the hub (a cap, or the server stopping)
            self._closed()
        else:
            self.upkeep.start()

    async def _send_text(self, frame: str) -> None:
        await self.socket.send({"type": "websocket.send", "text": frame})

    def _wake(self) -> None:
        if self._reader is None and self._ending is None:
            loop = asyncio.get_running_loop()
            self._reader = loop.create_task(self._read(), context=self.context)

    async def _read(self) -> None:
        try:
            while not self.socket.queue.empty():
                outcome = await answer(self.hub, self.connection, await self.socket.receive())
                if outcome is not None:
                    if outcome:
                        self._left = True
                        self.connection.close(protocol.CLOSE_NORMAL)
                    return
        except Exception:
            log.error("live connection reader failed", exc_info=True)
            self.connection.close(protocol.CLOSE_INTERNAL, "internal error")
        finally:
            self._reader = None

    def _closed(self) -> None:
        if self._ending is None:
            loop = asyncio.get_running_loop()
            self._ending = loop.create_task(self._end(), context=self.context)

    async def _end(self) -> None:
        connection = self.connection
        self.upkeep.stop()
        if self._reader is not None:
            self._reader.cancel()
        try:
            if connection.drain:
                await connection.wait_sent(connection.config.close_timeout)
            connection.stop_sending()
            if not (self._left or connection.send_failed):
                assert connection.close_code is not None
                close = {
                    "type": "websocket.close",
                    "code": connection.close_code,
                    "reason": connection.close_reason,
                }
                # A client that stopped reading may never make room for the close frame.
                with contextlib.suppress(Exception):
                    await asyncio.wait_for(self.socket.send(close), connection.config.close_timeout)
        finally:
            self.hub.detach(connection)
            self.socket.release()
