"""Re-opening a closed session for a new period: now, or scheduled ahead (the session
shows it, and the scheduler opens it on time), and withdrawing a scheduled one. Each
is a command like those in `sessions`, audited with the session's other changes."""

from __future__ import annotations

from forum_server.db import Database
from forum_server.errors import Conflict, Invalid
from forum_server.orm import utcnow
from forum_server.policy import Actor, check_may_edit_session
from forum_server.rooms.models import SessionPeriod
from forum_server.rooms.queries import session_detail
from forum_server.rooms.schemas import Reopen
from forum_server.rooms.sessions import (
    emit_session,
    moderated_session,
    period_json,
    periods_of,
    record_change,
    state_of,
)
from forum_server.rooms.space_views import SessionDetail
from forum_server.rooms.state import CLOSED, SCHEDULED


async def reopen(db: Database, actor: Actor, session_id: int, data: Reopen) -> SessionDetail:
    """A new period from `opens_at` (now by default) until `closes_at` (or open-ended);
    earlier periods are kept. A later `opens_at` schedules the re-opening: the session
    shows it and the scheduler opens it on time. Conflict `session_not_closed` unless
    the session is closed (a scheduled re-opening is cancelled first)."""
    async with db.write() as uow:
        forum_session = await moderated_session(uow, actor, session_id, check_may_edit_session)
        now = utcnow()
        opens_at = data.opens_at if data.opens_at is not None and data.opens_at > now else now
        if data.closes_at is not None and data.closes_at <= opens_at:
            raise Invalid("closes_at must be in the future.", field="closes_at")
        periods = await periods_of(uow, session_id)
        if state_of(periods, now) != CLOSED:
            raise Conflict("Only a closed session can be re-opened.", code="session_not_closed")
        later = opens_at > now
        period = SessionPeriod(
            session_id=session_id,
            opens_at=opens_at,
            closes_at=data.closes_at,
            open_announced=not later,
        )
        uow.session.add(period)
        await uow.flush()
        record_change(
            uow,
            actor,
            forum_session,
            "session.reopening_scheduled" if later else "session.reopened",
            period_json(period),
        )
        if later:  # the scheduler announces the opening itself when it comes
            emit_session(uow, forum_session, "session.updated", {"title": forum_session.title})
        else:
            emit_session(uow, forum_session, "session.reopened", period_json(period))
            emit_session(uow, forum_session, "session.opened", period_json(period))
        return await session_detail(uow.session, actor, session_id)


async def cancel_reopening(db: Database, actor: Actor, session_id: int) -> SessionDetail:
    """Withdraws a re-opening scheduled ahead: the session stays closed. Conflict
    `no_reopening` when none is scheduled."""
    async with db.write() as uow:
        forum_session = await moderated_session(uow, actor, session_id, check_may_edit_session)
        periods = await periods_of(uow, session_id)
        if len(periods) < 2 or state_of(periods, utcnow()) != SCHEDULED:
            raise Conflict("No re-opening is scheduled.", code="no_reopening")
        period = periods[-1]
        record_change(uow, actor, forum_session, "session.reopening_cancelled", period_json(period))
        await uow.session.delete(period)
        await uow.flush()
        emit_session(uow, forum_session, "session.updated", {"title": forum_session.title})
        return await session_detail(uow.session, actor, session_id)
