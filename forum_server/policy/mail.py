"""Mail: who may be sent what. The rules are the ones pages and the API use, applied
to many recipients at once (fan-out to thousands) and asked again at send time."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import Select, exists, select
from sqlalchemy.ext.asyncio import AsyncSession

from forum_server.accounts.models import User
from forum_server.policy.access import (
    MODERATOR,
    OWNER,
    SessionAccess,
    SpaceAccess,
    may_see_post,
    may_see_space,
)
from forum_server.policy.actors import Actor, require_secretariat
from forum_server.policy.loading import acting_moderators_clause, may_see_session
from forum_server.rooms.models import (
    ForumSession,
    Membership,
    SessionModerator,
    SessionPeriod,
    Space,
)


def may_mail_post(access: SessionAccess, status: str, author_id: int | None) -> bool:
    """A post's words go by mail only once published, and only to those who may see it:
    held, rejected and hidden posts are never mailed (not even to moderators, whose
    queue page shows them)."""
    return status == "published" and may_see_post(access, status, author_id)


async def session_readers(
    db: AsyncSession, session_id: int, user_ids: Iterable[int]
) -> dict[int, SessionAccess]:
    """The access of each active account among `user_ids` that may see the session
    now; the others are left out. A few queries whatever the number of people, so
    that mail fan-out to thousands stays cheap; the rules are the ones above."""
    forum_session = await db.get(ForumSession, session_id)
    space = await db.get(Space, forum_session.space_id) if forum_session else None
    ids = sorted(set(user_ids))
    if forum_session is None or space is None or not ids:
        return {}
    users: list[Any] = []
    roles: dict[int, str] = {}
    for start in range(0, len(ids), 1000):  # stay under the drivers' parameter limits
        chunk = ids[start : start + 1000]
        users += list(
            await db.execute(
                select(User.id, User.display_name, User.is_secretariat).where(
                    User.id.in_(chunk), User.is_active.is_(True)
                )
            )
        )
        found = await db.execute(
            select(Membership.user_id, Membership.role).where(
                Membership.space_id == space.id, Membership.user_id.in_(chunk)
            )
        )
        roles.update((user_id, role) for user_id, role in found)
    moderators = frozenset(
        await db.scalars(
            select(SessionModerator.user_id).where(
                SessionModerator.session_id == session_id,
                acting_moderators_clause(space.id, space.visibility),
            )
        )
    )
    draft = not await db.scalar(select(exists().where(SessionPeriod.session_id == session_id)))
    readers = {}
    for user_id, name, secretariat in users:
        actor = Actor(user_id=user_id, display_name=name, is_secretariat=secretariat)
        role = roles.get(user_id)
        if not may_see_space(actor, space.visibility, role):
            continue
        access = SessionAccess(
            SpaceAccess(actor, space.id, space.visibility, role),
            session_id,
            moderators,
            forum_session.posting,
        )
        if may_see_session(access, draft=draft):  # a draft: its preparers only
            readers[user_id] = access
    return readers


def session_moderators_query(space_id: int, visibility: str, session_id: int) -> Select[Any]:
    """Ids of the people who moderate a session (its appointed moderators, the space's
    owners and moderators): those told of held posts and flags by mail."""
    space_roles = select(Membership.user_id).where(
        Membership.space_id == space_id, Membership.role.in_((OWNER, MODERATOR))
    )
    appointed = select(SessionModerator.user_id).where(
        SessionModerator.session_id == session_id, acting_moderators_clause(space_id, visibility)
    )
    return select(space_roles.union(appointed).subquery().c[0])


def check_may_see_mail_failures(actor: Actor) -> None:
    """Messages the relay refused name people's addresses: the secretariat only."""
    require_secretariat(actor)
