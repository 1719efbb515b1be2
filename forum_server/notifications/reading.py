"""Marking notifications read: one, all, or those about a thread its reader opened."""

from __future__ import annotations

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from forum_server.db import Database
from forum_server.errors import NotFound
from forum_server.notifications.models import Notification
from forum_server.orm import utcnow
from forum_server.policy import Actor, require_signed_in


async def mark_read(db: Database, actor: Actor, notification_id: int) -> None:
    """Marks one of the actor's notifications read. NotFound for anyone else's (or
    one that does not exist): the same answer."""
    user_id = require_signed_in(actor)
    async with db.write() as uow:
        found = await uow.session.get(Notification, notification_id)
        if found is None or found.user_id != user_id:
            raise NotFound("No such notification.")
        if found.read_at is None:
            found.read_at = utcnow()


async def mark_all_read(db: Database, actor: Actor) -> int:
    """Marks every unread notification of the actor read; returns how many."""
    user_id = require_signed_in(actor)
    async with db.write() as uow:
        result = await uow.session.execute(
            update(Notification)
            .where(Notification.user_id == user_id, Notification.read_at.is_(None))
            .values(read_at=utcnow())
        )
        return int(getattr(result, "rowcount", 0) or 0)


async def unread_about_thread(session: AsyncSession, actor: Actor, thread_id: int) -> bool:
    """Whether the actor has unread notifications about the thread (the thread page
    asks before it writes anything)."""
    if actor.user_id is None:
        return False
    found = await session.scalar(
        select(Notification.id)
        .where(
            Notification.user_id == actor.user_id,
            Notification.thread_id == thread_id,
            Notification.read_at.is_(None),
        )
        .limit(1)
    )
    return found is not None


async def mark_thread_seen(db: Database, actor: Actor, thread_id: int, newest: int) -> None:
    """The thread's page was shown up to post `newest`: notifications about it (its
    question, its posts up to that one) are read now."""
    user_id = require_signed_in(actor)
    async with db.write() as uow:
        await uow.session.execute(
            update(Notification)
            .where(
                Notification.user_id == user_id,
                Notification.thread_id == thread_id,
                Notification.read_at.is_(None),
                (Notification.post_id.is_(None)) | (Notification.post_id <= newest),
            )
            .values(read_at=utcnow())
        )
