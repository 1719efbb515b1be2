"""The in-process broker, and the local fan-out every broker uses for its listeners."""

from __future__ import annotations

import asyncio
import weakref
from collections.abc import AsyncIterator, Callable

from forum_server.broker.base import Broker, Notice

DEFAULT_QUEUE_SIZE = 100


def fold(older: Notice, newer: Notice) -> Notice:
    """One notice that says everything the two said."""
    return Notice(
        max(older.last_event_id, newer.last_event_id),
        tuple(sorted({*older.session_ids, *newer.session_ids})),
        older.resync or newer.resync,
    )


class Listener(AsyncIterator[Notice]):
    """One listener's bounded queue; iteration ends when the broker disconnects."""

    def __init__(self, size: int, forget: Callable[[Listener], None]) -> None:
        # None only wakes a reader waiting on an empty queue when the stream ends.
        self._queue: asyncio.Queue[Notice | None] = asyncio.Queue(max(size, 1))
        self._forget = forget
        self._ended = False

    def put(self, notice: Notice) -> None:
        if self._queue.full():
            # A slow listener must not hold the broker back or grow without bound.
            # Positions are cumulative, so the newest notice suffices: drop the oldest,
            # folding its session ids and resync flag into the newest so the hub
            # still re-reads every session it concerned.
            dropped = self._queue.get_nowait()
            if dropped is not None:
                notice = fold(dropped, notice)
        self._queue.put_nowait(notice)

    def end(self) -> None:
        """Iteration ends once what is queued has been read."""
        self._ended = True
        if self._queue.empty():
            self._queue.put_nowait(None)  # wakes a waiting __anext__

    async def __anext__(self) -> Notice:
        if self._ended and self._queue.empty():
            raise StopAsyncIteration
        item = await self._queue.get()
        if item is None:
            raise StopAsyncIteration
        return item

    async def aclose(self) -> None:
        self._forget(self)
        self.end()


class Fanout:
    """Hands each notice to every current listener, without ever waiting on one."""

    def __init__(self, queue_size: int = DEFAULT_QUEUE_SIZE) -> None:
        self.queue_size = queue_size
        # Weak, so that a listener its owner dropped without aclose() does not leak.
        self._listeners: weakref.WeakSet[Listener] = weakref.WeakSet()
        self._closed = False

    def listen(self) -> Listener:
        # Registered now rather than at the first __anext__, so nothing published
        # between listen() and the first iteration is missed.
        listener = Listener(self.queue_size, self._listeners.discard)
        if self._closed:
            listener.end()
        else:
            self._listeners.add(listener)
        return listener

    def deliver(self, notice: Notice) -> None:
        for listener in list(self._listeners):
            listener.put(notice)

    def open(self) -> None:
        self._closed = False

    def close(self) -> None:
        self._closed = True
        for listener in list(self._listeners):
            listener.end()
        self._listeners.clear()


class Messages:
    """Presence messages handed to each current listener's bounded queue; a full
    queue drops its oldest (every message is repeated periodically)."""

    def __init__(self, queue_size: int = DEFAULT_QUEUE_SIZE) -> None:
        self.queue_size = queue_size
        self._queues: weakref.WeakSet[MessageListener] = weakref.WeakSet()
        self._closed = False

    def listen(self) -> MessageListener:
        listener = MessageListener(self.queue_size, self._queues.discard)
        if self._closed:
            listener.end()
        else:
            self._queues.add(listener)
        return listener

    def deliver(self, body: str) -> None:
        for listener in list(self._queues):
            listener.put(body)

    def open(self) -> None:
        self._closed = False

    def close(self) -> None:
        self._closed = True
        for listener in list(self._queues):
            listener.end()
        self._queues.clear()


class MessageListener(AsyncIterator[str]):
    def __init__(self, size: int, forget: Callable[[MessageListener], None]) -> None:
        self._queue: asyncio.Queue[str | None] = asyncio.Queue(max(size, 1))
        self._forget = forget
        self._ended = False

    def put(self, body: str) -> None:
        if self._queue.full():
            self._queue.get_nowait()
        self._queue.put_nowait(body)

    def end(self) -> None:
        self._ended = True
        if self._queue.empty():
            self._queue.put_nowait(None)

    async def __anext__(self) -> str:
        if self._ended and self._queue.empty():
            raise StopAsyncIteration
        item = await self._queue.get()
        if item is None:
            raise StopAsyncIteration
        return item

    async def aclose(self) -> None:
        self._forget(self)
        self.end()


class MemoryBroker(Broker):
    """For a single process: a publish reaches this process's listeners only."""

    def __init__(self, *, queue_size: int = DEFAULT_QUEUE_SIZE) -> None:
        self._fanout = Fanout(queue_size)
        self._messages = Messages(queue_size)
        self._connected = False

    async def connect(self) -> None:
        self._fanout.open()
        self._messages.open()
        self._connected = True

    async def disconnect(self) -> None:
        self._connected = False
        self._fanout.close()
        self._messages.close()

    async def publish(self, notice: Notice) -> None:
        self._fanout.deliver(notice)

    async def publish_presence(self, body: str) -> None:
        self._messages.deliver(body)

    def listen_presence(self) -> MessageListener:
        return self._messages.listen()

    def listen(self) -> Listener:
        return self._fanout.listen()

    @property
    def healthy(self) -> bool:
        return self._connected
