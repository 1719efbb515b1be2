"""The write path for sessions: creating them, opening and closing by hand or by the
clock, re-opening for a new period, and their guiding questions.

The public functions are commands: each opens its own transaction, loads through the
policy, checks, changes, emits and returns what the session now looks like. The
`_`-prefixed helpers work inside a caller's transaction.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from sqlalchemy import func, select

from forum_server import audit
from forum_server.db import Database, UnitOfWork
from forum_server.errors import Conflict, Invalid
from forum_server.orm import utcnow
from forum_server.policy import (
    Actor,
    SessionAccess,
    check_may_edit_session,
    check_may_manage_space,
    load_question,
    load_session,
    load_space,
    require_caller,
)
from forum_server.rooms.models import (
    ForumSession,
    Question,
    SessionModerator,
    SessionPeriod,
    Thread,
)
from forum_server.rooms.queries import session_detail
from forum_server.rooms.render_workers import render_markdown_off_loop
from forum_server.rooms.schemas import QuestionCreate, SessionCreate, SessionUpdate
from forum_server.rooms.session_moderators import checked_moderators
from forum_server.rooms.space_views import QuestionView, SessionDetail, question_view
from forum_server.rooms.state import CLOSED, DRAFT, OPEN, SCHEDULED, Period, session_state
from forum_server.search.index import index_question, index_session


async def periods_of(uow: UnitOfWork, session_id: int) -> list[SessionPeriod]:
    rows = await uow.session.scalars(
        select(SessionPeriod)
        .where(SessionPeriod.session_id == session_id)
        .order_by(SessionPeriod.id)
    )
    return list(rows)


def state_of(periods: list[SessionPeriod], now: datetime) -> str:
    return session_state([Period(p.opens_at, p.closes_at) for p in periods], now)


async def lock_session(uow: UnitOfWork, session_id: int) -> None:
    """Serialize writers on one session (PostgreSQL; SQLite already has one writer),
    so state checks and the changes that depend on them see the same rows."""
    if uow.dialect == "postgresql":
        await uow.session.execute(
            select(ForumSession.id).where(ForumSession.id == session_id).with_for_update()
        )


async def create_session(
    db: Database, actor: Actor, slug: str, data: SessionCreate
) -> SessionDetail:
    """A new session with its moderators and numbered guiding questions. Without
    `opens_at` it is a draft. Owners of the space and the secretariat only."""
    require_caller(actor)
    async with db.write() as uow:
        space, access = await load_space(uow.session, actor, slug)
        check_may_manage_space(access)
        moderator_ids = await checked_moderators(uow, space, data.moderator_ids)
        forum_session = ForumSession(
            space_id=space.id,
            title=data.title,
            description=data.description,
            description_html=await render_markdown_off_loop(data.description),
            participant_topics=data.participant_topics,
            posting=data.posting,
            format=data.format,
            message_limit=data.message_limit,
            report_symbol=data.report_symbol,
            report_distribution=data.report_distribution,
            created_by=actor.user_id,
        )
        uow.session.add(forum_session)
        await uow.flush()
        uow.session.add_all(
            SessionModerator(session_id=forum_session.id, user_id=uid) for uid in moderator_ids
        )
        if data.opens_at is not None:
            uow.session.add(
                SessionPeriod(
                    session_id=forum_session.id, opens_at=data.opens_at, closes_at=data.closes_at
                )
            )
        for item in data.agenda():
            await _add_question(uow, forum_session, item)
        await index_session(uow, forum_session)
        emit_session(uow, forum_session, "session.created", {"title": forum_session.title})
        return await session_detail(uow.session, actor, forum_session.id)


async def moderated_session(
    uow: UnitOfWork,
    actor: Actor,
    session_id: int,
    check: Callable[[SessionAccess], None] = SessionAccess.require_moderator,
) -> ForumSession:
    """The session, for one of its moderators (or whom `check` lets through); locked
    against concurrent changes. Unauthorized for anonymous callers whether or not the
    session can be seen."""
    require_caller(actor)
    forum_session, access = await load_session(uow.session, actor, session_id)
    check(access)
    await lock_session(uow, session_id)
    return forum_session


async def _add_question(
    uow: UnitOfWork, forum_session: ForumSession, data: QuestionCreate
) -> Question:
    number = (
        await uow.session.scalar(
            select(func.coalesce(func.max(Question.number), 0)).where(
                Question.session_id == forum_session.id
            )
        )
        or 0
    ) + 1
    thread = Thread(session_id=forum_session.id, title=f"Question {number}")
    uow.session.add(thread)
    await uow.flush()
    question = Question(
        session_id=forum_session.id,
        number=number,
        text=data.text,
        thread_id=thread.id,
        planned_at=data.planned_at,
    )
    uow.session.add(question)
    await index_question(uow, question)
    return question


def emit_session(
    uow: UnitOfWork, forum_session: ForumSession, type: str, data: dict[str, Any]
) -> None:
    uow.emit(
        type,
        {"session_id": forum_session.id, **data},
        space_id=forum_session.space_id,
        session_id=forum_session.id,
    )


def period_json(period: SessionPeriod) -> dict[str, Any]:
    return {
        "opens_at": period.opens_at.isoformat(),
        "closes_at": period.closes_at.isoformat() if period.closes_at else None,
    }


async def _question_view(uow: UnitOfWork, question: Question, event: str) -> QuestionView:
    """Announces the question (added or edited) and returns it as readers see it."""
    view = question_view(
        question,
        await uow.session.scalar(select(Thread.post_count).where(Thread.id == question.thread_id))
        or 0,
    )
    space_id = await uow.session.scalar(
        select(ForumSession.space_id).where(ForumSession.id == question.session_id)
    )
    uow.emit(
        event,
        view.as_json(),
        space_id=space_id,
        session_id=question.session_id,
        thread_id=question.thread_id,
    )
    return view


async def add_question(
    db: Database, actor: Actor, session_id: int, data: QuestionCreate
) -> QuestionView:
    """A new numbered guiding question with its thread, at any state but closed."""
    async with db.write() as uow:
        forum_session = await moderated_session(uow, actor, session_id)
        if state_of(await periods_of(uow, session_id), utcnow()) == CLOSED:
            raise Conflict(
                "The session is closed; re-open it to add questions.", code="session_closed"
            )
        question = await _add_question(uow, forum_session, data)
        await uow.flush()
        _record_question(uow, actor, forum_session.space_id, question, "question.added")
        return await _question_view(uow, question, "question.added")


async def edit_question(
    db: Database, actor: Actor, question_id: int, data: QuestionCreate
) -> QuestionView:
    """Corrects a question's wording (moderators)."""
    require_caller(actor)
    async with db.write() as uow:
        question, access = await load_question(uow.session, actor, question_id)
        access.require_moderator()
        question.text = data.text
        if "planned_at" in data.model_fields_set:
            question.planned_at = data.planned_at
        await index_question(uow, question)
        _record_question(uow, actor, access.space.space_id, question, "question.edited")
        return await _question_view(uow, question, "question.edited")


def _record_question(
    uow: UnitOfWork, actor: Actor, space_id: int, question: Question, action: str
) -> None:
    audit.record(
        uow,
        actor,
        action,
        space_id=space_id,
        target_type="question",
        target_id=question.id,
        details={"session_id": question.session_id, "number": question.number},
    )


async def open_now(db: Database, actor: Actor, session_id: int) -> SessionDetail:
    """Opens a draft or scheduled session now (its planned close is kept), a scheduled
    re-opening included."""
    async with db.write() as uow:
        forum_session = await moderated_session(uow, actor, session_id)
        now = utcnow()
        periods = await periods_of(uow, session_id)
        state = state_of(periods, now)
        if state == OPEN:
            raise Conflict("The session is already open.", code="session_open")
        if state == CLOSED:
            raise Conflict(
                "The session is closed; re-open it for a new period.", code="session_closed"
            )
        if periods:  # scheduled: bring the opening forward
            period = periods[-1]
            period.opens_at = now
            if period.closes_at is not None and period.closes_at <= now:
                period.closes_at = None
        else:
            period = SessionPeriod(session_id=session_id, opens_at=now, closes_at=None)
            uow.session.add(period)
        period.open_announced = True
        await uow.flush()
        # A scheduled re-opening brought forward is a re-opening, as when its time comes.
        action = "session.reopened" if len(periods) > 1 else "session.opened"
        record_change(uow, actor, forum_session, action, period_json(period))
        if len(periods) > 1:
            emit_session(uow, forum_session, "session.reopened", period_json(period))
        emit_session(uow, forum_session, "session.opened", period_json(period))
        return await session_detail(uow.session, actor, session_id)


async def close_now(db: Database, actor: Actor, session_id: int) -> SessionDetail:
    async with db.write() as uow:
        forum_session = await moderated_session(uow, actor, session_id)
        now = utcnow()
        periods = await periods_of(uow, session_id)
        if state_of(periods, now) != OPEN:
            raise Conflict("The session is not open.", code="session_not_open")
        period = periods[-1]
        period.closes_at = now
        period.close_announced = True
        record_change(uow, actor, forum_session, "session.closed", period_json(period))
        emit_session(uow, forum_session, "session.closed", period_json(period))
        return await session_detail(uow.session, actor, session_id)


def record_change(
    uow: UnitOfWork,
    actor: Actor,
    forum_session: ForumSession,
    action: str,
    details: dict[str, Any],
) -> None:
    """The audit entry of a change to a session (its space's log shows it)."""
    audit.record(
        uow,
        actor,
        action,
        space_id=forum_session.space_id,
        target_type="session",
        target_id=forum_session.id,
        details=details,
    )


async def update_session(
    db: Database, actor: Actor, session_id: int, data: SessionUpdate
) -> SessionDetail:
    """Title, description, settings, the opening time of a draft or scheduled session
    (scheduling or moving it), and the closing time of the current period (extending
    or shortening it)."""
    async with db.write() as uow:
        forum_session = await moderated_session(uow, actor, session_id, check_may_edit_session)
        if data.title is not None:
            forum_session.title = data.title
        if data.description is not None:
            forum_session.description = data.description
            forum_session.description_html = await render_markdown_off_loop(data.description)
        if data.participant_topics is not None:
            forum_session.participant_topics = data.participant_topics
        if data.posting is not None:
            forum_session.posting = data.posting
        if data.report_symbol is not None:
            forum_session.report_symbol = data.report_symbol
        if data.report_distribution is not None:
            forum_session.report_distribution = data.report_distribution
        if data.format is not None:
            forum_session.format = data.format
        if "message_limit" in data.model_fields_set:  # null: back to the default
            forum_session.message_limit = data.message_limit
        if data.opens_at is not None:
            keep = "closes_at" not in data.model_fields_set
            await _move_open(uow, forum_session, data.opens_at, keep, data.closes_at)
        elif "closes_at" in data.model_fields_set:  # null here: no closing time
            await _move_close(uow, forum_session, data.closes_at)
        if data.title is not None or data.description is not None:
            await index_session(uow, forum_session)
        changed = sorted(data.model_fields_set)
        record_change(uow, actor, forum_session, "session.updated", {"changed": changed})
        emit_session(uow, forum_session, "session.updated", {"title": forum_session.title})
        return await session_detail(uow.session, actor, session_id)


async def _move_open(
    uow: UnitOfWork,
    forum_session: ForumSession,
    opens_at: datetime,
    keep_close: bool,
    closes_at: datetime | None,
) -> None:
    """Schedules a draft, or moves the coming opening of a scheduled session (a
    re-opening included); the closing time too unless `keep_close`."""
    now = utcnow()
    periods = await periods_of(uow, forum_session.id)
    if state_of(periods, now) not in (DRAFT, SCHEDULED):
        raise Conflict(
            "The session has opened already; change its closing time instead.",
            code="session_started",
        )
    if opens_at <= now:
        raise Invalid("opens_at must be in the future; use open now instead.", field="opens_at")
    if periods:
        period = periods[-1]
    else:
        period = SessionPeriod(session_id=forum_session.id, opens_at=opens_at)
        uow.session.add(period)
    end = period.closes_at if keep_close else closes_at
    if end is not None and end <= opens_at:
        raise Invalid("closes_at must be in the future and after opens_at.", field="closes_at")
    period.opens_at, period.closes_at = opens_at, end
    period.open_announced = period.close_announced = False
    # No session.extended (followers would be mailed a new closing time): the caller's
    # session.updated tells live pages, and the opening is announced when it comes.
    await uow.flush()


async def _move_close(
    uow: UnitOfWork, forum_session: ForumSession, closes_at: datetime | None
) -> None:
    now = utcnow()
    periods = await periods_of(uow, forum_session.id)
    state = state_of(periods, now)
    if not periods:
        raise Conflict(
            "A draft session has no period to change; open it first.", code="session_draft"
        )
    if state == CLOSED:
        raise Conflict("The session is closed; re-open it for a new period.", code="session_closed")
    period = periods[-1]
    if closes_at is not None and (closes_at <= period.opens_at or closes_at <= now):
        raise Invalid("closes_at must be in the future and after opens_at.", field="closes_at")
    period.closes_at = closes_at
    period.close_announced = False
    emit_session(uow, forum_session, "session.extended", period_json(period))
