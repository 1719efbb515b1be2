"""Background work a server process repeats while it runs (announcements, pruning)."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable

log = logging.getLogger(__name__)


async def repeat(
    work: Callable[[], Awaitable[object]], stop: asyncio.Event, *, every: float, what: str
) -> None:
    """Run `work` now and then every `every` seconds until `stop` is set.

    A failing pass is logged and the next one tried on time: a database that is busy
    for a moment must not end the loop for the life of the process.
    """
    while not stop.is_set():
        try:
            await work()
        except Exception:
            log.exception("%s failed", what)
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(stop.wait(), timeout=every)
