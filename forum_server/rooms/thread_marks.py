"""What a guest's thread page depends on, read in one go for its validator: the thread
and the reader's access (None where the page is refused), the session's periods, and
the newest events of the session and of no session."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from forum_server.errors import DomainError
from forum_server.events import EventRecord
from forum_server.policy import Actor, SessionAccess
from forum_server.policy.loading import load_thread
from forum_server.rooms.models import Thread
from forum_server.rooms.queries import session_periods
from forum_server.rooms.state import Period


async def thread_marks(
    db: AsyncSession, actor: Actor, thread_id: int
) -> tuple[Thread, SessionAccess, list[Period], tuple[Any, ...]] | None:
    try:
        thread, access = await load_thread(db, actor, thread_id)
    except DomainError:
        return None
    session_id = thread.session_id
    periods = (await session_periods(db, [session_id]))[session_id]
    newest = select(func.max(EventRecord.id))
    marks = (
        await db.execute(
            select(
                newest.where(EventRecord.session_id == session_id).scalar_subquery(),
                newest.where(EventRecord.session_id.is_(None)).scalar_subquery(),
            )
        )
    ).one()
    return thread, access, list(periods), tuple(marks)
