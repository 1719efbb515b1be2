"""Refusals of moderation actions go into the audit log too.

A refused action rolls its own transaction back, so the refusal is written in a
transaction of its own, after the fact, in the space the target belongs to: the
moderators of space B see that a moderator of space A tried to act there. Only
refusals of signed-in people about things that exist are kept (anonymous callers are
told to sign in; guessing ids that do not exist leaves no trace), and at most
REFUSALS_PER_MINUTE of one person's: someone hammering at hidden things cannot grow
the log (and the moderators' reading) without limit. The last row kept in a minute
says so (`details.limit_reached`); later refusals in that minute are still refused,
only not written.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from forum_server import audit
from forum_server.accounts.models import User
from forum_server.audit import AuditEntry
from forum_server.db import Database
from forum_server.errors import Forbidden, NotFound
from forum_server.moderation.models import Flag, Suspension
from forum_server.orm import utcnow
from forum_server.policy import Actor
from forum_server.rooms.models import ForumSession, Post, Question, Space, Thread

REFUSALS_PER_MINUTE = 10
REFUSAL_WINDOW = timedelta(minutes=1)


@asynccontextmanager
async def refusals_audited(
    db: Database,
    actor: Actor,
    action: str,
    target_type: str,
    target_id: int | None,
    *,
    space_slug: str | None = None,
) -> AsyncIterator[None]:
    """Runs the block; if it refuses the actor (Forbidden, NotFound), records `refused`
    with the attempted action, then lets the error through unchanged. The space is
    found from the target, or from `space_slug` for actions within a space."""
    try:
        yield
    except (Forbidden, NotFound) as error:
        if actor.user_id is not None:
            await _record(db, actor, action, target_type, target_id, error, space_slug)
        raise


async def _record(
    db: Database,
    actor: Actor,
    action: str,
    target_type: str,
    target_id: int | None,
    error: Forbidden | NotFound,
    space_slug: str | None,
) -> None:
    async with db.write() as uow:
        recent = await _recent_refusals(uow.session, actor)
        if recent >= REFUSALS_PER_MINUTE:
            return
        if space_slug is not None:
            space_id = await uow.session.scalar(select(Space.id).where(Space.slug == space_slug))
            found = space_id is not None
        else:
            found, space_id = await _space_of(uow.session, target_type, target_id)
        if not found:
            return
        audit.record(
            uow,
            actor,
            "refused",
            space_id=space_id,
            target_type=target_type,
            target_id=target_id,
            # In English, whoever was refused: the page translates it for each reader.
            reason=str(error),
            details={
                "attempted": action,
                "code": error.code,
                **({"limit_reached": True} if recent + 1 == REFUSALS_PER_MINUTE else {}),
            },
        )


async def _recent_refusals(session: AsyncSession, actor: Actor) -> int:
    """How many of the actor's refusals were written in the last minute (up to the
    limit: the newest are read first, so a busy actor's count stops early)."""
    newest = await session.scalars(
        select(AuditEntry.at)
        .where(AuditEntry.actor_id == actor.user_id, AuditEntry.action == "refused")
        .order_by(AuditEntry.id.desc())
        .limit(REFUSALS_PER_MINUTE)
    )
    since = utcnow() - REFUSAL_WINDOW
    return sum(1 for at in newest if at > since)


async def _space_of(
    session: AsyncSession, target_type: str, target_id: int | None
) -> tuple[bool, int | None]:
    """(whether the target exists, the space it belongs to — None for site-wide ones)."""
    if target_id is None:
        return False, None
    query = None
    if target_type == "space":
        query = select(Space.id).where(Space.id == target_id)
    elif target_type == "session":
        query = select(ForumSession.space_id).where(ForumSession.id == target_id)
    elif target_type == "thread":
        query = (
            select(ForumSession.space_id)
            .join(Thread, Thread.session_id == ForumSession.id)
            .where(Thread.id == target_id)
        )
    elif target_type == "question":
        query = (
            select(ForumSession.space_id)
            .join(Question, Question.session_id == ForumSession.id)
            .where(Question.id == target_id)
        )
    elif target_type == "post":
        query = (
            select(ForumSession.space_id)
            .join(Post, Post.session_id == ForumSession.id)
            .where(Post.id == target_id)
        )
    elif target_type == "flag":
        query = (
            select(ForumSession.space_id)
            .join(Post, Post.session_id == ForumSession.id)
            .join(Flag, Flag.post_id == Post.id)
            .where(Flag.id == target_id)
        )
    elif target_type == "suspension":
        row = (
            await session.execute(
                select(Suspension.id, Suspension.space_id).where(Suspension.id == target_id)
            )
        ).first()
        return (row is not None, row[1] if row else None)
    elif target_type == "user":
        return (await session.get(User, target_id)) is not None, None
    if query is None:
        return False, None
    space_id = await session.scalar(query)
    return space_id is not None, space_id
