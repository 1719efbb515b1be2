"""The feed: follows the events table for this process, in id order.

One task wakes on every broker notice and at least every `poll_interval` (so a lost
notice only delays delivery), reads the events after its position and hands each
to `deliver` as `prepare` rebuilt it (posts as they are now; None: for nobody),
moving the position past it. The position only moves under `lock`,
which the hub also holds while setting up a subscription: replay covers up to the
position, live delivery everything after it.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import AsyncIterator, Awaitable, Callable

from forum_server.broker import Broker, Notice
from forum_server.db import Database
from forum_server.events import Event, events_after
from forum_server.live.config import LiveConfig
from forum_server.live.retention import event_id_range

log = logging.getLogger(__name__)


class Feed:
    def __init__(
        self,
        db: Database,
        broker: Broker,
        config: LiveConfig,
        deliver: Callable[[Event], Awaitable[None]],
        prepare: Callable[[list[Event]], Awaitable[list[Event | None]]],
    ) -> None:
        self.db = db
        self.broker = broker
        self.config = config
        self.lock = asyncio.Lock()
        self._deliver = deliver
        self._prepare = prepare
        self._position = 0
        self._gaps: dict[int, float] = {}  # first missing id → when first seen
        self._gap_pending = False
        self._task: asyncio.Task[None] | None = None

    @property
    def position(self) -> int:
        """Every event up to this id has been delivered."""
        return self._position

    async def start(self) -> None:
        # Listen before reading the position: nothing published in between is missed.
        listener = self.broker.listen()
        self._position = (await event_id_range(self.db))[1] or 0
        self._task = asyncio.create_task(self._run(listener), name="live-feed")

    async def stop(self) -> None:
        task, self._task = self._task, None
        if task is not None:
            task.cancel()
            await asyncio.wait([task])  # unlike `await task`, keeps our own cancellation

    async def _run(self, listener: AsyncIterator[Notice]) -> None:
        source: AsyncIterator[Notice] | None = listener
        pending: asyncio.Future[Notice] | None = None
        try:
            while True:
                delay = self.config.poll_interval
                if self._gap_pending:
                    delay = min(delay, 0.1)
                if source is not None and pending is None:
                    pending = asyncio.ensure_future(anext(source))
                if pending is None:
                    await asyncio.sleep(delay)
                else:
                    await asyncio.wait([pending], timeout=delay)
                if pending is not None and pending.done():
                    notice: Notice | None = None
                    try:
                        notice = pending.result()
                    except StopAsyncIteration:
                        source = None  # the broker stopped: polling alone from now on
                    pending = None
                    if self._nothing_new(notice):
                        continue
                try:
                    await self.catch_up()
                except Exception:  # database busy, connection lost…: the next poll retries
                    log.exception("live hub could not read new events")
        finally:
            if pending is not None:
                pending.cancel()
            aclose = getattr(listener, "aclose", None)
            if aclose is not None:
                await aclose()

    def _nothing_new(self, notice: Notice | None) -> bool:
        """Whether a notice only announces events already dispatched."""
        if notice is None or notice.resync or self._gap_pending:
            return False
        return notice.last_event_id <= self._position

    async def catch_up(self) -> None:
        """Dispatch every event committed after the position, in id order."""
        async with self.lock:
            self._gap_pending = False
            while True:
                async with self.db.read() as session:
                    events = await events_after(
                        session, self._position, limit=self.config.batch_size
                    )
                ready = self._ready(events)
                prepared = await self._prepare(ready) if ready else []
                for event, sendable in zip(ready, prepared, strict=True):
                    if sendable is not None:
                        await self._deliver(sendable)
                    self._position = event.id
                if self._gaps:
                    self._gaps = {gap: t for gap, t in self._gaps.items() if gap > self._position}
                if len(ready) < len(events) or len(events) < self.config.batch_size:
                    return

    def _ready(self, events: list[Event]) -> list[Event]:
        """The events up to the first missing id, unless it has been missing too long.

        On PostgreSQL ids are handed out before commit, so a higher id can commit
        first; skipping the lower one would lose it for good. On SQLite (one writer)
        ids commit in order and there are no gaps.
        """
        now = time.monotonic()
        expected = self._position + 1
        for index, event in enumerate(events):
            if event.id > expected:
                first_seen = self._gaps.setdefault(expected, now)
                if now - first_seen < self.config.gap_timeout:
                    self._gap_pending = True
                    return events[:index]
                log.debug("event ids %d..%d never appeared; going on", expected, event.id - 1)
            expected = event.id + 1
        return events
