"""uvicorn's WebSocket protocol as live sockets use it: a faster way out, and sockets
that cost little while idle.

Through ASGI, every frame to every viewer is an `await send(...)` in that socket's own
task: at 2,000 viewers of one session that is 2,000 task wake-ups and coroutine chains
per event, most of the server's CPU. `LiveWebSocketProtocol` offers the app, as the
ASGI extension `SEND_NOW`, a plain function that writes a text frame at once when the
socket can take it, the way `websockets.broadcast` does. The frame bytes of an event
are built once and written to every socket: without permessage-deflate, a server's
frames carry no mask or per-connection state. The app falls back to `send` whenever
the function says no (the socket's buffer is full, or it is closing), and when the
server is another one.

Frames written that way wait for the end of the loop's current step and go out
together, one write per socket: when the hub dispatches several events at once (as
it does when posts come faster than it reads them), each socket costs one system
call, not one per event. The first frame a socket buffers in a step schedules the
step's flush (`loop.call_soon`), so each frame leaves by the end of the step it was
written in, whatever else happens on the socket; anything else the protocol writes
(a close frame, a ping, a frame sent through ASGI while the transport was paused)
and closing the transport send what waits first, so nothing overtakes.

Through ASGI, a socket also keeps a task and its whole chain of middleware frames
alive for as long as it is open, most of what an idle viewer costs. With the extension
`DETACH`, the app takes the socket over once it is set up: its coroutine returns, the
socket stays open, and the protocol calls `wake` when something arrives (a frame, the
client's close, the connection lost); the app then reads it with `receive` and writes
with `send` as before, from tasks it starts only while there is work. Without the
extension (another server), the app keeps its task, as ASGI has it.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import logging
from collections.abc import Callable
from typing import Any, cast

from uvicorn.protocols.utils import ClientDisconnected
from uvicorn.protocols.websockets.websockets_sansio_impl import WebSocketsSansIOProtocol
from websockets.frames import Frame, Opcode
from websockets.protocol import State

# The scope extensions under which a live socket finds `write_text_now` and `detach`.
SEND_NOW = "forum.websocket.send_now"
DETACH = "forum.websocket.detach"

log = logging.getLogger(__name__)


@functools.lru_cache(maxsize=64)
def text_frame(text: str) -> bytes:
    """A server's (unmasked, uncompressed) text frame; the same for every socket, and
    cached so one event's frame is encoded once however many sockets it goes to."""
    return Frame(Opcode.TEXT, text.encode()).serialize(mask=False, extensions=[])


class Inbox:
    """What the protocol queues for the app, with the three methods of asyncio.Queue
    it uses (one reader at a time) but none of its three deques and Event: a few KB
    less per socket. `on_put`, when set, is called after each message."""

    __slots__ = ("_getter", "_items", "on_put")

    def __init__(self) -> None:
        self._items: list[Any] | None = None
        self._getter: asyncio.Future[None] | None = None
        self.on_put: Callable[[], None] | None = None

    def put_nowait(self, item: Any) -> None:
        if self._items is None:
            self._items = []
        self._items.append(item)
        if self._getter is not None and not self._getter.done():
            self._getter.set_result(None)
        if self.on_put is not None:
            self.on_put()

    def empty(self) -> bool:
        return not self._items

    async def get(self) -> Any:
        while not self._items:
            self._getter = asyncio.get_running_loop().create_future()
            try:
                await self._getter
            finally:
                self._getter = None
        item = self._items.pop(0)
        if not self._items:
            self._items = None
        return item


class Flag:
    """asyncio.Event's four methods, with its waiters' deque made only when waited on."""

    __slots__ = ("_value", "_waiters")

    def __init__(self) -> None:
        self._value = False
        self._waiters: list[asyncio.Future[None]] | None = None

    def is_set(self) -> bool:
        return self._value

    def set(self) -> None:
        self._value = True
        waiters, self._waiters = self._waiters, None
        for waiter in waiters or ():
            if not waiter.done():
                waiter.set_result(None)

    def clear(self) -> None:
        self._value = False

    async def wait(self) -> None:
        if self._value:
            return
        waiter = asyncio.get_running_loop().create_future()
        if self._waiters is None:
            self._waiters = []
        self._waiters.append(waiter)
        try:
            await waiter
        finally:
            if self._waiters is not None and waiter in self._waiters:
                self._waiters.remove(waiter)


class StepFlush:
    """Per event loop, the sockets with frames buffered in the current step, written out
    by one callback at its end. Scheduled when the step's first socket joins, so a
    frame never waits for later traffic."""

    __slots__ = ("_loop", "_waiting")

    def __init__(self, loop: asyncio.AbstractEventLoop) -> None:
        self._loop = loop
        self._waiting: list[LiveWebSocketProtocol] | None = None

    def add(self, protocol: LiveWebSocketProtocol) -> None:
        waiting = self._waiting
        if waiting is None:
            waiting = self._waiting = []
            self._loop.call_soon(self._flush)
        waiting.append(protocol)

    def _flush(self) -> None:
        waiting, self._waiting = self._waiting, None
        for protocol in waiting or ():
            try:
                protocol.flush()
            except Exception:
                # One socket failing must not keep the others' frames back.
                log.exception("writing live frames failed")
                with contextlib.suppress(Exception):
                    protocol.transport.abort()


_step_flushes: dict[asyncio.AbstractEventLoop, StepFlush] = {}


def step_flush(loop: asyncio.AbstractEventLoop) -> StepFlush:
    flush = _step_flushes.get(loop)
    if flush is None:
        if len(_step_flushes) > 16:  # loops of the past (tests start many)
            for old in [old for old in _step_flushes if old.is_closed()]:
                del _step_flushes[old]
        flush = _step_flushes[loop] = StepFlush(loop)
    return flush


class _Transport:
    """The socket's transport, as uvicorn's protocol sees it: whatever it writes, and
    closing, come after the frames buffered in this step."""

    __slots__ = ("_protocol", "_transport")

    def __init__(self, transport: asyncio.Transport, protocol: LiveWebSocketProtocol) -> None:
        self._transport, self._protocol = transport, protocol

    def __getattr__(self, name: str) -> Any:
        return getattr(self._transport, name)

    def write(self, data: bytes) -> None:
        self._protocol.flush()
        self._transport.write(data)

    def close(self) -> None:
        self._protocol.flush()
        self._transport.close()


class LiveWebSocketProtocol(WebSocketsSansIOProtocol):
    """uvicorn's websockets protocol, plus `write_text_now` and `detach` for the app."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.queue = Inbox()  # type: ignore[assignment]
        self.writable = Flag()  # type: ignore[assignment]
        self.writable.set()
        self.detached = False
        self.unsent: list[bytes] | None = None  # frames waiting for the step's end
        self.raw: asyncio.Transport | None = None
        self.step_flush = step_flush(self.loop)

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.raw = cast(asyncio.Transport, transport)
        super().connection_made(cast(asyncio.Transport, _Transport(self.raw, self)))

    def connection_lost(self, exc: Exception | None) -> None:
        self.unsent = None  # nobody to send them to
        super().connection_lost(exc)

    def handle_connect(self, event: Any) -> None:
        super().handle_connect(event)
        # The app's task is created but has not run yet: it sees the extensions.
        scope = getattr(self, "scope", None)
        if scope is not None and not self.conn.extensions:
            scope["extensions"][SEND_NOW] = self.write_text_now
            scope["extensions"][DETACH] = self.detach

    def write_text_now(self, text: str) -> bool:
        """Write a text frame without waiting; False if it must wait (or never go)."""
        if (
            self.close_sent
            or self.disconnected
            or not self.writable.is_set()  # the transport's buffer is full
            or self.conn.state is not State.OPEN
            or self.transport.is_closing()
        ):
            return False
        unsent = self.unsent
        if unsent is None:
            self.unsent = [text_frame(text)]
            self.step_flush.add(self)
        else:
            unsent.append(text_frame(text))
        return True

    def flush(self) -> None:
        """Write the frames buffered in this step, in one write."""
        unsent, self.unsent = self.unsent, None
        if unsent is None or self.raw is None or self.raw.is_closing():
            return
        self.raw.write(unsent[0] if len(unsent) == 1 else b"".join(unsent))

    def detach(self, wake: Callable[[], None]) -> LiveWebSocketProtocol:
        """Keep the socket open after the app's coroutine returns; `wake` is called
        whenever something waits in `receive`. The app reads with `receive`, writes
        with `send` and calls `release` once done with the socket."""
        self.detached = True
        # What only the handshake needed.
        self.__dict__.pop("request", None)
        self.__dict__.pop("response", None)
        self.queue.on_put = wake  # type: ignore[attr-defined]
        if not self.queue.empty():
            wake()
        return self

    def release(self) -> None:
        """The app is done with a detached socket: close it unless a close handshake
        under way will (what uvicorn does when an app's coroutine returns)."""
        if self.close_timer is None:
            self.transport.close()

    async def run_asgi(self) -> None:
        # uvicorn's, except that a detached socket stays open when the app returns.
        try:
            result = await self.app(self.scope, self.receive, self.send)
        except ClientDisconnected:
            pass
        except BaseException:
            self.logger.exception("Exception in ASGI application\n")
            self.send_500_response()
        else:
            if not self.handshake_complete:
                self.logger.error("ASGI callable returned without completing handshake.")
                self.send_500_response()
            elif result is not None:
                self.logger.error("ASGI callable should return None, but returned '%s'.", result)
        if self.close_timer is None and not self.detached:
            self.transport.close()
