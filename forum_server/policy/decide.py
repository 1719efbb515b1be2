"""Deciding together: who reacts to posts, who starts, votes in, closes and concludes
polls and proposals, and who sees their results and their voters."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from forum_server.decide.models import Poll
from forum_server.errors import Conflict, Forbidden, NotFound
from forum_server.i18n import N_
from forum_server.policy.access import SessionAccess
from forum_server.policy.actors import Actor, require_signed_in
from forum_server.policy.loading import load_session, load_thread
from forum_server.rooms.state import MEMBERS, PUBLISHED


def may_react(access: SessionAccess, post_status: str) -> bool:
    """React to a post: whoever may post in its session (so never a guest), and only
    to a published post: a hidden or held one takes no reactions."""
    return access.may_post and post_status == PUBLISHED


def check_may_react(access: SessionAccess, post_status: str) -> None:
    access.check_may_post()
    if post_status != PUBLISHED:
        raise Conflict("This post cannot take reactions.", code="post_not_published")


def may_create_poll(access: SessionAccess) -> bool:
    """Start a poll or a proposal: the session's moderators; in a members space, its
    members too."""
    if not access.actor.signed_in:
        return False
    members_space = access.space.visibility == MEMBERS and access.space.is_member
    return access.can_moderate or members_space


def check_may_create_poll(access: SessionAccess) -> None:
    if not may_create_poll(access):
        require_signed_in(access.actor)
        raise Forbidden("Only this session's moderators can start a poll here.")


def may_vote(access: SessionAccess) -> bool:
    """Vote: whoever may post there (whether the poll is open is checked apart)."""
    return access.may_post


def check_may_vote(access: SessionAccess) -> None:
    access.check_may_post()


def may_close_poll(access: SessionAccess, created_by: int | None) -> bool:
    """Close a poll before its time: the session's moderators, and whoever started it."""
    if access.can_moderate:
        return True
    return access.actor.user_id is not None and access.actor.user_id == created_by


def check_may_close_poll(access: SessionAccess, created_by: int | None) -> None:
    if not may_close_poll(access, created_by):
        require_signed_in(access.actor)
        raise Forbidden("Only this session's moderators or whoever started it can close it.")


def may_write_outcome(access: SessionAccess) -> bool:
    """Write a closed proposal's or poll's outcome: the session's moderators."""
    return access.can_moderate


def check_may_write_outcome(access: SessionAccess) -> None:
    access.require_moderator()


def may_see_results(hide_results: bool, voted: bool, closed: bool) -> bool:
    """A poll's counts: for everyone who sees it, unless its creator chose to keep them
    until one has voted or the poll is closed (moderators included: nobody is swayed)."""
    return not hide_results or voted or closed


def may_see_voters(anonymous: bool) -> bool:
    """Who voted what: in a named poll, for whoever sees the results; in an anonymous
    one never, to nobody, moderators and the secretariat included."""
    return not anonymous


async def load_poll(db: AsyncSession, actor: Actor, poll_id: int) -> tuple[Poll, SessionAccess]:
    """A poll and the actor's access to its session; NotFound, named as the poll,
    where its session or its thread is not for them."""
    poll = await db.get(Poll, poll_id)
    if poll is None:
        raise NotFound("No such poll.")
    try:
        if poll.thread_id is not None:
            _, access = await load_thread(db, actor, poll.thread_id)
        else:
            _, access = await load_session(db, actor, poll.session_id)
    except NotFound:
        raise NotFound(N_("No such poll.")) from None
    return poll, access
