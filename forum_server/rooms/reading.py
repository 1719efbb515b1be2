"""What's new for a signed-in reader: the last post they read in each thread, moved
forward when they view the thread's page, and the unread counts it gives.

Counts only ever cover posts the reader may see (the policy's clause), and never the
reader's own posts.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import ForeignKey, Integer, and_, func, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Mapped, mapped_column

from forum_server.db import Database
from forum_server.orm import Base, UTCDateTime, utcnow
from forum_server.policy import (
    Actor,
    SessionAccess,
    load_session,
    load_thread,
    require_signed_in,
    visible_posts_clause,
    visible_threads_clause,
)
from forum_server.rooms.models import Post, Thread
from forum_server.rooms.posts_view import PostView
from forum_server.rooms.space_views import SessionSummary
from forum_server.rooms.state import CLOSED, OPEN


class ReadPosition(Base):
    """The newest post of a thread an account has had on screen."""

    __tablename__ = "read_positions"

    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    thread_id: Mapped[int] = mapped_column(
        ForeignKey("threads.id", ondelete="CASCADE"), primary_key=True
    )
    last_post_id: Mapped[int] = mapped_column(Integer)
    read_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


async def mark_read(db: Database, actor: Actor, thread_id: int, post_id: int) -> None:
    """Moves the reader's position in the thread up to `post_id` (never back): one
    upsert, after the same check as reading the thread."""
    user_id = require_signed_in(actor)
    async with db.write() as uow:
        await load_thread(uow.session, actor, thread_id)
        insert = pg_insert if uow.dialect == "postgresql" else sqlite_insert
        statement = insert(ReadPosition).values(
            user_id=user_id, thread_id=thread_id, last_post_id=post_id, read_at=utcnow()
        )
        await uow.session.execute(
            statement.on_conflict_do_update(
                index_elements=[ReadPosition.user_id, ReadPosition.thread_id],
                set_={
                    "last_post_id": func.max(ReadPosition.last_post_id, post_id)
                    if uow.dialect != "postgresql"
                    else func.greatest(ReadPosition.last_post_id, post_id),
                    "read_at": statement.excluded.read_at,
                },
            )
        )


async def position(session: AsyncSession, actor: Actor, thread_id: int) -> int | None:
    """The last post the reader read in the thread; None for a first visit (or anonymous)."""
    if actor.user_id is None:
        return None
    found: int | None = await session.scalar(
        select(ReadPosition.last_post_id).where(
            ReadPosition.user_id == actor.user_id, ReadPosition.thread_id == thread_id
        )
    )
    return found


async def unread_counts(
    session: AsyncSession, access: SessionAccess, thread_ids: list[int]
) -> dict[int, int]:
    """{thread id: posts the reader may see, newer than their position, not their own}.
    Empty for anonymous readers; a thread never opened counts all its posts."""
    user_id = access.actor.user_id
    if user_id is None or not thread_ids:
        return {}
    read = and_(ReadPosition.thread_id == Post.thread_id, ReadPosition.user_id == user_id)
    rows = await session.execute(
        select(Post.thread_id, func.count())
        .outerjoin(ReadPosition, read)
        .where(
            Post.thread_id.in_(thread_ids),
            visible_posts_clause(access),
            Post.id > func.coalesce(ReadPosition.last_post_id, 0),
            (Post.author_id != user_id) | Post.author_id.is_(None),
        )
        .group_by(Post.thread_id)
    )
    return {thread_id: count for thread_id, count in rows}


async def unread_in_session(session: AsyncSession, actor: Actor, session_id: int) -> dict[int, int]:
    """Unread counts for every thread of the session the reader may see."""
    if actor.user_id is None:
        return {}
    _, access = await load_session(session, actor, session_id)
    threads = await session.scalars(
        select(Thread.id).where(Thread.session_id == session_id, visible_threads_clause(access))
    )
    return await unread_counts(session, access, list(threads))


async def unread_by_session(
    session: AsyncSession, actor: Actor, sessions: Iterable[SessionSummary]
) -> dict[int, int]:
    """{session id: unread posts in it} for the sessions of a space page that have
    begun (a draft or scheduled one has nothing to read); empty for anonymous readers."""
    if actor.user_id is None:
        return {}
    counts: dict[int, int] = {}
    for summary in sessions:
        if summary.state in {OPEN, CLOSED}:
            counts[summary.id] = sum((await unread_in_session(session, actor, summary.id)).values())
    return counts


def first_unread(posts: list[PostView], last_read: int | None, user_id: int | None) -> int | None:
    """The first post, in reading order, newer than the reader's position and not
    theirs; None on a first visit (everything is new: no marker then)."""
    if last_read is None:
        return None
    for post in posts:
        if post.id > last_read and (post.author.id is None or post.author.id != user_id):
            return post.id
    return None
