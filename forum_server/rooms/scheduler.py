"""Opens and closes sessions at their times.

A session's state is computed from the clock, so pages and the API are right to
the second without this; what the scheduler adds is the announcement — the
session.opened / session.closed events that live pages react to. It polls with a
cheap read (at most every `interval` seconds) and writes only when something is
due; several processes may run it at once (see announce_due_transitions).
"""

from __future__ import annotations

import asyncio
from functools import partial

from forum_server.db import Database
from forum_server.orm import utcnow
from forum_server.periodic import repeat
from forum_server.rooms.sessions import announce_due_transitions, next_due


async def announce_if_due(db: Database) -> None:
    async with db.read() as session:
        due = await next_due(session)
    if due is not None and due <= utcnow():
        async with db.write() as uow:
            await announce_due_transitions(uow, utcnow())


async def run_scheduler(db: Database, stop: asyncio.Event, *, interval: float = 1.0) -> None:
    await repeat(partial(announce_if_due, db), stop, every=interval, what="session scheduler pass")
