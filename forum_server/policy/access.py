"""What one actor may do in one space or session they may see."""

from __future__ import annotations

from dataclasses import dataclass

from forum_server.errors import Forbidden
from forum_server.policy.actors import Actor, require_signed_in
from forum_server.rooms.state import HIDDEN, MEMBERS, PENDING, PUBLIC, PUBLISHED

OWNER, MODERATOR, MEMBER = "owner", "moderator", "member"


@dataclass(frozen=True)
class SpaceAccess:
    """What one actor may do in one space they may see."""

    actor: Actor
    space_id: int
    visibility: str
    role: str | None  # their membership role, if any

    @property
    def is_member(self) -> bool:
        return self.role is not None

    @property
    def can_manage(self) -> bool:
        """Create sessions, manage members: owners and the secretariat."""
        return self.actor.is_secretariat or self.role == OWNER

    @property
    def can_moderate_space(self) -> bool:
        return self.actor.is_secretariat or self.role in {OWNER, MODERATOR}


def may_see_space(actor: Actor, visibility: str, role: str | None) -> bool:
    return visibility == PUBLIC or actor.is_secretariat or role is not None


@dataclass(frozen=True)
class SessionAccess:
    space: SpaceAccess
    session_id: int
    moderator_ids: frozenset[int]
    posting: str  # signed_in | members

    @property
    def actor(self) -> Actor:
        return self.space.actor

    @property
    def can_moderate(self) -> bool:
        """Open, close, re-open, add questions, moderate posts: the session's moderators,
        the space's owners and moderators, and the secretariat."""
        return self.space.can_moderate_space or self.actor.user_id in self.moderator_ids

    def require_moderator(self) -> None:
        if not self.can_moderate:
            require_signed_in(self.actor)
            raise Forbidden("Only this session's moderators can do this.")

    @property
    def may_post(self) -> bool:
        """Whether the actor has the right to post here (state is checked apart)."""
        if not self.actor.signed_in:
            return False
        return self.can_moderate or self.posting != MEMBERS or self.space.is_member

    def check_may_post(self) -> None:
        """Raises unless the actor has the right to post here (state is checked apart)."""
        require_signed_in(self.actor)
        if not self.may_post:
            raise Forbidden("Only members of this space may post in this session.")


def may_see_post(access: SessionAccess, status: str, author_id: int | None) -> bool:
    """Published and hidden posts (as a placeholder) are for all who see the session;
    pending ones for their author and moderators; rejected ones for moderators."""
    if status in {PUBLISHED, HIDDEN}:
        return True
    if access.can_moderate:
        return True
    return status == PENDING and author_id is not None and author_id == access.actor.user_id
