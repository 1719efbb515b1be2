"""What a notification can point at, as a kind and an id, and what following its
link does there.

Extension point: a new kind (a call for submissions, "call") is one more `Target`
registered in `TARGETS` below, and its name added to `schemas.TARGET_KINDS`:
`check` (it exists, for the secretariat composing), `describe` (its title and page),
`act` (what the link does for the focal point's account: for a call, open the
submission form) and `responded` (the countries that answered: for a call, those
with a submission). Nothing else in the focal package names a kind."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from sqlalchemy import or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from forum_server.accounts.models import User
from forum_server.db import UnitOfWork
from forum_server.errors import Invalid, NotFound
from forum_server.policy import Actor, load_session
from forum_server.rooms.members import add_invited_member
from forum_server.rooms.models import ForumSession, Membership, Post, SessionPeriod, Space


@dataclass(frozen=True)
class Described:
    title: str
    path: str  # where the focal point lands after the link


class Target(Protocol):
    async def check(self, db: AsyncSession, actor: Actor, target_id: int) -> Described: ...

    async def describe(self, db: AsyncSession, target_id: int) -> Described | None: ...

    async def act(self, uow: UnitOfWork, actor: Actor, user: User, target_id: int) -> str: ...

    async def responded(self, db: AsyncSession, target_id: int, since: datetime) -> set[str]: ...


class SessionTarget:
    """A session: the link joins its space as a participant and lands on it."""

    async def check(self, db: AsyncSession, actor: Actor, target_id: int) -> Described:
        try:
            forum_session, _ = await load_session(db, actor, target_id)
        except NotFound:
            raise Invalid("No such session.", code="invalid_target", field="target_id") from None
        scheduled = await db.scalar(
            select(SessionPeriod.id).where(SessionPeriod.session_id == target_id).limit(1)
        )
        if scheduled is None:  # a draft: only those who prepare it may see it
            raise Invalid(
                "This session is a draft: schedule it first.",
                code="invalid_target",
                field="target_id",
            )
        return Described(forum_session.title, f"/sessions/{forum_session.id}")

    async def describe(self, db: AsyncSession, target_id: int) -> Described | None:
        forum_session = await db.get(ForumSession, target_id)
        if forum_session is None:
            return None
        return Described(forum_session.title, f"/sessions/{forum_session.id}")

    async def act(self, uow: UnitOfWork, actor: Actor, user: User, target_id: int) -> str:
        forum_session = await uow.session.get(ForumSession, target_id)
        if forum_session is None:
            raise NotFound("The session this link led to no longer exists.")
        space = await uow.session.get(Space, forum_session.space_id)
        assert space is not None  # a session's space is removed with it
        member = await uow.session.scalar(
            select(Membership.id).where(
                Membership.space_id == space.id, Membership.user_id == user.id
            )
        )
        if member is None:
            # The secretariat's notification is the authority for this one addition.
            await add_invited_member(uow, actor, space, user, "member", None)
        return f"/sessions/{forum_session.id}"

    async def responded(self, db: AsyncSession, target_id: int, since: datetime) -> set[str]:
        """Countries with someone who posted in the session, or joined its space since
        the notification went out."""
        space_id = select(ForumSession.space_id).where(ForumSession.id == target_id)
        posted = select(Post.author_id).where(Post.session_id == target_id)
        joined = select(Membership.user_id).where(
            Membership.space_id.in_(space_id.scalar_subquery()), Membership.created_at >= since
        )
        rows = await db.scalars(
            select(User.country)
            .where(or_(User.id.in_(posted), User.id.in_(joined)), User.country.is_not(None))
            .distinct()
        )
        return {country for country in rows if country}


TARGETS: dict[str, Target] = {"session": SessionTarget()}


def target(kind: str) -> Target:
    return TARGETS[kind]
