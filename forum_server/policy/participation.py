"""Participation: who sees a session's participation dashboard (its figures, who has
not taken part, the questions without an answer), sets the turnout expected, and
reminds those who have not taken part; who is expected to take part at all; and who
reads a space's transparency summary, and who makes it public.

The dashboard names people and counts them by country and gender: it is for those who
run the session — its moderators, the space's owners and moderators, the secretariat.
"""

from __future__ import annotations

from sqlalchemy import Select, select
from sqlalchemy.ext.asyncio import AsyncSession

from forum_server.accounts.models import User
from forum_server.errors import Forbidden
from forum_server.orm import utcnow
from forum_server.policy.access import SessionAccess, SpaceAccess
from forum_server.policy.actors import Actor, require_signed_in
from forum_server.policy.loading import load_session
from forum_server.policy.moderation import may_read_space_audit
from forum_server.rooms.models import ForumSession, Invitation, Membership, SessionModerator


def may_see_participation(access: SessionAccess) -> bool:
    """See the session's participation dashboard and its JSON."""
    return access.can_moderate


def check_may_see_participation(access: SessionAccess) -> None:
    if not may_see_participation(access):
        require_signed_in(access.actor)
        raise Forbidden("Only this session's moderators can see its participation.")


def may_remind_participants(access: SessionAccess) -> bool:
    """Send the reminder to those who have not taken part, and set the turnout expected."""
    return access.can_moderate


def check_may_remind_participants(access: SessionAccess) -> None:
    if not may_remind_participants(access):
        require_signed_in(access.actor)
        raise Forbidden("Only this session's moderators can remind its participants.")


async def load_participation(
    db: AsyncSession, actor: Actor, session_id: int
) -> tuple[ForumSession, SessionAccess]:
    """The session, for those who may see its dashboard: NotFound where the session is
    not the actor's to see at all, Forbidden (or Unauthorized) where it is."""
    forum_session, access = await load_session(db, actor, session_id)
    check_may_see_participation(access)
    return forum_session, access


def expected_members_query(space_id: int, session_id: int) -> Select[int]:
    """The people expected to take part in a session: the space's members with an
    active account, except the session's own moderators (who run it)."""
    running = select(SessionModerator.user_id).where(SessionModerator.session_id == session_id)
    return (
        select(Membership.user_id)
        .join(User, User.id == Membership.user_id)
        .where(
            Membership.space_id == space_id,
            User.is_active.is_(True),
            Membership.user_id.not_in(running),
        )
    )


def open_invitations_query(space_id: int) -> Select[int]:
    """The space's invitations still waiting for an answer (not accepted, revoked or
    expired): their people are expected too, and have not taken part yet."""
    return select(Invitation.id).where(
        Invitation.space_id == space_id,
        Invitation.accepted_at.is_(None),
        Invitation.revoked_at.is_(None),
        Invitation.expires_at > utcnow(),
    )


def may_read_transparency(access: SpaceAccess, public: bool) -> bool:
    """The transparency summary: the space's moderators, owners and the secretariat;
    everyone who may read the space where its owners made it public (`public`)."""
    return public or may_read_space_audit(access)


def check_may_read_transparency(access: SpaceAccess, public: bool) -> None:
    if not may_read_transparency(access, public):
        require_signed_in(access.actor)
        raise Forbidden("Only this space's moderators can read its transparency summary.")


def may_publish_transparency(access: SpaceAccess) -> bool:
    """Make the transparency summary public, or private again: the space's owners and
    the secretariat."""
    return access.can_manage


def check_may_publish_transparency(access: SpaceAccess) -> None:
    if not may_publish_transparency(access):
        require_signed_in(access.actor)
        raise Forbidden("Only the space's owners and the secretariat decide who reads its summary.")
