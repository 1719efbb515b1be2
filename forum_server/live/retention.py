"""How long events are kept, and what that means for clients resuming from a cursor."""

from __future__ import annotations

import asyncio
import logging
from datetime import datetime, timedelta

from sqlalchemy import delete, func, select

from forum_server.db import Database
from forum_server.events import EventRecord
from forum_server.orm import utcnow
from forum_server.periodic import repeat

log = logging.getLogger(__name__)

PRUNE_BATCH = 5000
PRUNE_EVERY = 3600.0  # seconds


async def event_id_range(db: Database) -> tuple[int | None, int | None]:
    """The oldest and newest event ids still stored (None, None when there are none)."""
    async with db.read() as session:
        query = select(func.min(EventRecord.id), func.max(EventRecord.id))
        oldest, newest = (await session.execute(query)).one()
    return oldest, newest


def needs_resync(after: int, oldest: int | None, newest: int | None) -> bool:
    """Whether a client that saw events up to `after` can no longer be given exactly
    what it missed:

    - `after < oldest - 1`: events between its cursor and the oldest one kept may
      have been pruned (ids start at 1, so with nothing pruned `oldest - 1` is 0);
    - `after > newest`, or any `after > 0` with no events at all: a position this
      database never had (it was replaced or restored), so the cursor means nothing.
    """
    if oldest is None or newest is None:
        return after > 0
    return after > newest or after < oldest - 1


async def prune_events(db: Database, keep_days: int, *, now: datetime | None = None) -> int:
    """Delete events older than `keep_days` days; returns how many went.

    The newest event always stays, whatever its age: SQLite hands out the next id
    as the largest one plus one, so an emptied table would start again at 1 and every
    client's cursor would point into the future. Deletes in batches so that the one
    SQLite writer is never held for long.
    """
    if keep_days < 0:
        raise ValueError("keep_days must not be negative")
    cutoff = (now or utcnow()) - timedelta(days=keep_days)
    removed = 0
    while True:
        async with db.write() as uow:
            newest = await uow.session.scalar(select(func.max(EventRecord.id)))
            if newest is None:
                return removed
            batch = (
                select(EventRecord.id)
                .where(EventRecord.created_at < cutoff, EventRecord.id < newest)
                .order_by(EventRecord.id)
                .limit(PRUNE_BATCH)
                .scalar_subquery()
            )
            result = await uow.session.execute(
                delete(EventRecord).where(EventRecord.id.in_(batch)),
                execution_options={"synchronize_session": False},
            )
            count = int(getattr(result, "rowcount", 0) or 0)
        removed += count
        if count < PRUNE_BATCH:
            return removed


async def run_pruning(
    db: Database, stop: asyncio.Event, *, keep_days: int, interval: float = PRUNE_EVERY
) -> None:
    """Prune the event log at start and then every `interval` seconds until `stop`.
    Several processes may do it at once: each deletes what is old, and no more."""

    async def prune() -> None:
        if removed := await prune_events(db, keep_days):
            log.info("pruned %d events older than %d days", removed, keep_days)

    await repeat(prune, stop, every=interval, what="pruning the event log")
