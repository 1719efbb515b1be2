"""People: whom a post may mention, whose page a reader may open.

A session's participants are the people a reader of it can already see there: the
authors of its contributions, its appointed moderators (listed on its page) and, in a
members-only space, the members. Mentions resolve among those of them who may read the
session now, so a name that is not there (not a participant, no longer a member, no
such account) stays plain text: a mention confirms nothing a reader could not see.
A person's page opens for whoever may see a session they take part in.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, exists, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from forum_server.accounts.models import User
from forum_server.errors import NotFound
from forum_server.policy.actors import Actor
from forum_server.policy.loading import acting_moderators_clause, readable_sessions_clause
from forum_server.policy.mail import session_readers
from forum_server.rooms.models import ForumSession, Membership, Post, SessionModerator, Space
from forum_server.rooms.state import HIDDEN, MEMBERS, PUBLIC, PUBLISHED


async def session_participants(db: AsyncSession, session_id: int) -> dict[int, str]:
    """Id -> display name of the session's participants who may read it now."""
    forum_session = await db.get(ForumSession, session_id)
    space = await db.get(Space, forum_session.space_id) if forum_session else None
    if forum_session is None or space is None:
        return {}
    queries: list[Any] = [
        select(Post.author_id).where(
            Post.session_id == session_id,
            Post.status.in_((PUBLISHED, HIDDEN)),
            Post.author_id.is_not(None),
        ),
        select(SessionModerator.user_id).where(
            SessionModerator.session_id == session_id,
            acting_moderators_clause(space.id, space.visibility),
        ),
    ]
    if space.visibility == MEMBERS:
        queries.append(select(Membership.user_id).where(Membership.space_id == space.id))
    ids: set[int] = set()
    for query in queries:
        ids.update(await db.scalars(query.distinct()))
    readers = await session_readers(db, session_id, ids)
    return {user_id: access.actor.display_name for user_id, access in readers.items()}


def _takes_part_clause(person_id: int) -> ColumnElement[bool]:
    """SQL condition on ForumSession (joined with Space): `person_id` is a participant."""
    authored = select(Post.id).where(
        Post.session_id == ForumSession.id,
        Post.author_id == person_id,
        Post.status.in_((PUBLISHED, HIDDEN)),
    )
    member = select(Membership.id).where(
        Membership.space_id == Space.id, Membership.user_id == person_id
    )
    appointed = select(SessionModerator.user_id).where(
        SessionModerator.session_id == ForumSession.id, SessionModerator.user_id == person_id
    )
    return or_(
        exists(authored.correlate_except(Post)),
        exists(appointed.correlate_except(SessionModerator))
        & or_(Space.visibility == PUBLIC, exists(member.correlate_except(Membership))),
        (Space.visibility == MEMBERS) & exists(member.correlate_except(Membership)),
    )


async def may_see_person(db: AsyncSession, viewer: Actor, person_id: int) -> bool:
    """Oneself, anyone for the secretariat, else a participant of a session the viewer
    may see (an active account)."""
    active = await db.scalar(select(User.is_active).where(User.id == person_id))
    if active is None:
        return False
    if viewer.user_id == person_id or viewer.is_secretariat:
        return True
    if not active:
        return False
    shared = (
        select(ForumSession.id)
        .join(Space, Space.id == ForumSession.space_id)
        .where(readable_sessions_clause(viewer), _takes_part_clause(person_id))
        .limit(1)
    )
    return await db.scalar(shared) is not None


async def check_may_see_person(db: AsyncSession, viewer: Actor, person_id: int) -> None:
    """NotFound, exactly as for no such account, unless may_see_person."""
    if not await may_see_person(db, viewer, person_id):
        raise NotFound("No such person.")
