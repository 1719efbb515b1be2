"""Running summaries: moderators sum up each guiding question's discussion (and the
whole session) as it goes. Every text written is kept as a version; the summary
report uses the newest (see forum_server.summaries)."""

from __future__ import annotations

from sqlalchemy import select

from forum_server import audit
from forum_server.db import Database, UnitOfWork
from forum_server.errors import NotFound
from forum_server.moderation.guard import refusals_audited
from forum_server.orm import utcnow
from forum_server.policy import Actor, SessionAccess, load_session, load_thread, require_caller
from forum_server.rooms.models import Question
from forum_server.rooms.render_workers import render_markdown_off_loop
from forum_server.rooms.sessions import lock_session
from forum_server.search.index import index_summary
from forum_server.summaries import Summary, SummaryVersion, SummaryView, summary_view


async def write_session_summary(
    db: Database, actor: Actor, session_id: int, body: str
) -> SummaryView:
    """Sets the session's running summary (Markdown). Its moderators and the secretariat."""
    html = await render_markdown_off_loop(body)
    async with (
        refusals_audited(db, actor, "summary.write", "session", session_id),
        db.write() as uow,
    ):
        require_caller(actor)
        _, access = await load_session(uow.session, actor, session_id)
        access.require_moderator()
        return await _write(uow, access, None, body, html)


async def write_question_summary(
    db: Database, actor: Actor, question_id: int, body: str
) -> SummaryView:
    """Sets a guiding question's running summary (Markdown), shown at the top of its
    thread. The session's moderators and the secretariat."""
    html = await render_markdown_off_loop(body)
    async with (
        refusals_audited(db, actor, "summary.write", "question", question_id),
        db.write() as uow,
    ):
        require_caller(actor)
        question = await uow.session.get(Question, question_id)
        if question is None:
            raise NotFound("No such question.")
        try:
            _, access = await load_session(uow.session, actor, question.session_id)
        except NotFound:
            raise NotFound("No such question.") from None
        access.require_moderator()
        return await _write(uow, access, question, body, html)


async def write_thread_summary(
    db: Database, actor: Actor, thread_id: int, body: str
) -> SummaryView:
    """write_question_summary for the guiding question whose thread this is (the thread
    page's editor). NotFound for a thread the actor may not see or a participant's topic."""
    async with db.read() as session:
        await load_thread(session, actor, thread_id)
        question_id = await session.scalar(
            select(Question.id).where(Question.thread_id == thread_id)
        )
    if question_id is None:
        raise NotFound("This thread is not a guiding question's.")
    return await write_question_summary(db, actor, question_id, body)


async def _write(
    uow: UnitOfWork, access: SessionAccess, question: Question | None, body: str, html: str
) -> SummaryView:
    await lock_session(uow, access.session_id)  # one summary row per place, even in a race
    question_id = question.id if question else None
    summary = await uow.session.scalar(
        select(Summary).where(
            Summary.session_id == access.session_id,
            Summary.question_id.is_(None)
            if question is None
            else Summary.question_id == question_id,
        )
    )
    now, actor = utcnow(), access.actor
    if summary is None:
        summary = Summary(session_id=access.session_id, question_id=question_id, body="", html="")
        uow.session.add(summary)
    summary.body, summary.html = body, html
    summary.updated_at, summary.updated_by = now, actor.user_id
    await uow.flush()
    version = SummaryVersion(
        summary_id=summary.id, body=body, written_at=now, written_by=actor.user_id
    )
    uow.session.add(version)
    await index_summary(uow, summary, question)
    view = summary_view(summary, question, actor.display_name or None)
    audit.record(
        uow,
        actor,
        "summary.updated",
        space_id=access.space.space_id,
        target_type="question" if question else "session",
        target_id=question_id if question else access.session_id,
        details={
            "summary_id": summary.id,
            "version_id": version.id,
            "session_id": access.session_id,
        },
    )
    uow.emit(
        "summary.updated",
        view.as_json(),
        space_id=access.space.space_id,
        session_id=access.session_id,
        thread_id=question.thread_id if question else None,
    )
    return view
