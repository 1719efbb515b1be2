"""Loading protected things: every read of a space's content starts here, and
the SQL conditions that keep listings to what the caller may see."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

from sqlalchemy import ColumnElement, exists, or_, select, true
from sqlalchemy.ext.asyncio import AsyncSession

from forum_server.errors import NotFound
from forum_server.i18n import N_
from forum_server.policy.access import (
    MODERATOR,
    OWNER,
    SessionAccess,
    SpaceAccess,
    may_see_post,
    may_see_space,
)
from forum_server.policy.actors import Actor, require_signed_in
from forum_server.rooms.models import (
    ForumSession,
    Membership,
    Post,
    Question,
    SessionModerator,
    SessionPeriod,
    Space,
    Thread,
)
from forum_server.rooms.state import HIDDEN, MEMBERS, PENDING, PUBLIC, PUBLISHED


def visible_spaces_clause(actor: Actor) -> ColumnElement[bool]:
    """SQL condition on Space selecting the spaces the actor may see."""
    if actor.is_secretariat:
        return true()
    if actor.user_id is None:
        return Space.visibility == PUBLIC
    member_of = select(Membership.space_id).where(Membership.user_id == actor.user_id)
    return or_(Space.visibility == PUBLIC, Space.id.in_(member_of))


async def _role(db: AsyncSession, actor: Actor, space_id: int) -> str | None:
    if actor.user_id is None:
        return None
    role: str | None = await db.scalar(
        select(Membership.role).where(
            Membership.space_id == space_id, Membership.user_id == actor.user_id
        )
    )
    return role


async def load_space(db: AsyncSession, actor: Actor, slug: str) -> tuple[Space, SpaceAccess]:
    """The space and the actor's access to it; NotFound if missing or not visible."""
    space = await db.scalar(select(Space).where(Space.slug == slug))
    access = await _space_access(db, actor, space)
    assert space is not None  # _space_access raised NotFound otherwise
    return space, access


async def _space_access(db: AsyncSession, actor: Actor, space: Space | None) -> SpaceAccess:
    if space is None:
        raise NotFound("No such space.")
    role = await _role(db, actor, space.id)
    if not may_see_space(actor, space.visibility, role):
        raise NotFound("No such space.")
    return SpaceAccess(actor=actor, space_id=space.id, visibility=space.visibility, role=role)


# Database.read() puts a dict under this key of a read-only session's `info`: within
# that one transaction, a session's or thread's access is worked out once, however
# many of a page's queries load it (a thread page did so five times, six statements
# each). Never set on a session that writes, so what it reads is never stale there.
READ_MEMO = "policy_read_memo"

T = TypeVar("T")


async def load_session(
    db: AsyncSession, actor: Actor, session_id: int
) -> tuple[ForumSession, SessionAccess]:
    return await _once_per_read(db, ("session", actor, session_id), _load_session)


async def _load_session(
    db: AsyncSession, actor: Actor, session_id: int
) -> tuple[ForumSession, SessionAccess]:
    forum_session = await db.get(ForumSession, session_id)
    if forum_session is None:
        raise NotFound("No such session.")
    space = await db.get(Space, forum_session.space_id)
    try:
        space_access = await _space_access(db, actor, space)
    except NotFound:
        raise NotFound("No such session.") from None
    assert space is not None
    moderators = await db.scalars(
        select(SessionModerator.user_id).where(
            SessionModerator.session_id == session_id,
            acting_moderators_clause(space.id, space.visibility),
        )
    )
    access = SessionAccess(
        space=space_access,
        session_id=session_id,
        moderator_ids=frozenset(moderators),
        posting=forum_session.posting,
    )
    if not access.can_moderate:  # those who prepare a session see it in any state
        scheduled = await db.scalar(
            select(SessionPeriod.id).where(SessionPeriod.session_id == session_id).limit(1)
        )
        check_may_see_session(access, draft=scheduled is None)
    return forum_session, access


async def _access_within(
    db: AsyncSession, actor: Actor, session_id: int, missing: str
) -> SessionAccess:
    """The actor's access to the session a thing lives in; a session they may not see
    hides the thing too, named as the thing (`missing`), not as its session."""
    try:
        _, access = await load_session(db, actor, session_id)
    except NotFound:
        raise NotFound(missing) from None
    return access


async def load_thread(
    db: AsyncSession, actor: Actor, thread_id: int
) -> tuple[Thread, SessionAccess]:
    return await _once_per_read(db, ("thread", actor, thread_id), _load_thread)


async def _once_per_read(
    db: AsyncSession,
    key: tuple[str, Actor, int],
    load: Callable[[AsyncSession, Actor, int], Awaitable[T]],
) -> T:
    """`load(db, actor, id)`, once per read transaction (READ_MEMO); each time elsewhere."""
    memo: dict[Any, Any] | None = db.info.get(READ_MEMO)
    if memo is None:
        return await load(db, key[1], key[2])
    if key not in memo:
        memo[key] = await load(db, key[1], key[2])
    found: T = memo[key]
    return found


async def _load_thread(
    db: AsyncSession, actor: Actor, thread_id: int
) -> tuple[Thread, SessionAccess]:
    thread = await db.get(Thread, thread_id)
    if thread is None:
        raise NotFound("No such thread.")
    access = await _access_within(db, actor, thread.session_id, N_("No such thread."))
    if not access.can_moderate:
        shown = select(Thread.id).where(Thread.id == thread_id, visible_threads_clause(access))
        if await db.scalar(shown) is None:
            raise NotFound("No such thread.")
    return thread, access


async def load_post(db: AsyncSession, actor: Actor, post_id: int) -> tuple[Post, SessionAccess]:
    post = await db.get(Post, post_id)
    if post is None:
        raise NotFound("No such post.")
    access = await _access_within(db, actor, post.session_id, N_("No such post."))
    if not may_see_post(access, post.status, post.author_id):
        raise NotFound("No such post.")
    return post, access


def visible_posts_clause(access: SessionAccess) -> ColumnElement[bool]:
    """SQL condition on Post matching may_see_post, for listings."""
    if access.can_moderate:
        return true()
    shown: list[Any] = [Post.status.in_((PUBLISHED, HIDDEN))]
    if access.actor.user_id is not None:
        shown.append((Post.status == PENDING) & (Post.author_id == access.actor.user_id))
    return or_(*shown)


def threads_shown_clause(posts: ColumnElement[bool]) -> ColumnElement[bool]:
    """SQL condition on Thread: a guiding question's thread always; a participant's
    topic only once one of its posts matches `posts`. Its title is the author's words
    too: while the opening post waits for review (or after it was turned down), the
    topic is not there for those who may not see that post."""
    # correlate_except: the outer query may name Question or Post itself.
    question = select(Question.id).where(Question.thread_id == Thread.id)
    shown_post = select(Post.id).where(Post.thread_id == Thread.id, posts)
    return or_(
        exists(question.correlate_except(Question)), exists(shown_post.correlate_except(Post))
    )


def visible_threads_clause(access: SessionAccess) -> ColumnElement[bool]:
    """SQL condition on Thread for listings: topics whose posts this viewer may see."""
    return threads_shown_clause(visible_posts_clause(access))


def moderated_sessions_clause(actor: Actor) -> ColumnElement[bool]:
    """SQL condition on ForumSession selecting the sessions the actor moderates: every
    session of a space they own or moderate, the sessions they were made moderator of
    (in a members space, while they are members), and everything for the secretariat.
    Raises Unauthorized for anonymous callers."""
    if actor.is_secretariat:
        return true()
    user_id = require_signed_in(actor)
    space_roles = select(Membership.space_id).where(
        Membership.user_id == user_id, Membership.role.in_((OWNER, MODERATOR))
    )
    appointed = select(SessionModerator.session_id).where(SessionModerator.user_id == user_id)
    member_of = select(Membership.space_id).where(Membership.user_id == user_id)
    public = select(Space.id).where(Space.visibility == PUBLIC)
    acting = ForumSession.id.in_(appointed) & or_(
        ForumSession.space_id.in_(member_of), ForumSession.space_id.in_(public)
    )
    return or_(ForumSession.space_id.in_(space_roles), acting)


async def role_in_space(db: AsyncSession, user_id: int, space_id: int) -> str | None:
    """Someone's role in a space (None: not a member), for decisions about them."""
    return await _role(db, Actor(user_id=user_id), space_id)


def acting_moderators_clause(space_id: int, visibility: str) -> ColumnElement[bool]:
    """SQL condition on SessionModerator, for the sessions of one space, keeping the
    appointed moderators who act as such: in a members space, only those who are
    members now, so leaving the space ends a session moderator's rights with it."""
    if visibility != MEMBERS:
        return true()
    members = select(Membership.user_id).where(Membership.space_id == space_id)
    return SessionModerator.user_id.in_(members)


def may_see_session(access: SessionAccess, *, draft: bool) -> bool:
    """A session of a space one may see; a draft (no period yet) only for those who
    prepare it: its moderators, the space's owners and moderators, the secretariat."""
    return not draft or access.can_moderate


def check_may_see_session(access: SessionAccess, *, draft: bool) -> None:
    # Whoever may not see it is told it does not exist, signed in or not.
    if not may_see_session(access, draft=draft):
        raise NotFound("No such session.")


def _scheduled() -> ColumnElement[bool]:
    """SQL condition on ForumSession: not a draft (it has a period)."""
    return exists(
        select(SessionPeriod.id)
        .where(SessionPeriod.session_id == ForumSession.id)
        .correlate_except(SessionPeriod)
    )


def visible_sessions_clause(access: SpaceAccess) -> ColumnElement[bool]:
    """SQL condition on ForumSession matching may_see_session, for a space's listings."""
    if access.can_moderate_space:
        return true()
    scheduled = _scheduled()
    if access.actor.user_id is None:
        return scheduled
    # Reached only by those who see the space: in a members space, members.
    appointed = select(SessionModerator.session_id).where(
        SessionModerator.user_id == access.actor.user_id
    )
    return or_(scheduled, ForumSession.id.in_(appointed))


def readable_sessions_clause(actor: Actor) -> ColumnElement[bool]:
    """SQL condition on ForumSession selecting every session the actor may see, in every
    space: visible_spaces_clause's spaces, and there may_see_session's sessions (a draft
    only for those who moderate it). For reads across spaces, such as search."""
    if actor.is_secretariat:
        return true()
    in_visible_space = ForumSession.space_id.in_(
        select(Space.id).where(visible_spaces_clause(actor))
    )
    if actor.user_id is None:
        return in_visible_space & _scheduled()
    return in_visible_space & or_(_scheduled(), moderated_sessions_clause(actor))


async def load_question(
    db: AsyncSession, actor: Actor, question_id: int
) -> tuple[Question, SessionAccess]:
    """A guiding question and the actor's access to its session; NotFound as for the
    session."""
    question = await db.get(Question, question_id)
    if question is None:
        raise NotFound("No such question.")
    access = await _access_within(db, actor, question.session_id, N_("No such question."))
    return question, access
