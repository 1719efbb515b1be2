"""The demo's live conference, in a space of its own."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select, update

from forum_server import demo_content as content
from forum_server.accounts.admin import COMMAND_LINE
from forum_server.db import Database
from forum_server.demo_content import conference as demo_conference
from forum_server.policy import Actor
from forum_server.rooms import conference, sessions, spaces
from forum_server.rooms.models import ForumSession, Post, Question
from forum_server.rooms.schemas import (
    AgendaMove,
    PostCreate,
    QuestionCreate,
    SessionCreate,
    SpaceCreate,
)
from forum_server.search.index import index_post


async def load_conference(db: Database, user_ids: dict[str, int], now: datetime) -> int:
    """The live conference: its agenda with planned times, moved on to item 2, and a
    conversation with replies, dated as the story tells it."""
    demo = demo_conference
    opens_at = now - timedelta(minutes=demo.OPENED_MINUTES_AGO)
    await spaces.create_space(
        db,
        COMMAND_LINE,
        SpaceCreate(slug=demo.SLUG, title=demo.SPACE_TITLE, description=demo.DESCRIPTION),
    )
    data = SessionCreate(
        title=demo.TITLE,
        description=demo.DESCRIPTION,
        opens_at=opens_at,
        closes_at=opens_at + timedelta(hours=demo.HOURS),
        moderator_ids=[user_ids[demo.MODERATOR]],
        questions=[
            QuestionCreate(
                text=item.text,
                planned_at=opens_at + timedelta(minutes=item.minutes_after_open),
            )
            for item in demo.AGENDA
        ],
        format="conference",
    )
    session_id = (await sessions.create_session(db, COMMAND_LINE, demo.SLUG, data)).id
    names = {p.key: p.display_name for p in content.PEOPLE}
    moderator = Actor(user_id=user_ids[demo.MODERATOR], display_name=names[demo.MODERATOR])
    await conference.move_agenda(db, moderator, session_id, AgendaMove(number=1))
    sent: dict[str, int] = {}
    for message in demo.MESSAGES:
        if message.item == 2 and message.item != (await current_item(db, session_id)):
            await conference.move_agenda(db, moderator, session_id, AgendaMove(number=2))
        author = Actor(user_id=user_ids[message.author], display_name=names[message.author])
        posted = await conference.send_message(
            db,
            author,
            session_id,
            PostCreate(
                body=message.body,
                parent_id=sent.get(message.reply_to) if message.reply_to else None,
                client_id=f"demo-conference-{message.key}",
                lang="en",
            ),
        )
        sent[message.key] = posted.post.id
        async with db.write() as uow:
            post = await uow.session.get(Post, posted.post.id)
            assert post is not None
            post.created_at = opens_at + timedelta(minutes=message.minutes_after_open)
            await index_post(uow, post)
    # The story's times, not the loader's: item 1 from the opening, item 2 since the move.
    moved = opens_at + timedelta(minutes=demo.MOVED_TO_2_AFTER)
    async with db.write() as uow:
        for number, started, ended in ((1, opens_at, moved), (2, moved, None)):
            await uow.session.execute(
                update(Question)
                .where(Question.session_id == session_id, Question.number == number)
                .values(started_at=started, ended_at=ended)
            )
    return session_id


async def current_item(db: Database, session_id: int) -> int | None:
    async with db.read() as session:
        return await session.scalar(
            select(ForumSession.agenda_item).where(ForumSession.id == session_id)
        )
