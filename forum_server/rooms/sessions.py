"""The write path for sessions: creating them, opening and closing by hand or by the
clock, re-opening for a new period, and their guiding questions.

The public functions are commands: each opens its own transaction, loads through the
policy, checks, changes, emits and returns what the session now looks like. The
`_`-prefixed helpers work inside a caller's transaction.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from forum_server.db import Database, UnitOfWork
from forum_server.errors import Conflict, Invalid
from forum_server.orm import utcnow
from forum_server.policy import (
    Actor,
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
from forum_server.rooms.schemas import QuestionCreate, Reopen, SessionCreate, SessionUpdate
from forum_server.rooms.session_moderators import checked_moderators
from forum_server.rooms.space_views import QuestionView, SessionDetail
from forum_server.rooms.state import CLOSED, OPEN, Period, session_state
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
        for text in data.questions:
            await _add_question(uow, forum_session, text)
        await index_session(uow, forum_session)
        _emit(uow, forum_session, "session.created", {"title": forum_session.title})
        return await session_detail(uow.session, actor, forum_session.id)


async def _moderated(uow: UnitOfWork, actor: Actor, session_id: int) -> ForumSession:
    """The session, for one of its moderators; locked against concurrent changes.
    Unauthorized for anonymous callers whether or not the session can be seen."""
    require_caller(actor)
    forum_session, access = await load_session(uow.session, actor, session_id)
    access.require_moderator()
    await lock_session(uow, session_id)
    return forum_session


async def _add_question(uow: UnitOfWork, forum_session: ForumSession, text: str) -> Question:
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
    question = Question(session_id=forum_session.id, number=number, text=text, thread_id=thread.id)
    uow.session.add(question)
    await index_question(uow, question)
    return question


def _emit(uow: UnitOfWork, forum_session: ForumSession, type: str, data: dict[str, Any]) -> None:
    uow.emit(
        type,
        {"session_id": forum_session.id, **data},
        space_id=forum_session.space_id,
        session_id=forum_session.id,
    )


def _period_json(period: SessionPeriod) -> dict[str, Any]:
    return {
        "opens_at": period.opens_at.isoformat(),
        "closes_at": period.closes_at.isoformat() if period.closes_at else None,
    }


async def _question_view(uow: UnitOfWork, question: Question, event: str) -> QuestionView:
    """Announces the question (added or edited) and returns it as readers see it."""
    view = QuestionView(
        question.id,
        question.number,
        question.text,
        question.thread_id,
        await uow.session.scalar(select(Thread.post_count).where(Thread.id == question.thread_id))
        or 0,
        question.session_id,
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
        forum_session = await _moderated(uow, actor, session_id)
        if state_of(await periods_of(uow, session_id), utcnow()) == CLOSED:
            raise Conflict(
                "The session is closed; re-open it to add questions.", code="session_closed"
            )
        question = await _add_question(uow, forum_session, data.text)
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
        await index_question(uow, question)
        return await _question_view(uow, question, "question.edited")


async def open_now(db: Database, actor: Actor, session_id: int) -> SessionDetail:
    """Opens a draft or scheduled session now (its planned close is kept)."""
    async with db.write() as uow:
        forum_session = await _moderated(uow, actor, session_id)
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
        _emit(uow, forum_session, "session.opened", _period_json(period))
        return await session_detail(uow.session, actor, session_id)


async def close_now(db: Database, actor: Actor, session_id: int) -> SessionDetail:
    async with db.write() as uow:
        forum_session = await _moderated(uow, actor, session_id)
        now = utcnow()
        periods = await periods_of(uow, session_id)
        if state_of(periods, now) != OPEN:
            raise Conflict("The session is not open.", code="session_not_open")
        period = periods[-1]
        period.closes_at = now
        period.close_announced = True
        _emit(uow, forum_session, "session.closed", _period_json(period))
        return await session_detail(uow.session, actor, session_id)


async def reopen(db: Database, actor: Actor, session_id: int, data: Reopen) -> SessionDetail:
    """A new period from now until `closes_at` (or open-ended); earlier ones are kept."""
    async with db.write() as uow:
        forum_session = await _moderated(uow, actor, session_id)
        now = utcnow()
        if data.closes_at is not None and data.closes_at <= now:
            raise Invalid("closes_at must be in the future.", field="closes_at")
        periods = await periods_of(uow, session_id)
        if state_of(periods, now) != CLOSED:
            raise Conflict("Only a closed session can be re-opened.", code="session_not_closed")
        period = SessionPeriod(
            session_id=session_id, opens_at=now, closes_at=data.closes_at, open_announced=True
        )
        uow.session.add(period)
        await uow.flush()
        _emit(uow, forum_session, "session.reopened", _period_json(period))
        _emit(uow, forum_session, "session.opened", _period_json(period))
        return await session_detail(uow.session, actor, session_id)


async def update_session(
    db: Database, actor: Actor, session_id: int, data: SessionUpdate
) -> SessionDetail:
    """Title, description, settings, and the closing time of the current period
    (extending or shortening it)."""
    async with db.write() as uow:
        forum_session = await _moderated(uow, actor, session_id)
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
        if "closes_at" in data.model_fields_set:  # null here: no closing time
            await _move_close(uow, forum_session, data.closes_at)
        if data.title is not None or data.description is not None:
            await index_session(uow, forum_session)
        _emit(uow, forum_session, "session.updated", {"title": forum_session.title})
        return await session_detail(uow.session, actor, session_id)


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
    _emit(uow, forum_session, "session.extended", _period_json(period))


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
            _emit(uow, forum_session, event_type, _period_json(period))
            announced += 1
    return announced


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
