"""Opens and closes sessions at their times.

A session's state is computed from the clock, so pages and the API are right to
the second without this; what the scheduler adds is the announcement — the
session.opened / session.closed events that live pages react to, and for a
re-opening scheduled ahead, session.reopened and its audit entry. It polls with a
cheap read (at most every `interval` seconds) and writes only when something is
due; several processes may run it at once (see announce_due_transitions).
"""

from __future__ import annotations

import asyncio
from datetime import datetime
from functools import partial
from typing import Any

from sqlalchemy import ColumnElement, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from forum_server.db import Database, UnitOfWork
from forum_server.orm import utcnow
from forum_server.periodic import repeat
from forum_server.policy import Actor
from forum_server.rooms.models import ForumSession, SessionPeriod
from forum_server.rooms.sessions import emit_session, period_json, record_change

# Who the audit log names for what happens by the clock.
SCHEDULER = Actor(user_id=None, display_name="scheduler")


async def announce_due_transitions(uow: UnitOfWork, now: datetime) -> int:
    """Emits session.opened / session.closed for periods whose time has come.

    Each announcement is a conditional update of its flag: when several processes
    run this at once, exactly one of them wins each row and emits the event.
    """
    openings = await _announce(
        uow,
        SessionPeriod.open_announced,
        SessionPeriod.opens_at <= now,
        "session.opened",
    )
    closings = await _announce(
        uow,
        SessionPeriod.close_announced,
        SessionPeriod.closes_at.is_not(None) & (SessionPeriod.closes_at <= now),
        "session.closed",
    )
    return openings + closings


async def _announce(uow: UnitOfWork, flag: Any, due: ColumnElement[bool], event_type: str) -> int:
    announced = 0
    periods = list(await uow.session.scalars(select(SessionPeriod).where(flag.is_(False), due)))
    for period in periods:
        won = await uow.session.execute(
            update(SessionPeriod)
            .where(SessionPeriod.id == period.id, flag.is_(False))
            .values({flag.key: True})
        )
        forum_session = await uow.session.get(ForumSession, period.session_id)
        if won.rowcount == 1 and forum_session is not None:  # type: ignore[attr-defined]
            if event_type == "session.opened" and await _is_reopening(uow, period):
                details = period_json(period)
                record_change(uow, SCHEDULER, forum_session, "session.reopened", details)
                emit_session(uow, forum_session, "session.reopened", details)
            emit_session(uow, forum_session, event_type, period_json(period))
            announced += 1
    return announced


async def _is_reopening(uow: UnitOfWork, period: SessionPeriod) -> bool:
    """A period after an earlier one of its session: a re-opening scheduled ahead."""
    earlier = await uow.session.scalar(
        select(SessionPeriod.id)
        .where(SessionPeriod.session_id == period.session_id, SessionPeriod.id < period.id)
        .limit(1)
    )
    return earlier is not None


async def next_due(db: AsyncSession) -> datetime | None:
    """The earliest unannounced opening or closing, for the scheduler to sleep until."""
    opening = await db.scalar(
        select(func.min(SessionPeriod.opens_at)).where(SessionPeriod.open_announced.is_(False))
    )
    closing = await db.scalar(
        select(func.min(SessionPeriod.closes_at)).where(
            SessionPeriod.close_announced.is_(False), SessionPeriod.closes_at.is_not(None)
        )
    )
    candidates = [t for t in (opening, closing) if t is not None]
    return min(candidates) if candidates else None


async def announce_if_due(db: Database) -> None:
    async with db.read() as session:
        due = await next_due(session)
    if due is not None and due <= utcnow():
        async with db.write() as uow:
            await announce_due_transitions(uow, utcnow())


async def run_scheduler(db: Database, stop: asyncio.Event, *, interval: float = 1.0) -> None:
    await repeat(partial(announce_if_due, db), stop, every=interval, what="session scheduler pass")
