"""What a calendar or a feed lists, read through the policy: the sessions and
periods of a session, a space or a person, and a session's newest posts."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import ColumnElement, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from forum_server.accounts.models import User
from forum_server.mail.models import Watch
from forum_server.policy import Actor, require_signed_in
from forum_server.policy.loading import (
    load_session,
    load_space,
    moderated_sessions_clause,
    readable_sessions_clause,
    visible_posts_clause,
    visible_sessions_clause,
    visible_threads_clause,
)
from forum_server.rooms.models import (
    ForumSession,
    Membership,
    Post,
    SessionPeriod,
    Space,
    Thread,
)
from forum_server.rooms.state import PUBLISHED

# A feed holds the newest entries only: readers keep what they saw before.
FEED_ENTRIES = 50


@dataclass(frozen=True)
class PeriodView:
    id: int
    opens_at: datetime
    closes_at: datetime | None


@dataclass(frozen=True)
class SessionDates:
    """A session as a calendar shows it: one event per period."""

    id: int
    title: str
    description: str
    space_title: str
    created_at: datetime
    periods: tuple[PeriodView, ...]


@dataclass(frozen=True)
class Listing:
    """What a calendar or a feed is about (its title and page), and its sessions."""

    title: str
    path: str
    sessions: tuple[SessionDates, ...]


@dataclass(frozen=True)
class PostEntry:
    id: int
    thread_id: int
    thread_title: str
    author: str
    html: str
    created_at: datetime
    updated_at: datetime


@dataclass(frozen=True)
class SessionPosts:
    session_id: int
    title: str
    space_title: str
    posts: tuple[PostEntry, ...]


async def _dated(db: AsyncSession, where: ColumnElement[bool]) -> tuple[SessionDates, ...]:
    """The sessions matching `where` that have periods (a draft has no dates), each
    with its periods in order; newest sessions first."""
    rows = (
        await db.execute(
            select(ForumSession, Space.title)
            .join(Space, Space.id == ForumSession.space_id)
            .where(where)
            .order_by(ForumSession.created_at.desc(), ForumSession.id.desc())
        )
    ).all()
    ids = [forum_session.id for forum_session, _ in rows]
    periods: dict[int, list[PeriodView]] = {session_id: [] for session_id in ids}
    if ids:
        found = await db.scalars(
            select(SessionPeriod)
            .where(SessionPeriod.session_id.in_(ids))
            .order_by(SessionPeriod.opens_at, SessionPeriod.id)
        )
        for period in found:
            view = PeriodView(period.id, period.opens_at, period.closes_at)
            periods[period.session_id].append(view)
    return tuple(
        SessionDates(
            id=forum_session.id,
            title=forum_session.title,
            description=forum_session.description,
            space_title=space_title,
            created_at=forum_session.created_at,
            periods=tuple(periods[forum_session.id]),
        )
        for forum_session, space_title in rows
        if periods[forum_session.id]
    )


async def session_dates(db: AsyncSession, actor: Actor, session_id: int) -> Listing:
    forum_session, _ = await load_session(db, actor, session_id)
    dated = await _dated(db, ForumSession.id == forum_session.id)
    return Listing(forum_session.title, f"/sessions/{session_id}", dated)


async def space_dates(db: AsyncSession, actor: Actor, slug: str) -> Listing:
    space, access = await load_space(db, actor, slug)
    where = (ForumSession.space_id == space.id) & visible_sessions_clause(access)
    return Listing(space.title, f"/spaces/{slug}", await _dated(db, where))


def _followed_sessions_clause(user_id: int, actor: Actor) -> ColumnElement[bool]:
    """SQL condition on ForumSession: the sessions of the spaces one belongs to, those
    one follows by e-mail, and those one moderates."""
    spaces = select(Membership.space_id).where(Membership.user_id == user_id)
    watched = select(Watch.target_id).where(
        Watch.user_id == user_id, Watch.target_type == "session", Watch.level != "none"
    )
    return or_(
        ForumSession.space_id.in_(spaces),
        ForumSession.id.in_(watched),
        moderated_sessions_clause(actor),
    )


async def personal_dates(db: AsyncSession, actor: Actor) -> Listing:
    """The sessions a person belongs to, follows or moderates, among those they may
    read now (a space they left drops out at once)."""
    user_id = require_signed_in(actor)
    name = await db.scalar(select(User.display_name).where(User.id == user_id))
    where = readable_sessions_clause(actor) & _followed_sessions_clause(user_id, actor)
    return Listing(name or "", "/profile", await _dated(db, where))


async def session_posts(db: AsyncSession, actor: Actor, session_id: int) -> SessionPosts:
    """The session's newest published posts the actor may read, newest first. Held,
    hidden and rejected posts are never in a feed, whoever reads it: a feed reader
    keeps what it fetched."""
    forum_session, access = await load_session(db, actor, session_id)
    space_title = await db.scalar(select(Space.title).where(Space.id == forum_session.space_id))
    rows = (
        await db.execute(
            select(Post, Thread.title, User.display_name)
            .join(Thread, Thread.id == Post.thread_id)
            .outerjoin(User, User.id == Post.author_id)
            .where(
                Post.session_id == session_id,
                Post.status == PUBLISHED,
                visible_posts_clause(access),
                visible_threads_clause(access),
            )
            .order_by(Post.created_at.desc(), Post.id.desc())
            .limit(FEED_ENTRIES)
        )
    ).all()
    return SessionPosts(
        session_id=session_id,
        title=forum_session.title,
        space_title=space_title or "",
        posts=tuple(_entry(post, thread_title, name) for post, thread_title, name in rows),
    )


def _entry(post: Post, thread_title: str, display_name: str | None) -> PostEntry:
    return PostEntry(
        id=post.id,
        thread_id=post.thread_id,
        thread_title=thread_title,
        author=display_name or post.guest_name or "",
        html=post.html,
        created_at=post.created_at,
        updated_at=post.edited_at or post.created_at,
    )


def latest(sessions: Sequence[SessionDates]) -> datetime | None:
    """When a listing last changed, as far as its dates tell."""
    stamps = [s.created_at for s in sessions]
    return max(stamps) if stamps else None


async def member_spaces(db: AsyncSession, user_id: int) -> list[tuple[str, str, str]]:
    """(slug, title, visibility) of the spaces a person belongs to, by title."""
    rows = await db.execute(
        select(Space.slug, Space.title, Space.visibility)
        .join(Membership, Membership.space_id == Space.id)
        .where(Membership.user_id == user_id)
        .order_by(Space.title)
    )
    return [(slug, title, visibility) for slug, title, visibility in rows]
