"""The write path of a conference: moving along the agenda, and sending a message to
the item under discussion.

A conference is a session whose guiding questions are its agenda items, each with
a planned time; its messages are posts in the current item's thread, so moderation,
editing, search and reports treat them as any other post. The moderator moves the
conference to another item: the move is audited and announced (`agenda.moved`), and
every page following the session shows the new item at once.
"""

from __future__ import annotations

from sqlalchemy import select

from forum_server import audit
from forum_server.db import Database
from forum_server.errors import Conflict, Invalid
from forum_server.orm import utcnow
from forum_server.policy import Actor, check_may_move_agenda, load_session, require_caller
from forum_server.rooms import posting
from forum_server.rooms.models import ForumSession, Post, Question
from forum_server.rooms.queries import session_detail
from forum_server.rooms.schemas import AgendaMove, PostCreate
from forum_server.rooms.sessions import lock_session
from forum_server.rooms.space_views import SessionDetail
from forum_server.rooms.state import CONFERENCE


def require_conference(forum_session: ForumSession) -> None:
    if forum_session.format != CONFERENCE:
        raise Conflict("This session is not a conference.", code="not_a_conference")


async def move_agenda(
    db: Database, actor: Actor, session_id: int, data: AgendaMove
) -> SessionDetail:
    """Makes item `data.number` the one under discussion (the session's moderators).
    The item left ends now, the item reached starts now (its first start is kept).
    Raises NotFound, Forbidden, Conflict not_a_conference, Invalid number."""
    require_caller(actor)
    async with db.write() as uow:
        forum_session, access = await load_session(uow.session, actor, session_id)
        check_may_move_agenda(access)
        await lock_session(uow, session_id)
        require_conference(forum_session)
        items = {
            q.number: q
            for q in await uow.session.scalars(
                select(Question).where(Question.session_id == session_id)
            )
        }
        target = items.get(data.number)
        if target is None:
            raise Invalid("number: the agenda has no such item.", field="number")
        previous = forum_session.agenda_item
        now = utcnow()
        if previous != data.number:
            left = items.get(previous) if previous is not None else None
            if left is not None:
                left.ended_at = now
            if target.started_at is None:
                target.started_at = now
            target.ended_at = None
            forum_session.agenda_item = data.number
            audit.record(
                uow,
                actor,
                "agenda.moved",
                space_id=forum_session.space_id,
                target_type="session",
                target_id=session_id,
                details={"from": previous, "to": data.number},
            )
            uow.emit(
                "agenda.moved",
                {
                    "session_id": session_id,
                    "number": target.number,
                    "question_id": target.id,
                    "thread_id": target.thread_id,
                    "text": target.text,
                    "at": now.isoformat(),
                    "previous": previous,
                },
                space_id=forum_session.space_id,
                session_id=session_id,
                thread_id=target.thread_id,
            )
        return await session_detail(uow.session, actor, session_id)


async def current_thread(db: Database, actor: Actor, session_id: int) -> int:
    """The thread of the item under discussion (the first item before the agenda
    started). Raises NotFound, Conflict not_a_conference / no_agenda."""
    async with db.read() as session:
        forum_session, _ = await load_session(session, actor, session_id)
        require_conference(forum_session)
        number = forum_session.agenda_item
        query = select(Question.thread_id).where(Question.session_id == session_id)
        query = (
            query.where(Question.number == number)
            if number is not None
            else query.order_by(Question.number).limit(1)
        )
        thread_id = await session.scalar(query)
    if thread_id is None:
        raise Conflict("The conference has no agenda item yet to discuss.", code="no_agenda")
    return thread_id


async def send_message(
    db: Database, actor: Actor, session_id: int, data: PostCreate, *, client: str | None = None
) -> posting.Posted:
    """A message to the item under discussion: a post in its thread, with every rule
    of posting (the conference's own message limit among them). A reply to a message
    of an earlier item goes to that item's thread, beside the message it answers."""
    if data.attachment_ids:
        raise Invalid(
            "attachment_ids: a conference message carries no files.", field="attachment_ids"
        )
    thread_id = await current_thread(db, actor, session_id)
    if data.parent_id is not None:
        async with db.read() as session:
            parent_thread = await session.scalar(
                select(Post.thread_id)
                .join(Question, Question.thread_id == Post.thread_id)
                .where(Post.id == data.parent_id, Question.session_id == session_id)
            )
        if parent_thread is not None:
            thread_id = parent_thread
    return await posting.create_post(db, actor, thread_id, data, client=client)
