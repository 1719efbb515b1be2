"""Spaces, sessions and topics: who manages a space, appoints moderators and
starts topics."""

from __future__ import annotations

from datetime import timedelta

from forum_server.errors import Conflict, Forbidden
from forum_server.policy.access import SessionAccess, SpaceAccess
from forum_server.policy.actors import require_signed_in
from forum_server.rooms.state import HIDDEN


def may_manage_space(access: SpaceAccess) -> bool:
    """Create sessions (and manage members): the space's owners and the secretariat."""
    return access.can_manage


def check_may_manage_space(access: SpaceAccess) -> None:
    if not may_manage_space(access):
        require_signed_in(access.actor)
        raise Forbidden("Only the space's owners and the secretariat can do this.")


def may_appoint_moderators(access: SpaceAccess) -> bool:
    """Change who moderates a session: the space's owners and moderators and the
    secretariat (a session's own moderators do not choose each other)."""
    return access.can_moderate_space


def check_may_appoint_moderators(access: SpaceAccess) -> None:
    if not may_appoint_moderators(access):
        require_signed_in(access.actor)
        raise Forbidden("Only the space's owners, its moderators and the secretariat can do this.")


def may_start_topic(access: SessionAccess, participant_topics: bool) -> bool:
    """Start a topic of one's own: whoever may post, where the session takes topics
    from participants; its moderators always (state is checked apart)."""
    return access.may_post and (participant_topics or access.can_moderate)


def check_may_start_topic(access: SessionAccess, participant_topics: bool) -> None:
    access.check_may_post()
    if not may_start_topic(access, participant_topics):
        raise Forbidden("This session does not take new topics from participants.")


def may_edit_post(
    access: SessionAccess, author_id: int | None, status: str, age: timedelta, window: timedelta
) -> bool:
    """A moderator edits any post they see; its author edits their own while it is not
    hidden, within the edit window (`age` is the time since it was written). Whether
    the session is still open and the author not suspended is checked apart."""
    if access.can_moderate:
        return True
    is_author = access.actor.user_id is not None and access.actor.user_id == author_id
    return is_author and status != HIDDEN and age <= window


def check_may_edit_post(
    access: SessionAccess, author_id: int | None, status: str, age: timedelta, window: timedelta
) -> None:
    if may_edit_post(access, author_id, status, age, window):
        return
    if require_signed_in(access.actor) != author_id:
        raise Forbidden("Only the author or a moderator can edit this post.")
    if age > window:
        raise Conflict("The time for editing this post has passed.", code="edit_window_closed")
    raise Forbidden("A hidden post cannot be edited.")
