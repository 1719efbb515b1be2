"""Group commit on SQLite: units of work queued together run in one write transaction.

SQLite has one writer, so write transactions run one after the other; each costs a
BEGIN IMMEDIATE and a COMMIT through the driver's thread, and each handing over of
the writer waits for the busy event loop to come round. Under load that, not
SQLite, limits posting. Here one task holds the writer: it begins a transaction,
runs every unit waiting in the queue (up to a time budget), each in a SAVEPOINT of
its own, then commits once. A unit that raises is rolled back to its savepoint and
its caller gets the error at once; the others are not affected. Every caller gets
its result only after the COMMIT that made its work durable, and a failed COMMIT
fails every unit of that transaction, as it would have failed each alone.

Units run their statements inline (sqlite_inline), so a batch runs without giving
the event loop away; the budget bounds how long it keeps it.
"""

from __future__ import annotations

import asyncio
import contextvars
import time
from collections import deque
from collections.abc import Awaitable, Callable, Coroutine, Iterator, Sequence
from contextlib import AbstractAsyncContextManager, contextmanager
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

from sqlalchemy.ext.asyncio import AsyncSession

from forum_server.events import Event

T = TypeVar("T")

BATCH_SECONDS = 0.02  # the longest a batch runs units before it commits
BATCH_UNITS = 64


@dataclass
class _Waiting(Generic[T]):
    unit: Callable[[Any], Awaitable[T]]
    context: contextvars.Context = field(default_factory=contextvars.copy_context)
    done: asyncio.Future[tuple[T, list[Event]]] = field(
        default_factory=lambda: asyncio.get_running_loop().create_future()
    )


class WriteQueue:
    """The queue of units for one database's writer, drained by one task per event loop.

    `transaction()` opens the writer's transaction (commits when the block ends, rolls
    back on error); `run_unit(session, unit)` runs one unit in it, in a savepoint,
    and returns its result and its events."""

    def __init__(
        self,
        transaction: Callable[[], AbstractAsyncContextManager[AsyncSession]],
        run_unit: Callable[
            [AsyncSession, Callable[[Any], Awaitable[Any]]],
            Coroutine[Any, Any, tuple[Any, list[Event]]],
        ],
    ) -> None:
        self._transaction = transaction
        self._run_unit = run_unit
        self._queue: deque[_Waiting[Any]] = deque()
        self._task: asyncio.Task[None] | None = None

    async def run(self, unit: Callable[[Any], Awaitable[T]]) -> tuple[T, list[Event]]:
        waiting: _Waiting[T] = _Waiting(unit)
        self._queue.append(waiting)
        if self._task is None or self._task.done():
            self._task = asyncio.create_task(self._drain(), name="sqlite-writer")
        return await waiting.done

    async def _drain(self) -> None:
        while self._queue:
            done: list[tuple[_Waiting[Any], Any]] = []
            try:
                async with self._transaction() as session:
                    started = time.perf_counter()
                    while self._queue and len(done) < BATCH_UNITS:
                        waiting = self._queue.popleft()
                        if waiting.done.cancelled():  # its caller is gone: nothing to write
                            continue
                        try:
                            with adopted(waiting.context):
                                result = await self._run_unit(session, waiting.unit)
                            done.append((waiting, result))
                        except Exception as exc:  # rolled back to its savepoint
                            waiting.done.set_exception(exc)
                        if time.perf_counter() - started > BATCH_SECONDS:
                            break
            except BaseException as exc:
                # BEGIN or COMMIT failed (or the task was cancelled): nothing of the
                # batch was written. Units still queued get the error too when BEGIN
                # failed, since each would have waited for the same lock.
                failed = [waiting for waiting, _ in done]
                if not done:
                    failed, self._queue = list(self._queue), deque()
                _fail(failed, exc)
                if not isinstance(exc, Exception):
                    raise
                continue
            for waiting, result in done:
                if not waiting.done.done():
                    waiting.done.set_result(result)


def _fail(waiting: Sequence[_Waiting[Any]], exc: BaseException) -> None:
    error = exc if isinstance(exc, Exception) else RuntimeError("the writer stopped")
    for one in waiting:
        if not one.done.done():
            one.done.set_exception(error)


@contextmanager
def adopted(context: contextvars.Context) -> Iterator[None]:
    """The caller's context variables (the language of its request, say) set in the
    writer task's context for the time of its unit, then set back. A task per unit
    would give the same without this, but wait for the event loop's next round."""
    tokens = [(var, var.set(value)) for var, value in context.items()]
    try:
        yield
    finally:
        for var, token in reversed(tokens):
            var.reset(token)
